#!/usr/bin/python3 -u
# test-sim-tls.py: mutual TLS as the simulator enforces it (no, expired,
# foreign certificate; kiosk id; registration), the kiosk's side of a bad
# server certificate (a second simulator started with the expired and the
# wrong-CA certificate), the test PKI itself, and the round-trip time of a
# request over loopback TLS.
# Run under tests/rigs/platform-rig.sh (meson test test-sim-tls).
# SPDX-License-Identifier: GPL-3.0-or-later

import importlib.util
import os
import shutil
import ssl
import subprocess
import tempfile
import time
import sys
import unittest
import urllib.parse

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
_spec = importlib.util.spec_from_file_location(
    "simlib", os.path.join(os.path.dirname(os.path.abspath(__file__)), "test-sim-lib.py"))
simlib = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(simlib)

SIM = None


def openssl(*args):
    return subprocess.run(["openssl"] + list(args), capture_output=True, text=True)


class ClientCertificates(unittest.TestCase):
    def assertCode(self, reply, status, code):
        self.assertEqual((reply.status, reply.json["code"]), (status, code), reply)
        self.assertTrue(reply.json["message"])

    def test_no_certificate(self):
        self.assertCode(SIM.get("/catalog", cert=None), 401, "CLIENT_CERT_REQUIRED")

    def test_expired_certificate(self):
        self.assertCode(SIM.get("/catalog", cert="kiosk-expired"), 401, "CLIENT_CERT_INVALID")

    def test_foreign_certificate(self):
        self.assertCode(SIM.get("/catalog", cert="kiosk-foreign"), 401, "CLIENT_CERT_INVALID")

    def test_kiosk_id_must_be_the_cn(self):
        self.assertCode(SIM.get("/catalog", cert="kiosk-other"), 403, "KIOSK_ID_MISMATCH")
        self.assertCode(SIM.get("/catalog", kiosk_id="LL-DEMO-0002"), 403, "KIOSK_ID_MISMATCH")
        self.assertCode(SIM.get("/catalog", kiosk_id=""), 403, "KIOSK_ID_MISMATCH")
        self.assertEqual(SIM.get("/catalog", cert="kiosk-other", kiosk_id="LL-DEMO-0002").status,
                         200)

    def test_kept_alive_connections(self):
        # Every request of a connection is checked, not only the first.
        for cert, status in (("kiosk", 200), (None, 401), ("kiosk-expired", 401),
                             ("kiosk-other", 403)):
            conn = SIM.connection(cert)
            try:
                for _ in range(3):
                    self.assertEqual(SIM.get("/catalog/items/330102-SB-0001",
                                             connection=conn).status, status, cert)
            finally:
                conn.close()

    def test_refused_before_anything_else(self):
        # A submission without a certificate: 401, no claim, no effect.
        reply = SIM.post("/payments", {"payable_kind": "utility_bill"}, cert=None,
                         key="6f1c1f0e-2b8e-4a39-9a55-1c3a7f6a2b11")
        self.assertCode(reply, 401, "CLIENT_CERT_REQUIRED")
        self.assertEqual(SIM.query("SELECT count(*) AS n FROM idempotency_keys"
                                   " WHERE key = '6f1c1f0e-2b8e-4a39-9a55-1c3a7f6a2b11'")[0]["n"], 0)

    def test_registration(self):
        other = dict(cert="kiosk-other", kiosk_id="LL-DEMO-0002")
        try:
            self.assertEqual(SIM.control("PUT", "/kiosks/LL-DEMO-0002", {"enabled": False})[0], 200)
            self.assertCode(SIM.get("/catalog", **other), 403, "KIOSK_DISABLED")
            self.assertEqual(SIM.control("DELETE", "/kiosks/LL-DEMO-0002")[0], 200)
            self.assertCode(SIM.get("/catalog", **other), 403, "KIOSK_NOT_REGISTERED")
        finally:
            self.assertEqual(SIM.control("PUT", "/kiosks/LL-DEMO-0002", {"enabled": True})[0], 200)
        self.assertEqual(SIM.get("/catalog", **other).status, 200)
        # The seeded disabled kiosk is disabled.
        self.assertEqual(SIM.query("SELECT enabled FROM kiosks WHERE kiosk_id = 'LL-DEMO-0003'"),
                         [{"enabled": 0}])

    def test_tls_versions(self):
        for version in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
            ctx = SIM.context()
            ctx.minimum_version = ctx.maximum_version = version
            conn = simlib.http.client.HTTPSConnection(SIM.url.hostname, SIM.url.port, context=ctx,
                                                      timeout=10)
            reply = SIM.get("/catalog", connection=conn)
            conn.close()
            self.assertEqual(reply.status, 200, version)

    def test_plain_http_is_not_served(self):
        conn = simlib.http.client.HTTPConnection(SIM.url.hostname, SIM.url.port, timeout=5)
        with self.assertRaises((ConnectionError, simlib.http.client.HTTPException, OSError)):
            conn.request("GET", SIM.url.path + "/catalog")
            conn.getresponse().read()
        conn.close()


class ServerCertificates(unittest.TestCase):
    """A kiosk pinning the platform CA refuses a simulator with a bad
    certificate (the kiosk's side; the client library tests it too)."""

    def start(self, cert):
        sim = os.environ.get("LINLI_SIM")
        if not sim:
            self.skipTest("LINLI_SIM not set")
        work = tempfile.mkdtemp(prefix="linli-sim-tls.")
        self.addCleanup(shutil.rmtree, work, True)
        ports = os.path.join(work, "ports")
        process = subprocess.Popen(
            [sim, "--port", "0", "--cert", os.path.join(SIM.pki, cert + ".pem"),
             "--key", os.path.join(SIM.pki, cert + ".key"),
             "--client-ca", os.path.join(SIM.pki, "kiosk-ca.pem"),
             "--db", os.path.join(work, "sim.sqlite"), "--seed", "--port-file", ports],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(process.wait)
        self.addCleanup(process.terminate)
        deadline = time.monotonic() + 10
        while not (os.path.exists(ports) and os.path.getsize(ports) > 0):
            self.assertIsNone(process.poll(), "the simulator exited")
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.05)
        with open(ports) as f:
            port = int(f.read().split("port=")[1].split()[0])
        return simlib.Sim("https://127.0.0.1:%d/linli/v1" % port)

    def assertRefused(self, sim, reason):
        with self.assertRaises(ssl.SSLCertVerificationError) as caught:
            sim.get("/catalog")
        self.assertIn(reason, str(caught.exception))

    def test_expired_server_certificate(self):
        self.assertRefused(self.start("server-expired"), "expired")

    def test_server_certificate_of_another_ca(self):
        self.assertRefused(self.start("server-wrong-ca"), "unable to get local issuer")

    def test_good_server_with_the_system_store_only(self):
        # The platform CA is pinned: without it nothing verifies.
        conn = simlib.http.client.HTTPSConnection(SIM.url.hostname, SIM.url.port, timeout=10,
                                                  context=ssl.create_default_context())
        with self.assertRaises(ssl.SSLCertVerificationError):
            SIM.get("/catalog", connection=conn)
        conn.close()

    def test_curl_agrees(self):
        if not shutil.which("curl"):
            self.skipTest("curl not installed")
        bad = self.start("server-expired")
        url = urllib.parse.urlunsplit(bad.url) + "/catalog"
        result = subprocess.run(["curl", "-sS", "-o", "/dev/null", "--cacert", SIM.ca,
                                 "--cert", os.path.join(SIM.pki, "kiosk.pem"),
                                 "--key", os.path.join(SIM.pki, "kiosk.key"), url],
                                capture_output=True, text=True)
        self.assertEqual(result.returncode, 60, result.stderr)   # peer certificate refused


class Pki(unittest.TestCase):
    def subject(self, name):
        return openssl("x509", "-in", os.path.join(SIM.pki, name + ".pem"), "-noout", "-subject",
                       "-nameopt", "RFC2253").stdout

    def verify(self, ca, name):
        return openssl("verify", "-CAfile", os.path.join(SIM.pki, ca + ".pem"),
                       os.path.join(SIM.pki, name + ".pem"))

    def test_the_set(self):
        if not shutil.which("openssl"):
            self.skipTest("openssl not installed")
        self.assertIn("CN=LL-DEMO-0001", self.subject("kiosk"))
        self.assertIn("CN=LL-DEMO-0001", self.subject("kiosk-expired"))
        self.assertIn("CN=LL-DEMO-0001", self.subject("kiosk-foreign"))
        self.assertIn("CN=LL-DEMO-0002", self.subject("kiosk-other"))
        for ca, name in (("ca", "server"), ("kiosk-ca", "kiosk"), ("kiosk-ca", "kiosk-other")):
            self.assertEqual(self.verify(ca, name).returncode, 0, name)
        self.assertIn("expired", self.verify("ca", "server-expired").stdout
                      + self.verify("ca", "server-expired").stderr)
        self.assertIn("expired", self.verify("kiosk-ca", "kiosk-expired").stdout
                      + self.verify("kiosk-ca", "kiosk-expired").stderr)
        self.assertNotEqual(self.verify("kiosk-ca", "kiosk-foreign").returncode, 0)
        self.assertNotEqual(self.verify("ca", "server-wrong-ca").returncode, 0)
        self.assertNotEqual(self.verify("ca", "kiosk").returncode, 0)   # two separate CAs
        text = openssl("x509", "-in", os.path.join(SIM.pki, "server.pem"), "-noout",
                       "-text").stdout
        self.assertIn("IP Address:127.0.0.1", text)
        self.assertIn("DNS:localhost", text)
        self.assertIn("TLS Web Server Authentication", text)
        self.assertIn("prime256v1", text)
        kiosk = openssl("x509", "-in", os.path.join(SIM.pki, "kiosk.pem"), "-noout",
                        "-text").stdout
        self.assertIn("TLS Web Client Authentication", kiosk)
        # The CA keys are not left lying around.
        for name in ("ca.key", "wrong-ca.key", "kiosk-ca.key", "foreign-ca.key"):
            self.assertFalse(os.path.exists(os.path.join(SIM.pki, name)), name)

    def test_make_again_is_a_no_op(self):
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                              "services", "sim", "make-test-pki.sh")
        before = os.stat(os.path.join(SIM.pki, "kiosk.pem")).st_mtime_ns
        subprocess.run([script, SIM.pki, "LL-DEMO-0001"], check=True)
        self.assertEqual(os.stat(os.path.join(SIM.pki, "kiosk.pem")).st_mtime_ns, before)


class RoundTrip(unittest.TestCase):
    def test_round_trip(self):
        """Figures for the report: a request on a new TLS connection (full
        handshake with client certificate) and on a kept-alive one."""
        n = 50
        start = time.perf_counter()
        for _ in range(n):
            self.assertEqual(SIM.get("/catalog/items/330102-SB-0001").status, 200)
        fresh = (time.perf_counter() - start) / n
        conn = SIM.connection()
        self.addCleanup(conn.close)
        SIM.get("/catalog/items/330102-SB-0001", connection=conn)
        start = time.perf_counter()
        for _ in range(n):
            self.assertEqual(SIM.get("/catalog/items/330102-SB-0001", connection=conn).status,
                             200)
        kept = (time.perf_counter() - start) / n
        conn.close()
        print("\n  round trip over loopback TLS: %.2f ms with a new connection, %.2f ms kept alive"
              % (fresh * 1000, kept * 1000))


if __name__ == "__main__":
    SIM = simlib.Sim()
    unittest.main(verbosity=2)
