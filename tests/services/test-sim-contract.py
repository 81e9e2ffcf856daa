#!/usr/bin/python3 -u
# test-sim-contract.py: every operation of services/platform.openapi.yaml
# against linli-platform-sim over mutual TLS on loopback, with the
# contract's rules: one Error shape, ETag/304, Idempotency-Key replay,
# conflict and missing key, resident_ref bound to the kiosk.
# Run under tests/rigs/platform-rig.sh (meson test test-sim-contract).
# SPDX-License-Identifier: GPL-3.0-or-later

import importlib.util
import json
import os
import re
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
ERROR_CODES = {
    400: {"BAD_REQUEST", "INVALID_ID_NUMBER", "IDEMPOTENCY_KEY_MISSING"},
    401: {"CLIENT_CERT_REQUIRED", "CLIENT_CERT_INVALID"},
    403: {"KIOSK_ID_MISMATCH", "KIOSK_NOT_REGISTERED", "KIOSK_DISABLED", "ITEM_NOT_ALLOWED"},
    404: {"NOT_FOUND", "RESIDENT_NOT_FOUND", "RESIDENT_REF_EXPIRED", "ITEM_NOT_FOUND",
          "ACCOUNT_NOT_FOUND", "ORDER_NOT_FOUND", "APPLICATION_NOT_FOUND",
          "CERTIFICATION_NOT_FOUND"},
    409: {"IDEMPOTENCY_CONFLICT", "IDEMPOTENCY_IN_PROGRESS", "AMOUNT_MISMATCH", "ALREADY_PAID",
          "ORDER_NOT_CANCELLABLE", "ALREADY_EVALUATED"},
    413: {"PAYLOAD_TOO_LARGE"},
    422: {"VALIDATION_FAILED", "DOCUMENT_MISSING", "NOT_ELIGIBLE", "CONSENT_REQUIRED",
          "PHOTO_UNUSABLE"},
}
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def key():
    return str(uuid.uuid4())


class Base(unittest.TestCase):
    def assertError(self, reply, status, code):
        """The one Error shape, with a message for residents."""
        self.assertEqual(reply.status, status, reply)
        self.assertTrue(reply.header("content-type").startswith("application/json"), reply)
        body = reply.json
        self.assertEqual(body["code"], code, body)
        self.assertIn(code, ERROR_CODES.get(status, {code}))
        self.assertTrue(0 < len(body["message"]) <= 200)
        self.assertTrue(body["message_en"])
        self.assertIn("retry_after", body)
        self.assertTrue(body["request_id"])
        # The message never carries an identity number.
        self.assertIsNone(re.search(r"\d{17}[\dX]", body["message"]))
        return body

    def application(self, ref, item="330102-YL-0007", fields=None, documents=None, pages=None,
                    role="staff", k=None, boundary=None):
        application = {
            "item_code": item, "catalog_etag": None, "resident_ref": ref,
            "fields": fields if fields is not None else {
                "applicant_relation": "self", "phone": "13800000000",
                "contribution_grade": "500", "start_date": "2026-12-01",
                "bank_account": "6222020200112233445", "remarks": "无"},
            "documents": documents if documents is not None else [
                {"name": "hukou_booklet", "pages": 2}, {"name": "bank_card", "pages": 1}],
            "submitted_by": {"role": role, "staff_id": "GZ0042" if role == "staff" else None},
            "confirmed_at": "2026-11-23T10:02:30+08:00",
        }
        parts = [("application", "application/json",
                  json.dumps(application, ensure_ascii=False).encode())]
        count = sum(d["pages"] for d in application["documents"]) if pages is None else pages
        parts += [("pages", "image/jpeg", simlib.jpeg(4000, seed=i)) for i in range(count)]
        body, content_type = simlib.multipart(parts, boundary)
        return SIM.post("/applications", body, content_type=content_type, key=k or key())

    def certification(self, ref, consent=True, photo=None, k=None, given_at=None):
        request = {"captured_at": "2026-11-23T09:41:02+08:00", "assisted_by": None}
        if consent:
            request["consent"] = {"given_at": given_at or "2026-11-23T09:40:51+08:00",
                                  "text_version": "consent-photo-2024-01"}
        body, content_type = simlib.multipart([
            ("certification", "application/json", json.dumps(request).encode()),
            ("photo", "image/jpeg", photo if photo is not None else simlib.jpeg(30000))])
        return SIM.post("/residents/%s/social-security/pension-certifications" % ref, body,
                        content_type=content_type, key=k or key())


class Catalog(Base):
    def test_catalog_etag_and_304(self):
        reply = SIM.get("/catalog")
        self.assertEqual(reply.status, 200)
        etag = reply.header("etag")
        self.assertRegex(etag, r'^"[^"]+"$')          # strong
        self.assertEqual(reply.header("cache-control"), "no-cache")
        catalog = reply.json
        self.assertTrue(catalog["version"])
        self.assertRegex(catalog["generated_at"], RFC3339)
        flows = {item["flow"] for item in catalog["items"]}
        self.assertEqual(flows, {"info", "certificate", "payment", "certification",
                                 "application", "status"})
        codes = [item["item_code"] for item in catalog["items"]]
        self.assertIn("330102-SB-0001", codes)
        self.assertNotIn("330102-MZ-0099", codes)      # offered on LL-DEMO-0002 only
        for item in catalog["items"]:
            for member in ("item_code", "category", "title", "spoken", "flow", "fields",
                           "documents", "receipt_template", "enabled"):
                self.assertIn(member, item)
            self.assertTrue(item["title"]["zh"] and item["title"]["en"])
        categories = [c["code"] for c in catalog["categories"]]
        self.assertTrue(all(item["category"] in categories for item in catalog["items"]))
        # Every field type of the contract appears in some form.
        types = {f["type"] for item in catalog["items"] for f in item["fields"]}
        self.assertEqual(types, {"text", "multiline", "integer", "amount", "date", "choice",
                                 "phone", "id_number", "boolean"})

        again = SIM.get("/catalog", headers={"If-None-Match": etag})
        self.assertEqual(again.status, 304)
        self.assertEqual(again.body, b"")
        self.assertEqual(again.header("etag"), etag)
        weak = SIM.get("/catalog", headers={"If-None-Match": '"nope", W/' + etag})
        self.assertEqual(weak.status, 304)
        other = SIM.get("/catalog", headers={"If-None-Match": '"cat-old"'})
        self.assertEqual(other.status, 200)

    def test_catalog_differs_per_kiosk(self):
        other = SIM.get("/catalog", cert="kiosk-other", kiosk_id="LL-DEMO-0002")
        self.assertEqual(other.status, 200)
        self.assertIn("330102-MZ-0099", [i["item_code"] for i in other.json["items"]])
        self.assertNotEqual(other.header("etag"), SIM.get("/catalog").header("etag"))

    def test_item(self):
        reply = SIM.get("/catalog/items/330102-YL-0007")
        self.assertEqual(reply.status, 200)
        self.assertEqual(reply.json["item_code"], "330102-YL-0007")
        self.assertEqual(reply.json["flow"], "application")
        etag = reply.header("etag")
        self.assertRegex(etag, r'^"[^"]+"$')
        self.assertEqual(SIM.get("/catalog/items/330102-YL-0007",
                                 headers={"If-None-Match": etag}).status, 304)
        self.assertError(SIM.get("/catalog/items/330102-XX-9999"), 404, "ITEM_NOT_FOUND")
        self.assertError(SIM.get("/catalog/items/330102-MZ-0099"), 403, "ITEM_NOT_ALLOWED")
        self.assertError(SIM.get("/catalog/items/%21bad"), 400, "BAD_REQUEST")

    def test_publish_changes_etag_and_heartbeat_says_so(self):
        before = SIM.get("/catalog").header("etag")
        ack = SIM.post("/heartbeat", simlib.heartbeat(SIM.kiosk_id, before))
        self.assertEqual(ack.status, 200)
        self.assertEqual(ack.json["catalog_etag"], before)
        status, published = SIM.control("POST", "/catalog/publish")
        self.assertEqual(status, 200)
        after = SIM.get("/catalog", headers={"If-None-Match": before})
        self.assertEqual(after.status, 200)
        self.assertNotEqual(after.header("etag"), before)
        ack = SIM.post("/heartbeat", simlib.heartbeat(SIM.kiosk_id, before))
        self.assertEqual(ack.json["catalog_etag"], after.header("etag"))


class Residents(Base):
    def test_test_cards_are_residents(self):
        expected = {
            simlib.WANG_XIAOMING: ("王*明", "18-59"),
            simlib.LI_XIUYING: ("李*英", "70-79"),
            simlib.LI_XIAOMEI: ("李*梅", "18-59"),
            simlib.OUYANG_WENHUA: ("欧**华", "18-59"),
            simlib.CHEN_DAWEN: ("陈*文", "18-59"),
            simlib.BATER: ("巴*尔", "80+"),
            simlib.WANG_LELE: ("王*乐", "0-17"),
            simlib.ZHUOMA: ("卓*", "60-69"),
        }
        refs = set()
        for number, (name, band) in expected.items():
            resident = SIM.lookup(number)
            self.assertEqual(resident["display_name"], name)
            self.assertEqual(resident["age_band"], band)
            self.assertRegex(resident["resident_ref"], r"^[A-Za-z0-9_-]{16,64}$")
            # Opaque: nothing of the number in it.
            self.assertNotIn(number[-6:], resident["resident_ref"])
            self.assertRegex(resident["ref_expires_at"], RFC3339)
            self.assertIn("accounts", resident)
            refs.add(resident["resident_ref"])
        self.assertEqual(len(refs), len(expected))
        # A new ref for every look-up.
        self.assertNotEqual(SIM.ref(simlib.WANG_XIAOMING), SIM.ref(simlib.WANG_XIAOMING))

    def test_linked_accounts(self):
        accounts = SIM.lookup(simlib.LI_XIUYING)["accounts"]
        self.assertEqual(accounts["social_security"]["status"], "retired")
        self.assertRegex(accounts["social_security"]["pension_certification_due"], DATE)
        self.assertEqual(accounts["medical_insurance"],
                         {"account_masked": "1101****1234", "scheme": "employee",
                          "status": "active"})
        types = sorted(u["type"] for u in accounts["utilities"])
        self.assertEqual(types, ["electricity", "gas", "water"])
        for utility in accounts["utilities"]:
            self.assertNotRegex(utility["address_masked"], r"\d")
        child = SIM.lookup(simlib.WANG_LELE)["accounts"]
        self.assertIsNone(child["social_security"])
        self.assertEqual(child["utilities"], [])
        self.assertEqual(SIM.lookup(simlib.AYGUL)["accounts"]["social_security"]["status"],
                         "not_insured")

    def test_lookup_refusals(self):
        wrong_check = simlib.WANG_XIAOMING[:17] + ("0" if simlib.WANG_XIAOMING[17] != "0" else "1")
        reply = SIM.post("/residents/lookup", {"id_number": wrong_check, "source": "id_card"})
        self.assertError(reply, 400, "INVALID_ID_NUMBER")
        reply = SIM.post("/residents/lookup", {"id_number": simlib.id_number("11010119991332123"),
                                               "source": "id_card"})   # month 13
        self.assertError(reply, 400, "INVALID_ID_NUMBER")
        unknown = simlib.id_number("11010119700101999")
        self.assertError(SIM.post("/residents/lookup", {"id_number": unknown, "source": "id_card"}),
                         404, "RESIDENT_NOT_FOUND")
        self.assertError(SIM.post("/residents/lookup", {"id_number": unknown}), 400, "BAD_REQUEST")
        self.assertError(SIM.post("/residents/lookup", {"id_number": unknown, "source": "fax"}),
                         400, "BAD_REQUEST")
        self.assertError(SIM.post("/residents/lookup", b"{not json",
                                  content_type="application/json"), 400, "BAD_REQUEST")
        self.assertError(SIM.post("/residents/lookup",
                                  {"id_number": simlib.WANG_XIAOMING, "source": "staff_entry"}),
                         400, "BAD_REQUEST")   # staff entry names the staff
        staff = SIM.post("/residents/lookup", {"id_number": simlib.WANG_XIAOMING,
                                               "source": "staff_entry", "staff_id": "GZ0042"})
        self.assertEqual(staff.status, 200)
        big = {"id_number": simlib.WANG_XIAOMING, "source": "id_card", "x": "y" * 300000}
        self.assertError(SIM.post("/residents/lookup", big), 413, "PAYLOAD_TOO_LARGE")

    def test_ref_bound_to_kiosk_and_expiry(self):
        ref = SIM.ref(simlib.WANG_XIAOMING)
        path = "/residents/%s/medical-insurance" % ref
        self.assertEqual(SIM.get(path).status, 200)
        self.assertError(SIM.get(path, cert="kiosk-other", kiosk_id="LL-DEMO-0002"),
                         404, "RESIDENT_REF_EXPIRED")
        self.assertError(SIM.get("/residents/r_unknownunknownunknown/medical-insurance"),
                         404, "RESIDENT_REF_EXPIRED")
        self.assertError(SIM.get("/residents/short/medical-insurance"), 400, "BAD_REQUEST")
        status, answer = SIM.control("POST", "/resident-refs/expire")
        self.assertEqual(status, 200)
        self.assertGreater(answer["expired"], 0)
        self.assertError(SIM.get(path), 404, "RESIDENT_REF_EXPIRED")


class SocialSecurity(Base):
    def test_contribution_record(self):
        ref = SIM.ref(simlib.WANG_XIAOMING)
        base = "/residents/%s/social-security/contributions" % ref
        record = SIM.get(base + "?year=2024").json
        self.assertEqual(record["year"], 2024)
        self.assertEqual([m["month"] for m in record["months"]],
                         ["2024-%02d" % m for m in range(1, 13)])
        march = record["months"][2]
        self.assertEqual(march["status"], "unpaid")
        paid = [m for m in record["months"] if m["status"] != "unpaid"]
        self.assertEqual(record["total_personal_fen"], sum(m["personal_fen"] for m in paid))
        self.assertEqual(record["total_employer_fen"], sum(m["employer_fen"] for m in paid))
        self.assertTrue(all(isinstance(m["base_fen"], int) for m in record["months"]))
        self.assertEqual(march["employer_name"], "示例县某某有限公司")
        july = SIM.get(base + "?year=2023").json["months"][6]
        self.assertEqual(july["status"], "back_paid")
        # 2012-07 .. 2023-12 minus nothing unpaid before 2024: 138 months.
        self.assertEqual(SIM.get(base + "?year=2023").json["cumulative_months"], 138)
        self.assertEqual(record["cumulative_months"], 138 + 11)
        empty = SIM.get(base + "?year=2000").json
        self.assertEqual(empty["months"], [])
        self.assertEqual(empty["cumulative_months"], 0)
        self.assertError(SIM.get(base), 400, "BAD_REQUEST")
        self.assertError(SIM.get(base + "?year=1989"), 400, "BAD_REQUEST")
        self.assertError(SIM.get(base + "?year=abc"), 400, "BAD_REQUEST")
        flexible = SIM.get("/residents/%s/social-security/contributions?year=2025"
                           % SIM.ref(simlib.OUYANG_WENHUA)).json
        self.assertIsNone(flexible["months"][0]["employer_name"])
        self.assertEqual(flexible["months"][0]["employer_fen"], 0)
        child = SIM.ref(simlib.WANG_LELE)
        self.assertError(SIM.get("/residents/%s/social-security/contributions?year=2024" % child),
                         404, "ACCOUNT_NOT_FOUND")

    def test_insured_certificate(self):
        ref = SIM.ref(simlib.WANG_XIAOMING)
        reply = SIM.get("/residents/%s/social-security/insured-certificate" % ref)
        self.assertEqual(reply.status, 200, reply)
        cert = reply.json
        self.assertEqual(cert["name"], "王小明")
        self.assertEqual(cert["id_number_masked"],
                         simlib.WANG_XIAOMING[:6] + "********" + simlib.WANG_XIAOMING[14:])
        self.assertRegex(cert["verification_code"], r"^[A-Z0-9]{8,16}$")
        self.assertTrue(cert["verify_url"].startswith("https://"))
        self.assertRegex(cert["issued_at"], RFC3339)
        self.assertRegex(cert["valid_until"], DATE)
        self.assertEqual([line["insurance"] for line in cert["insurances"]],
                         ["pension", "medical", "unemployment", "work_injury", "maternity"])
        self.assertTrue(cert["issuer"])
        rows = SIM.query("SELECT * FROM issued_certificates WHERE certificate_number = ?",
                         cert["certificate_number"])
        self.assertEqual(rows[0]["verification_code"], cert["verification_code"])
        self.assertEqual(rows[0]["kiosk_id"], SIM.kiosk_id)
        second = SIM.get("/residents/%s/social-security/insured-certificate" % ref).json
        self.assertNotEqual(second["certificate_number"], cert["certificate_number"])
        self.assertError(SIM.get("/residents/%s/social-security/insured-certificate"
                                 % SIM.ref(simlib.AYGUL)), 422, "NOT_ELIGIBLE")

    def test_certification_pending_then_accepted(self):
        ref = SIM.ref(simlib.LI_XIUYING)
        k = key()
        reply = self.certification(ref, k=k)
        self.assertEqual(reply.status, 202, reply)
        first = reply.json
        self.assertEqual(first["result"], "pending")
        self.assertIsNone(first["decided_at"])
        self.assertRegex(first["certification_id"], r"^[A-Za-z0-9_-]{8,64}$")
        # The same key and body: the first answer again, no second row.
        replay = self.certification(ref, k=k)
        self.assertEqual(replay.status, 200)
        self.assertEqual(replay.header("idempotency-replayed"), "true")
        self.assertEqual(replay.json, first)
        rows = SIM.query("SELECT certification_id, photo_size, photo_sha256, consent_text_version"
                         " FROM pension_certifications WHERE idempotency_key = ?", k)
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0]["photo_size"], len(simlib.jpeg(30000)))
        path = "/pension-certifications/" + first["certification_id"]
        deadline = time.monotonic() + 10
        result = SIM.get(path).json
        while result["result"] == "pending" and time.monotonic() < deadline:
            time.sleep(0.2)
            result = SIM.get(path).json
        self.assertEqual(result["result"], "accepted")
        self.assertRegex(result["decided_at"], RFC3339)
        self.assertRegex(result["valid_until"], DATE)
        self.assertNotIn("reason", result)
        due = SIM.lookup(simlib.LI_XIUYING)["accounts"]["social_security"]
        self.assertEqual(due["pension_certification_due"], result["valid_until"])

    def test_certification_rejected_and_accepted_at_once(self):
        rejected = self.certification(SIM.ref(simlib.ZHAO_DEFU))
        self.assertEqual(rejected.status, 200, rejected)
        self.assertEqual(rejected.json["result"], "rejected")
        self.assertTrue(rejected.json["reason"]["zh"])
        self.assertTrue(rejected.json["reason"]["en"])
        self.assertRegex(rejected.json["decided_at"], RFC3339)
        accepted = self.certification(SIM.ref(simlib.ZHUOMA))
        self.assertEqual(accepted.status, 200, accepted)
        self.assertEqual(accepted.json["result"], "accepted")
        self.assertRegex(accepted.json["valid_until"], DATE)

    def test_certification_refusals(self):
        ref = SIM.ref(simlib.BATER)
        self.assertError(self.certification(ref, consent=False), 422, "CONSENT_REQUIRED")
        self.assertError(self.certification(ref, given_at="2026-11-23T09:45:00+08:00"),
                         422, "CONSENT_REQUIRED")     # consent after the photo
        self.assertError(self.certification(ref, photo=b"GIF89a" + b"\0" * 2000),
                         422, "PHOTO_UNUSABLE")
        self.assertError(self.certification(ref, photo=simlib.jpeg(3 * 1024 * 1024)),
                         413, "PAYLOAD_TOO_LARGE")
        self.assertError(self.certification(SIM.ref(simlib.WANG_XIAOMING)), 422, "NOT_ELIGIBLE")
        body, content_type = simlib.multipart([("photo", "image/jpeg", simlib.jpeg())])
        self.assertError(SIM.post("/residents/%s/social-security/pension-certifications" % ref,
                                  body, content_type=content_type, key=key()),
                         400, "BAD_REQUEST")
        self.assertError(SIM.post("/residents/%s/social-security/pension-certifications" % ref,
                                  body, content_type=content_type), 400, "IDEMPOTENCY_KEY_MISSING")
        self.assertError(SIM.post("/residents/%s/social-security/pension-certifications" % ref,
                                  b"{}", content_type="application/json", key=key()),
                         400, "BAD_REQUEST")
        self.assertError(SIM.get("/pension-certifications/RZ2000010100001"),
                         404, "CERTIFICATION_NOT_FOUND")
        # None of the refused ones left a row or a claim.
        self.assertEqual(SIM.query("SELECT count(*) AS n FROM idempotency_keys"
                                   " WHERE status = 'in_progress'")[0]["n"], 0)


class Medical(Base):
    def test_account(self):
        ref = SIM.ref(simlib.LI_XIUYING)
        account = SIM.get("/residents/%s/medical-insurance" % ref).json
        self.assertEqual(account["balance_fen"], 352000)
        self.assertEqual(account["scheme"], "employee")
        self.assertEqual(account["account_masked"], "1101****1234")
        dates = [r["date"] for r in account["records"]]
        self.assertEqual(dates, sorted(dates, reverse=True))
        self.assertEqual(len(account["records"]), 5)
        self.assertTrue(any(r["amount_fen"] < 0 for r in account["records"]))
        two = SIM.get("/residents/%s/medical-insurance?limit=2" % ref).json
        self.assertEqual(two["records"], account["records"][:2])
        self.assertError(SIM.get("/residents/%s/medical-insurance?limit=0" % ref), 400,
                         "BAD_REQUEST")
        self.assertError(SIM.get("/residents/%s/medical-insurance?limit=51" % ref), 400,
                         "BAD_REQUEST")

    def test_contribution_due_and_payment(self):
        ref = SIM.ref(simlib.AYGUL)
        due = SIM.get("/residents/%s/medical-insurance/contribution-due" % ref).json
        self.assertEqual(due["status"], "due")
        self.assertEqual(due["amount_due_fen"], 40000)
        self.assertRegex(due["deadline"], DATE)
        self.assertTrue(due["payable_id"])
        last = SIM.get("/residents/%s/medical-insurance/contribution-due?year=%d"
                       % (ref, due["year"] - 1)).json
        self.assertEqual(last["status"], "paid")
        self.assertIsNone(last["payable_id"])
        order = SIM.post("/payments", {"payable_kind": "medical_contribution",
                                       "payable_id": due["payable_id"],
                                       "expected_amount_fen": 40000, "resident_ref": ref},
                         key=key())
        self.assertEqual(order.status, 201, order)
        self.assertEqual(order.json["description"]["zh"], "城乡居民医保 %d年度" % due["year"])
        self.assertEqual(SIM.control("POST", "/payments/%s/pay" % order.json["order_id"])[0], 200)
        paid = SIM.get("/residents/%s/medical-insurance/contribution-due" % ref).json
        self.assertEqual(paid["status"], "paid")
        self.assertEqual(paid["amount_due_fen"], 0)
        employee = SIM.get("/residents/%s/medical-insurance/contribution-due"
                           % SIM.ref(simlib.LI_XIUYING)).json
        self.assertEqual(employee["status"], "not_applicable")
        self.assertIsNone(employee["payable_id"])
        self.assertError(SIM.get("/residents/%s/medical-insurance/contribution-due?year=1999"
                                 % ref), 400, "BAD_REQUEST")


class Utilities(Base):
    def test_bills(self):
        reply = SIM.get("/utilities/water/accounts/0012345678/bills")
        self.assertEqual(reply.status, 200, reply)
        bills = reply.json
        self.assertEqual(bills["provider"], "示例县自来水公司")
        self.assertEqual(bills["holder_masked"], "李*英")
        self.assertNotRegex(bills["address_masked"], r"\d")
        states = [b["status"] for b in bills["bills"]]
        self.assertEqual(states, ["overdue", "unpaid", "paid", "paid"])
        self.assertEqual(bills["bills"][0]["late_fee_fen"], 120)
        self.assertNotIn("late_fee_fen", bills["bills"][1])
        self.assertLess(bills["bills"][0]["period_start"], bills["bills"][1]["period_start"])
        self.assertGreater(bills["bills"][2]["period_start"], bills["bills"][3]["period_start"])
        self.assertNotIn("prepaid_balance_fen", bills)
        prepaid = SIM.get("/utilities/electricity/accounts/3300112234/bills").json
        self.assertEqual(prepaid["prepaid_balance_fen"], 5630)
        heating = SIM.get("/utilities/heating/accounts/7700001234/bills").json
        self.assertEqual(heating["bills"][0]["unit"], "m²")
        self.assertError(SIM.get("/utilities/water/accounts/0000000000/bills"), 404,
                         "ACCOUNT_NOT_FOUND")
        self.assertError(SIM.get("/utilities/steam/accounts/0012345678/bills"), 400, "BAD_REQUEST")
        self.assertError(SIM.get("/utilities/water/accounts/a%20b/bills"), 400, "BAD_REQUEST")


class Payments(Base):
    def test_order_lifecycle_and_idempotency(self):
        bills = SIM.get("/utilities/water/accounts/0099887766/bills").json["bills"]
        bill = bills[0]
        self.assertEqual(bill["status"], "unpaid")
        request = {"payable_kind": "utility_bill", "payable_id": bill["bill_id"],
                   "expected_amount_fen": bill["amount_fen"]}
        self.assertError(SIM.post("/payments", dict(request, expected_amount_fen=1), key=key()),
                         409, "AMOUNT_MISMATCH")
        self.assertError(SIM.post("/payments", request), 400, "IDEMPOTENCY_KEY_MISSING")
        self.assertError(SIM.post("/payments", request, key="not-a-uuid"), 400, "BAD_REQUEST")
        k = key()
        created = SIM.post("/payments", request, key=k)
        self.assertEqual(created.status, 201, created)
        order = created.json
        self.assertEqual(order["state"], "pending")
        self.assertEqual(order["amount_fen"], bill["amount_fen"])
        self.assertTrue(order["qr_payload"].startswith("https://"))
        self.assertEqual(created.header("location"), SIM.url.path + "/payments/" + order["order_id"])
        self.assertIsNone(order["paid_at"])
        self.assertIsNone(order["transaction_id"])
        self.assertRegex(order["expires_at"], RFC3339)
        self.assertTrue(order["description"]["zh"].startswith("水费 "))
        self.assertIsNone(created.header("idempotency-replayed"))
        # Replay: same order, 200, no second row.
        replay = SIM.post("/payments", request, key=k)
        self.assertEqual(replay.status, 200)
        self.assertEqual(replay.header("idempotency-replayed"), "true")
        self.assertEqual(replay.json["order_id"], order["order_id"])
        # Same key, another body: conflict.
        conflict = SIM.post("/payments", dict(request, expected_amount_fen=1), key=k)
        self.assertError(conflict, 409, "IDEMPOTENCY_CONFLICT")
        self.assertEqual(len(SIM.query("SELECT * FROM payment_orders WHERE idempotency_key = ?",
                                       k)), 1)
        # Another kiosk's key space is its own, and it cannot see the order.
        self.assertError(SIM.get("/payments/" + order["order_id"], cert="kiosk-other",
                                 kiosk_id="LL-DEMO-0002"), 404, "ORDER_NOT_FOUND")
        self.assertEqual(SIM.get("/payments/" + order["order_id"]).json["state"], "pending")
        status, paid = SIM.control("POST", "/payments/%s/pay" % order["order_id"])
        self.assertEqual(status, 200)
        polled = SIM.get("/payments/" + order["order_id"]).json
        self.assertEqual(polled["state"], "paid")
        self.assertRegex(polled["paid_at"], RFC3339)
        self.assertTrue(polled["transaction_id"])
        after = SIM.get("/utilities/water/accounts/0099887766/bills").json["bills"]
        self.assertEqual([(b["bill_id"], b["status"]) for b in after],
                         [(bill["bill_id"], "paid"), (bills[1]["bill_id"], "paid")])
        self.assertError(SIM.post("/payments/%s/cancel" % order["order_id"]), 409,
                         "ORDER_NOT_CANCELLABLE")
        self.assertError(SIM.post("/payments", request, key=key()), 409, "ALREADY_PAID")
        self.assertEqual(SIM.control("POST", "/payments/%s/pay" % order["order_id"])[0], 409)
        self.assertError(SIM.get("/payments/PO20000101000001"), 404, "ORDER_NOT_FOUND")
        self.assertError(SIM.get("/payments/a"), 400, "BAD_REQUEST")

    def test_cancel_and_expire(self):
        bill = SIM.get("/utilities/electricity/accounts/3300112233/bills").json["bills"][0]
        request = {"payable_kind": "utility_bill", "payable_id": bill["bill_id"],
                   "expected_amount_fen": bill["amount_fen"],
                   "resident_ref": SIM.ref(simlib.LI_XIUYING)}
        first = SIM.post("/payments", request, key=key()).json
        cancelled = SIM.post("/payments/%s/cancel" % first["order_id"])
        self.assertEqual(cancelled.status, 200)
        self.assertEqual(cancelled.json["state"], "cancelled")
        again = SIM.post("/payments/%s/cancel" % first["order_id"])
        self.assertEqual(again.json["state"], "cancelled")
        second = SIM.post("/payments", request, key=key()).json
        self.assertNotEqual(second["order_id"], first["order_id"])
        status, expired = SIM.control("POST", "/payments/%s/expire" % second["order_id"])
        self.assertEqual((status, expired["state"]), (200, "expired"))
        self.assertEqual(SIM.get("/payments/" + second["order_id"]).json["state"], "expired")
        self.assertEqual(SIM.post("/payments/%s/cancel" % second["order_id"]).json["state"],
                         "expired")
        self.assertEqual(SIM.control("POST", "/payments/%s/pay" % second["order_id"])[0], 409)
        self.assertError(SIM.post("/payments", dict(request, payable_id="WB000000-0"), key=key()),
                         404, "ACCOUNT_NOT_FOUND")
        self.assertError(SIM.post("/payments", dict(request, payable_kind="gift"), key=key()),
                         400, "BAD_REQUEST")


class Applications(Base):
    def test_create_replay_and_status(self):
        ref = SIM.ref(simlib.WANG_XIAOMING)
        k = key()
        created = self.application(ref, k=k)
        self.assertEqual(created.status, 201, created)
        application = created.json
        number = application["application_number"]
        self.assertRegex(number, r"^[A-Z0-9]{8,32}$")
        self.assertEqual(application["status"], "received")
        self.assertEqual(application["title"]["zh"], "城乡居民养老保险参保登记")
        self.assertTrue(application["evaluable"])
        self.assertEqual(created.header("location"), SIM.url.path + "/applications/" + number)
        # A resend draws a new multipart boundary: still the same submission.
        replay = self.application(ref, k=k, boundary="another-boundary-1234")
        self.assertEqual(replay.status, 200, replay)
        self.assertEqual(replay.header("idempotency-replayed"), "true")
        self.assertEqual(replay.json["application_number"], number)
        rows = SIM.query("SELECT * FROM applications WHERE idempotency_key = ?", k)
        self.assertEqual(len(rows), 1)
        self.assertEqual((rows[0]["kiosk_id"], rows[0]["page_count"], rows[0]["submitted_by"],
                          rows[0]["staff_id"]), (SIM.kiosk_id, 3, "staff", "GZ0042"))
        pages = SIM.query("SELECT document FROM application_pages WHERE application_number = ?"
                          " ORDER BY seq", number)
        self.assertEqual([p["document"] for p in pages],
                         ["hukou_booklet", "hukou_booklet", "bank_card"])
        keys = SIM.query("SELECT * FROM idempotency_keys WHERE key = ?", k)
        self.assertEqual((keys[0]["status"], keys[0]["response_status"], keys[0]["operation"]),
                         ("completed", 201, "createApplication"))
        # Another body under the key: conflict.
        self.assertError(self.application(ref, k=k, fields={
            "applicant_relation": "spouse", "phone": "13800000000", "contribution_grade": "500",
            "start_date": "2026-12-01", "bank_account": "6222020200112233445"}),
            409, "IDEMPOTENCY_CONFLICT")

        status = SIM.get("/applications/" + number)
        self.assertEqual(status.json, application)
        listed = SIM.get("/residents/%s/applications" % ref).json["applications"]
        self.assertEqual(listed[0]["application_number"], number)
        self.assertIn("needs_more", [a["status"] for a in listed])   # seeded, from the web
        only = SIM.get("/residents/%s/applications?status=needs_more" % ref).json["applications"]
        self.assertEqual([a["status"] for a in only], ["needs_more"])
        self.assertEqual(len(SIM.get("/residents/%s/applications?limit=1" % ref)
                             .json["applications"]), 1)
        self.assertError(SIM.get("/residents/%s/applications?status=lost" % ref), 400,
                         "BAD_REQUEST")
        status, moved = SIM.control("POST", "/applications/%s/status" % number,
                                    {"status": "accepted",
                                     "status_text": {"zh": "已受理。", "en": "Taken in."}})
        self.assertEqual((status, moved["status"], moved["status_text"]["zh"]),
                         (200, "accepted", "已受理。"))
        self.assertEqual(SIM.get("/applications/" + number).json["status"], "accepted")
        self.assertError(SIM.get("/applications/BJ000000000000000000"), 404,
                         "APPLICATION_NOT_FOUND")
        self.assertError(SIM.get("/applications/bj-lower"), 400, "BAD_REQUEST")

    def test_validation(self):
        ref = SIM.ref(simlib.WANG_XIAOMING)
        reply = self.application(ref, fields={
            "applicant_relation": "neighbour", "phone": "1380000", "contribution_grade": 500,
            "start_date": "2020-01-01", "bank_account": "12ab"})
        body = self.assertError(reply, 422, "VALIDATION_FAILED")
        errors = {e["field"]: e["code"] for e in body["field_errors"]}
        self.assertEqual(errors, {"applicant_relation": "CHOICE", "phone": "MIN_LENGTH",
                                  "contribution_grade": "TYPE", "start_date": "MIN",
                                  "bank_account": "MIN_LENGTH"})
        for error in body["field_errors"]:
            self.assertTrue(error["message"] and error["message_en"])
        missing = self.assertError(self.application(ref, fields={"phone": "23800000000"}), 422,
                                   "VALIDATION_FAILED")
        codes = {e["field"]: e["code"] for e in missing["field_errors"]}
        self.assertEqual(codes["phone"], "PATTERN")
        self.assertEqual(codes["applicant_relation"], "REQUIRED")
        self.assertNotIn("remarks", codes)     # optional
        # The old-age allowance: integer, amount, boolean, id_number.
        allowance = {"household_size": 0, "monthly_income": 250000, "living_alone": "yes",
                     "phone": "13912345678", "agent_id_number": simlib.WANG_XIAOMING[:17] + "0"}
        body = self.assertError(self.application(ref, item="330102-MZ-0003", fields=allowance,
                                                 documents=[{"name": "hukou_booklet",
                                                             "pages": 1}]), 422,
                                "VALIDATION_FAILED")
        self.assertEqual({e["field"]: e["code"] for e in body["field_errors"]},
                         {"household_size": "MIN", "living_alone": "TYPE",
                          "agent_id_number": "PATTERN"})
        good = dict(allowance, household_size=2, living_alone=True,
                    agent_id_number=simlib.WANG_XIAOMING)
        created = self.application(ref, item="330102-MZ-0003", fields=good,
                                   documents=[{"name": "hukou_booklet", "pages": 1}])
        self.assertEqual(created.status, 201, created)

    def test_documents_and_refusals(self):
        ref = SIM.ref(simlib.LI_XIAOMEI)
        self.assertError(self.application(ref, documents=[{"name": "hukou_booklet", "pages": 1}]),
                         422, "DOCUMENT_MISSING")               # bank_card is required
        self.assertError(self.application(ref, pages=2), 422, "DOCUMENT_MISSING")
        self.assertError(self.application(ref, pages=4), 400, "BAD_REQUEST")
        self.assertError(self.application(ref, documents=[
            {"name": "hukou_booklet", "pages": 5}, {"name": "bank_card", "pages": 1}]),
            400, "BAD_REQUEST")                                  # pages_max is 4
        self.assertError(self.application(ref, documents=[
            {"name": "passport", "pages": 1}, {"name": "bank_card", "pages": 1}]),
            400, "BAD_REQUEST")
        self.assertError(self.application(ref, item="330102-YB-0010", role="resident",
                                          fields={}, documents=[]), 403, "ITEM_NOT_ALLOWED")
        self.assertError(self.application(ref, item="330102-MZ-0099"), 403, "ITEM_NOT_ALLOWED")
        self.assertError(self.application(ref, item="330102-XX-0001"), 404, "ITEM_NOT_FOUND")
        self.assertError(self.application(ref, item="330102-SB-0001"), 400, "BAD_REQUEST")
        self.assertError(self.application("r_unknownunknownunknown"), 404, "RESIDENT_REF_EXPIRED")
        body, content_type = simlib.multipart([("application", "application/json", b"{")])
        self.assertError(SIM.post("/applications", body, content_type=content_type, key=key()),
                         400, "BAD_REQUEST")
        self.assertError(SIM.post("/applications", {"item_code": "330102-YL-0007"}, key=key()),
                         400, "BAD_REQUEST")                    # JSON, not multipart
        application = json.dumps({"item_code": "330102-YL-0007"}).encode()
        body, content_type = simlib.multipart([("application", "application/json", application)])
        self.assertError(SIM.post("/applications", body, content_type=content_type), 400,
                         "IDEMPOTENCY_KEY_MISSING")
        self.assertEqual(SIM.query("SELECT count(*) AS n FROM applications a JOIN residents r"
                                   " USING (resident_id) WHERE r.id_number = ?",
                                   simlib.LI_XIAOMEI)[0]["n"], 0)

    def test_upload_limit(self):
        ref = SIM.ref(simlib.WANG_XIAOMING)
        # 17 MiB: above the 16 MiB the simulator accepts.
        body, content_type = simlib.multipart(
            [("application", "application/json", b"{}")]
            + [("pages", "image/jpeg", simlib.jpeg(1024 * 1024))] * 17)
        self.assertError(SIM.post("/applications", body, content_type=content_type, key=key(),
                                  timeout=60), 413, "PAYLOAD_TOO_LARGE")
        # 15 pages of 1 MiB are accepted by size (and then checked).
        body, content_type = simlib.multipart(
            [("application", "application/json", b"{}")]
            + [("pages", "image/jpeg", simlib.jpeg(1024 * 1024))] * 15)
        self.assertError(SIM.post("/applications", body, content_type=content_type, key=key(),
                                  timeout=60), 400, "BAD_REQUEST")


class Evaluation(Base):
    def test_evaluate_once(self):
        ref = SIM.ref(simlib.CHEN_DAWEN)
        number = self.application(ref).json["application_number"]
        path = "/applications/%s/evaluation" % number
        self.assertError(SIM.post(path, {"grade": "great"}, key=key()), 400, "BAD_REQUEST")
        self.assertError(SIM.post(path, {"grade": "dissatisfied", "comment": "慢" * 201},
                                  key=key()), 422, "VALIDATION_FAILED")
        self.assertError(SIM.post(path, {"grade": "satisfied"}), 400, "IDEMPOTENCY_KEY_MISSING")
        k = key()
        first = SIM.post(path, {"grade": "very_satisfied", "comment": "工作人员很耐心。",
                                "reasons": []}, key=k)
        self.assertEqual(first.status, 201, first)
        self.assertEqual(first.json["grade"], "very_satisfied")
        self.assertEqual(first.json["application_number"], number)
        replay = SIM.post(path, {"grade": "very_satisfied", "comment": "工作人员很耐心。",
                                 "reasons": []}, key=k)
        self.assertEqual(replay.status, 200)
        self.assertEqual(replay.header("idempotency-replayed"), "true")
        self.assertEqual(replay.json, first.json)
        self.assertError(SIM.post(path, {"grade": "satisfied"}, key=key()), 409,
                         "ALREADY_EVALUATED")
        status = SIM.get("/applications/" + number).json
        self.assertFalse(status["evaluable"])
        self.assertEqual(status["evaluation"], first.json)
        self.assertError(SIM.post("/applications/BJ000000000000000000/evaluation",
                                  {"grade": "satisfied"}, key=key()), 404,
                         "APPLICATION_NOT_FOUND")


class Heartbeat(Base):
    def test_heartbeat(self):
        etag = SIM.get("/catalog").header("etag")
        reply = SIM.post("/heartbeat", simlib.heartbeat(SIM.kiosk_id, etag))
        self.assertEqual(reply.status, 200, reply)
        self.assertRegex(reply.json["server_time"], RFC3339)
        self.assertEqual(reply.json["catalog_etag"], etag)
        self.assertIsNone(reply.json["maintenance"])
        rows = SIM.query("SELECT * FROM heartbeats WHERE kiosk_id = ? ORDER BY heartbeat_id DESC",
                         SIM.kiosk_id)
        self.assertEqual((rows[0]["paper"], rows[0]["uptime_s"], rows[0]["outbox_depth"]),
                         ("ok", 42, 0))
        window = {"from": "2026-12-19T22:00:00+08:00", "until": "2026-12-20T02:00:00+08:00",
                  "message": {"zh": "系统维护，暂停服务。", "en": "Closed for maintenance."}}
        self.assertEqual(SIM.control("PUT", "/maintenance", window)[0], 200)
        announced = SIM.post("/heartbeat", simlib.heartbeat(SIM.kiosk_id, etag)).json
        self.assertEqual(announced["maintenance"], window)
        self.assertEqual(SIM.control("DELETE", "/maintenance")[0], 200)
        self.assertIsNone(SIM.post("/heartbeat", simlib.heartbeat(SIM.kiosk_id)).json
                          ["maintenance"])
        self.assertError(SIM.post("/heartbeat", simlib.heartbeat("LL-DEMO-0002")), 403,
                         "KIOSK_ID_MISMATCH")
        broken = simlib.heartbeat(SIM.kiosk_id)
        broken["paper"] = "plenty"
        self.assertError(SIM.post("/heartbeat", broken), 400, "BAD_REQUEST")
        del broken["counters"]
        broken["paper"] = "ok"
        self.assertError(SIM.post("/heartbeat", broken), 400, "BAD_REQUEST")


class Misc(Base):
    def test_unknown_paths(self):
        self.assertError(SIM.get("/nothing-here"), 404, "NOT_FOUND")
        self.assertError(SIM.request("DELETE", "/catalog"), 404, "NOT_FOUND")
        reply = SIM.request("GET", "/../catalog")
        self.assertIn(reply.status, (400, 404))

    def test_request_id_echoed(self):
        rid = str(uuid.uuid4())
        reply = SIM.get("/nothing-here", headers={"X-Request-Id": rid})
        self.assertEqual(reply.json["request_id"], rid)
        self.assertEqual(reply.header("x-request-id"), rid)

    def test_stats_count_operations(self):
        before = SIM.stats()["requests"]["getCatalog"]
        SIM.get("/catalog")
        SIM.get("/catalog")
        self.assertEqual(SIM.stats()["requests"]["getCatalog"], before + 2)

    def test_zz_log_has_no_personal_data(self):
        # Runs last (name): everything above has been logged by now.
        log_path = os.path.join(SIM.rig_dir or "", "sim.log")
        if not SIM.rig_dir or not os.path.exists(log_path):
            self.skipTest("no rig log")
        with open(log_path, encoding="utf-8", errors="replace") as f:
            log = f.read()
        self.assertIn("op=lookupResident", log)
        for number in simlib.SEEDED_NUMBERS:
            self.assertNotIn(number, log)
            self.assertNotIn(number[6:14], log)
        for name in ("王小明", "李秀英", "巴特尔", "13800000000"):
            self.assertNotIn(name, log)


if __name__ == "__main__":
    SIM = simlib.Sim()
    unittest.main(verbosity=2)
