#!/usr/bin/python3 -u
# test-sim-faults.py: every fault switch of linli-platform-sim's control
# port, what a kiosk sees of it over TLS, and what the database holds
# afterwards (exactly-once across dropped answers and a killed simulator).
# Run under tests/rigs/platform-rig.sh (meson test test-sim-faults).
# SPDX-License-Identifier: GPL-3.0-or-later

import http.client
import importlib.util
import json
import os
import socket
import ssl
import subprocess
import threading
import time
import sys
import unittest
import uuid

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
_spec = importlib.util.spec_from_file_location(
    "simlib", os.path.join(os.path.dirname(os.path.abspath(__file__)), "test-sim-lib.py"))
simlib = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(simlib)

SIM = None
DROPPED = (http.client.RemoteDisconnected, http.client.IncompleteRead, ConnectionError,
           ssl.SSLError, http.client.BadStatusLine)


def key():
    return str(uuid.uuid4())


def water_bill(account="0012345679"):
    bills = SIM.get("/utilities/water/accounts/%s/bills" % account).json["bills"]
    unpaid = [b for b in bills if b["status"] != "paid"]
    return {"payable_kind": "utility_bill", "payable_id": unpaid[0]["bill_id"],
            "expected_amount_fen": unpaid[0]["amount_fen"]}


def evaluation_target():
    """A fresh application to evaluate (one evaluation each)."""
    ref = SIM.ref(simlib.BATER)
    application = {"item_code": "330102-MZ-0003", "resident_ref": ref,
                   "fields": {"household_size": 1, "monthly_income": 120000,
                              "living_alone": True, "phone": "13912345678"},
                   "documents": [{"name": "hukou_booklet", "pages": 1}],
                   "submitted_by": {"role": "staff", "staff_id": "GZ0042"}}
    body, content_type = simlib.multipart([
        ("application", "application/json", json.dumps(application).encode()),
        ("pages", "image/jpeg", simlib.jpeg())])
    reply = SIM.post("/applications", body, content_type=content_type, key=key())
    assert reply.status == 201, reply
    return reply.json["application_number"]


class Faults(unittest.TestCase):
    def setUp(self):
        SIM.clear_faults()

    def tearDown(self):
        SIM.clear_faults()

    def test_latency(self):
        SIM.fault(kind="latency", path="/catalog", latency_ms=600)
        start = time.monotonic()
        self.assertEqual(SIM.get("/catalog").status, 200)
        self.assertGreaterEqual(time.monotonic() - start, 0.6)
        start = time.monotonic()
        self.assertEqual(SIM.get("/catalog").status, 200)        # count 1: used up
        self.assertLess(time.monotonic() - start, 0.5)
        # Past the kiosk's timeout: the client gives up first.
        SIM.fault(kind="latency", path="/catalog", latency_ms=1500)
        with self.assertRaises((socket.timeout, TimeoutError)):
            SIM.get("/catalog", timeout=0.5)

    def test_status(self):
        SIM.fault(kind="status", status=503, count=2)
        for _ in range(2):
            reply = SIM.get("/catalog")
            self.assertEqual(reply.status, 503)
            self.assertEqual(reply.json["code"], "UPSTREAM_UNAVAILABLE")
            self.assertEqual(reply.json["retry_after"], 1)
            self.assertEqual(reply.header("retry-after"), "1")
        self.assertEqual(SIM.get("/catalog").status, 200)
        SIM.fault(kind="status", status=503, code="MAINTENANCE", retry_after=1800)
        reply = SIM.get("/catalog")
        self.assertEqual((reply.json["code"], reply.json["retry_after"],
                          reply.header("retry-after")), ("MAINTENANCE", 1800, "1800"))
        SIM.fault(kind="status", status=500)
        reply = SIM.get("/catalog")
        self.assertEqual((reply.status, reply.json["code"], reply.json["retry_after"]),
                         (500, "INTERNAL_ERROR", None))
        SIM.fault(kind="status", status=429, retry_after=7)
        reply = SIM.get("/catalog")
        self.assertEqual((reply.status, reply.json["code"], reply.header("retry-after")),
                         (429, "RATE_LIMITED", "7"))
        # A proxy's page rather than the contract's Error.
        SIM.fault(kind="status", status=502)
        reply = SIM.get("/catalog")
        self.assertEqual(reply.status, 502)
        self.assertTrue(reply.header("content-type").startswith("text/html"))
        self.assertIn(b"502", reply.body)

    def test_status_is_not_an_effect(self):
        SIM.fault(kind="status", status=503, path="/payments", method="POST")
        request = water_bill()
        k = key()
        self.assertEqual(SIM.post("/payments", request, key=k).status, 503)
        self.assertEqual(SIM.query("SELECT count(*) AS n FROM payment_orders"
                                   " WHERE idempotency_key = ?", k)[0]["n"], 0)
        self.assertEqual(SIM.query("SELECT count(*) AS n FROM idempotency_keys WHERE key = ?",
                                   k)[0]["n"], 0)
        created = SIM.post("/payments", request, key=k)
        self.assertEqual(created.status, 201)      # the first real effect, not a replay
        SIM.post("/payments/%s/cancel" % created.json["order_id"])

    def test_refused_kiosks_are_not_faulted(self):
        SIM.fault(kind="status", status=503)
        reply = SIM.get("/catalog", cert=None)
        self.assertEqual((reply.status, reply.json["code"]), (401, "CLIENT_CERT_REQUIRED"))
        self.assertEqual(SIM.get("/catalog").status, 503)     # still armed for the kiosk

    def test_filters_and_until_cleared(self):
        SIM.fault(kind="status", status=500, path="/linli/v1/catalog", method="GET", count=-1)
        for _ in range(3):
            self.assertEqual(SIM.get("/catalog").status, 500)
            self.assertEqual(SIM.get("/catalog/items/330102-SB-0001").status, 500)  # prefix
        self.assertEqual(SIM.post("/heartbeat", simlib.heartbeat(SIM.kiosk_id)).status, 200)
        status, listed = SIM.control("GET", "/faults")
        self.assertEqual((status, listed[0]["kind"], listed[0]["count"]), (200, "status", -1))
        self.assertEqual(SIM.control("DELETE", "/faults")[0], 200)
        self.assertEqual(SIM.get("/catalog").status, 200)
        self.assertEqual(SIM.control("GET", "/faults")[1], [])

    def test_control_refuses_nonsense(self):
        for spec in ({"kind": "fire"}, {"path": "/catalog"}, {"kind": "status", "status": 99},
                     {"kind": "latency", "count": 0}, {"kind": "latency", "latency_ms": "slow"}):
            status, answer = SIM.control("POST", "/faults", spec)
            self.assertEqual(status, 400, spec)
            self.assertTrue(answer["error"])
        self.assertEqual(SIM.control("GET", "/no-such-thing")[0], 404)

    def test_drop_request_has_no_effect(self):
        request = water_bill()
        k = key()
        SIM.fault(kind="drop-request", path="/payments", method="POST")
        with self.assertRaises(DROPPED):
            SIM.post("/payments", request, key=k)
        self.assertEqual(SIM.query("SELECT count(*) AS n FROM payment_orders"
                                   " WHERE idempotency_key = ?", k)[0]["n"], 0)
        self.assertEqual(SIM.stats()["idempotency_keys"][k]["received"], 1)
        created = SIM.post("/payments", request, key=k)
        self.assertEqual(created.status, 201, created)
        self.assertIsNone(created.header("idempotency-replayed"))
        self.assertEqual(SIM.stats()["idempotency_keys"][k]["received"], 2)
        SIM.post("/payments/%s/cancel" % created.json["order_id"])

    def test_drop_response_applies_once(self):
        number = evaluation_target()
        path = "/applications/%s/evaluation" % number
        body = {"grade": "satisfied", "comment": None, "reasons": []}
        k = key()
        SIM.fault(kind="drop-response", path=path)
        with self.assertRaises(DROPPED):
            SIM.post(path, body, key=k)
        # The effect is committed although the kiosk heard nothing.
        rows = SIM.query("SELECT grade FROM evaluations WHERE idempotency_key = ?", k)
        self.assertEqual(rows, [{"grade": "satisfied"}])
        replay = SIM.post(path, body, key=k)
        self.assertEqual(replay.status, 200, replay)
        self.assertEqual(replay.header("idempotency-replayed"), "true")
        self.assertEqual(replay.json["application_number"], number)
        self.assertEqual(len(SIM.query("SELECT * FROM evaluations WHERE application_number = ?",
                                       number)), 1)
        self.assertEqual(SIM.stats()["idempotency_keys"][k]["received"], 2)

    def test_drop_response_sends_part_of_the_answer(self):
        SIM.fault(kind="drop-response", path="/catalog")
        raw = simlib.raw_exchange(SIM, ("GET %s/catalog HTTP/1.1\r\nHost: x\r\n"
                                        "X-Linli-Kiosk-Id: %s\r\n\r\n"
                                        % (SIM.url.path, SIM.kiosk_id)).encode())
        head, _, body = raw.partition(b"\r\n\r\n")
        self.assertTrue(head.startswith(b"HTTP/1.1 200"), raw[:200])
        length = int([line.split(b":")[1] for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length")][0])
        self.assertGreater(len(body), 0)
        self.assertLess(len(body), length)

    def test_application_drop_response_then_replay(self):
        ref = SIM.ref(simlib.WANG_XIAOMING)
        application = {"item_code": "330102-YL-0007", "resident_ref": ref,
                       "fields": {"applicant_relation": "self", "phone": "13800000000",
                                  "contribution_grade": "200", "start_date": "2027-01-01",
                                  "bank_account": "6222020200112233445"},
                       "documents": [{"name": "hukou_booklet", "pages": 1},
                                     {"name": "bank_card", "pages": 1}],
                       "submitted_by": {"role": "resident"}}
        parts = [("application", "application/json", json.dumps(application).encode()),
                 ("pages", "image/jpeg", simlib.jpeg(5000, 1)),
                 ("pages", "image/jpeg", simlib.jpeg(5000, 2))]
        k = key()
        SIM.fault(kind="drop-response", path="/applications", method="POST")
        body, content_type = simlib.multipart(parts)
        with self.assertRaises(DROPPED):
            SIM.post("/applications", body, content_type=content_type, key=k)
        body, content_type = simlib.multipart(parts)      # a new boundary
        replay = SIM.post("/applications", body, content_type=content_type, key=k)
        self.assertEqual(replay.status, 200, replay)
        self.assertEqual(replay.header("idempotency-replayed"), "true")
        rows = SIM.query("SELECT application_number FROM applications WHERE idempotency_key = ?",
                         k)
        self.assertEqual([r["application_number"] for r in rows],
                         [replay.json["application_number"]])

    def test_malformed_json(self):
        SIM.fault(kind="malformed-json", path="/catalog")
        reply = SIM.get("/catalog")
        self.assertEqual(reply.status, 200)
        with self.assertRaises(ValueError):
            json.loads(reply.body)
        # On a submission: the effect happened; the answer is garbage.
        request = water_bill("0054010219")
        k = key()
        SIM.fault(kind="malformed-json", path="/payments", method="POST")
        reply = SIM.post("/payments", request, key=k)
        self.assertEqual(reply.status, 201)
        with self.assertRaises(ValueError):
            json.loads(reply.body)
        replay = SIM.post("/payments", request, key=k)
        self.assertEqual((replay.status, replay.header("idempotency-replayed")), (200, "true"))
        self.assertEqual(len(SIM.query("SELECT * FROM payment_orders WHERE idempotency_key = ?",
                                       k)), 1)
        SIM.post("/payments/%s/cancel" % replay.json["order_id"])

    def test_oversized(self):
        SIM.fault(kind="oversized", path="/catalog")
        reply = SIM.get("/catalog")
        self.assertEqual(reply.status, 200)
        self.assertGreater(len(reply.body), 4 * 1024 * 1024)
        self.assertGreater(int(reply.header("content-length")), 4 * 1024 * 1024)
        catalog = json.loads(reply.body)            # well-formed, only too big
        self.assertIn("items", catalog)

    def test_in_progress(self):
        number = evaluation_target()
        path = "/applications/%s/evaluation" % number
        body = {"grade": "very_satisfied"}
        k = key()
        SIM.fault(kind="latency", path=path, latency_ms=1500)
        first = {}

        def send():
            first["reply"] = SIM.post(path, body, key=k)

        thread = threading.Thread(target=send)
        thread.start()
        time.sleep(0.5)
        second = SIM.post(path, body, key=k)
        self.assertEqual(second.status, 409, second)
        self.assertEqual(second.json["code"], "IDEMPOTENCY_IN_PROGRESS")
        self.assertEqual(second.json["retry_after"], 1)
        self.assertEqual(second.header("retry-after"), "1")
        other = SIM.post(path, {"grade": "satisfied"}, key=k)
        self.assertEqual(other.json["code"], "IDEMPOTENCY_CONFLICT")
        thread.join()
        self.assertEqual(first["reply"].status, 201)
        replay = SIM.post(path, body, key=k)
        self.assertEqual((replay.status, replay.header("idempotency-replayed")), (200, "true"))


class Restart(unittest.TestCase):
    """The simulator itself killed (SIGKILL) at the worst moments."""

    def rig(self, command):
        if not SIM.rig or not SIM.rig_dir:
            self.skipTest("not under the rig")
        subprocess.run([SIM.rig, command, SIM.rig_dir], check=True, stdout=subprocess.DEVNULL)

    def test_killed_while_in_progress(self):
        number = evaluation_target()
        path = "/applications/%s/evaluation" % number
        k = key()
        SIM.fault(kind="latency", path=path, latency_ms=5000)
        thread = threading.Thread(target=lambda: self.assertRaises(
            DROPPED + (OSError,), SIM.post, path, {"grade": "satisfied"}, key=k))
        thread.start()
        deadline = time.monotonic() + 5
        while not SIM.query("SELECT * FROM idempotency_keys WHERE key = ?", k):
            self.assertLess(time.monotonic(), deadline, "the claim never appeared")
            time.sleep(0.05)
        self.assertEqual(SIM.query("SELECT status FROM idempotency_keys WHERE key = ?", k),
                         [{"status": "in_progress"}])
        self.rig("kill")
        thread.join()
        self.rig("restart")
        # The claim of the dead request is gone; the resend takes effect once.
        self.assertEqual(SIM.query("SELECT * FROM idempotency_keys WHERE key = ?", k), [])
        self.assertEqual(SIM.query("SELECT * FROM evaluations WHERE application_number = ?",
                                   number), [])
        reply = SIM.post(path, {"grade": "satisfied"}, key=k)
        self.assertEqual(reply.status, 201, reply)
        self.assertEqual(len(SIM.query("SELECT * FROM evaluations WHERE application_number = ?",
                                       number)), 1)

    def test_killed_after_commit(self):
        number = evaluation_target()
        path = "/applications/%s/evaluation" % number
        k = key()
        SIM.fault(kind="drop-response", path=path)
        with self.assertRaises(DROPPED):
            SIM.post(path, {"grade": "basically_satisfied"}, key=k)
        self.rig("kill")
        self.rig("restart")
        replay = SIM.post(path, {"grade": "basically_satisfied"}, key=k)
        self.assertEqual((replay.status, replay.header("idempotency-replayed")), (200, "true"))
        self.assertEqual(len(SIM.query("SELECT * FROM evaluations WHERE application_number = ?",
                                       number)), 1)
        # The seed did not run twice on the same database.
        self.assertEqual(SIM.query("SELECT count(*) AS n FROM residents")[0]["n"], 10)


if __name__ == "__main__":
    SIM = simlib.Sim()
    unittest.main(verbosity=2)
