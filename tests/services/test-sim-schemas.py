#!/usr/bin/python3 -u
# test-sim-schemas.py: the simulator's answers checked against the schemas
# of services/platform.openapi.yaml with a real JSON Schema validator (Ajv,
# draft-04 like OpenAPI 3.0, from services/contract/node_modules, which
# services/contract/validate.sh installs). Walks every operation, collects
# each answer with the schema the contract gives it, and validates them all
# in one node run; a deliberately broken answer must be refused.
# Exits 77 (skipped) without node or the validator's modules, unless $CI.
# Run under tests/rigs/platform-rig.sh (meson test test-sim-schemas).
# SPDX-License-Identifier: GPL-3.0-or-later

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
CONTRACT = os.path.join(ROOT, "services", "contract")
SPEC = os.path.join(ROOT, "services", "platform.openapi.yaml")

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
_spec = importlib.util.spec_from_file_location("simlib", os.path.join(HERE, "test-sim-lib.py"))
simlib = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(simlib)

VALIDATOR = r"""
const { createRequire } = require('module');
const fs = require('fs');
const [contract, spec, samplesPath] = process.argv.slice(1);
const load = createRequire(contract + '/package.json');
const YAML = load('yaml');
const Ajv = load('ajv-draft-04');
const addFormats = load('ajv-formats');

const doc = YAML.parse(fs.readFileSync(spec, 'utf8'));
// OpenAPI 3.0 Schema Objects: draft-04 keywords plus nullable (Ajv knows
// it), example and description (annotations), formats int64 and binary.
const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
addFormats(ajv);
ajv.addFormat('int64', true);
ajv.addFormat('int32', true);
ajv.addFormat('binary', true);
ajv.addSchema(doc, 'api');
const samples = JSON.parse(fs.readFileSync(samplesPath, 'utf8'));
const results = samples.map(({ schema, body, label }) => {
  const validate = ajv.getSchema('api#/components/schemas/' + schema);
  if (!validate) return { label, ok: false, errors: ['no schema ' + schema] };
  const ok = validate(body);
  return { label, ok, errors: ok ? [] : validate.errors.map(e => e.instancePath + ' ' + e.message) };
});
console.log(JSON.stringify(results));
"""


def skip(reason):
    if os.environ.get("CI"):
        sys.exit("test-sim-schemas: " + reason)
    print("test-sim-schemas: %s; skipping" % reason)
    sys.exit(77)


def key():
    return str(uuid.uuid4())


def collect(sim):
    samples = []

    def add(schema, reply, label, statuses=(200, 201, 202)):
        assert reply.status in statuses, (label, reply)
        samples.append({"schema": schema, "body": reply.json, "label": label})
        return reply.json

    def error(reply, label):
        assert reply.status >= 400, (label, reply)
        samples.append({"schema": "Error", "body": reply.json, "label": label})

    add("Catalog", sim.get("/catalog"), "getCatalog")
    add("CatalogItem", sim.get("/catalog/items/330102-YL-0007"), "getCatalogItem")
    resident = add("Resident", sim.post("/residents/lookup", {
        "id_number": simlib.LI_XIUYING, "source": "id_card", "card_valid_until": None}),
        "lookupResident (pensioner)")
    ref = resident["resident_ref"]
    for number in (simlib.WANG_LELE, simlib.AYGUL, simlib.WANG_XIAOMING):
        add("Resident", sim.post("/residents/lookup", {"id_number": number, "source": "id_card"}),
            "lookupResident")
    young = sim.ref(simlib.WANG_XIAOMING)
    add("ContributionRecord", sim.get("/residents/%s/social-security/contributions?year=2024"
                                      % young), "getContributionRecord")
    add("InsuredCertificate", sim.get("/residents/%s/social-security/insured-certificate"
                                      % young), "getInsuredCertificate")
    photo = simlib.jpeg(20000)
    certification = json.dumps({"consent": {"given_at": "2026-11-23T09:40:51+08:00",
                                            "text_version": "consent-photo-2024-01"},
                                "captured_at": "2026-11-23T09:41:02+08:00"}).encode()
    for number in (simlib.LI_XIUYING, simlib.ZHAO_DEFU, simlib.ZHUOMA):
        body, content_type = simlib.multipart([
            ("certification", "application/json", certification), ("photo", "image/jpeg", photo)])
        result = add("PensionCertification",
                     sim.post("/residents/%s/social-security/pension-certifications"
                              % sim.ref(number), body, content_type=content_type, key=key()),
                     "submitPensionCertification")
        add("PensionCertification", sim.get("/pension-certifications/"
                                            + result["certification_id"]),
            "getPensionCertification")
    add("MedicalInsuranceAccount", sim.get("/residents/%s/medical-insurance" % ref),
        "getMedicalInsuranceAccount")
    for number in (simlib.LI_XIUYING, simlib.AYGUL):
        add("ContributionDue", sim.get("/residents/%s/medical-insurance/contribution-due"
                                       % sim.ref(number)), "getMedicalContributionDue")
    bills = add("UtilityBills", sim.get("/utilities/water/accounts/0012345678/bills"),
                "listUtilityBills")
    add("UtilityBills", sim.get("/utilities/electricity/accounts/3300998877/bills"),
        "listUtilityBills (prepaid, no bills)")
    add("UtilityBills", sim.get("/utilities/heating/accounts/7700001234/bills"),
        "listUtilityBills (heating)")
    unpaid = [b for b in bills["bills"] if b["status"] != "paid"][0]
    order = add("PaymentOrder", sim.post("/payments", {
        "payable_kind": "utility_bill", "payable_id": unpaid["bill_id"],
        "expected_amount_fen": unpaid["amount_fen"], "resident_ref": ref}, key=key()),
        "createPaymentOrder")
    sim.control("POST", "/payments/%s/pay" % order["order_id"])
    add("PaymentOrder", sim.get("/payments/" + order["order_id"]), "getPaymentOrder (paid)")
    error(sim.post("/payments/%s/cancel" % order["order_id"]), "cancel a paid order")
    application = json.dumps({
        "item_code": "330102-MZ-0003", "catalog_etag": None, "resident_ref": sim.ref(simlib.BATER),
        "fields": {"household_size": 2, "monthly_income": 150000, "living_alone": False,
                   "phone": "13912345678"},
        "documents": [{"name": "hukou_booklet", "pages": 1}],
        "submitted_by": {"role": "staff", "staff_id": "GZ0042"}}).encode()
    body, content_type = simlib.multipart([("application", "application/json", application),
                                           ("pages", "image/jpeg", simlib.jpeg())])
    created = add("Application", sim.post("/applications", body, content_type=content_type,
                                          key=key()), "createApplication")
    number = created["application_number"]
    add("Evaluation", sim.post("/applications/%s/evaluation" % number, {"grade": "satisfied"},
                               key=key()), "submitEvaluation")
    add("Application", sim.get("/applications/" + number), "getApplication (evaluated)")
    add("ApplicationList", sim.get("/residents/%s/applications" % sim.ref(simlib.BATER)),
        "listResidentApplications")
    add("HeartbeatAck", sim.post("/heartbeat", simlib.heartbeat(sim.kiosk_id)), "sendHeartbeat")
    sim.control("PUT", "/maintenance", {"from": "2026-12-19T22:00:00+08:00",
                                        "until": "2026-12-20T02:00:00+08:00",
                                        "message": {"zh": "系统维护。", "en": None}})
    add("HeartbeatAck", sim.post("/heartbeat", simlib.heartbeat(sim.kiosk_id)),
        "sendHeartbeat (maintenance)")
    sim.control("DELETE", "/maintenance")

    error(sim.get("/catalog", cert=None), "no certificate")
    error(sim.get("/nothing"), "unknown path")
    error(sim.post("/residents/lookup", {"id_number": "123", "source": "id_card"}), "bad number")
    body, content_type = simlib.multipart([("application", "application/json", application.replace(
        b'"household_size": 2', b'"household_size": 0'))])
    error(sim.post("/applications", body, content_type=content_type, key=key()), "validation")
    sim.fault(kind="status", status=503, retry_after=5)
    error(sim.get("/catalog"), "503")
    sim.fault(kind="status", status=429)
    error(sim.get("/catalog"), "429")
    return samples


def main():
    node = shutil.which("node")
    if node is None:
        skip("node not found (nodejs)")
    if not os.path.isdir(os.path.join(CONTRACT, "node_modules", "ajv-draft-04")):
        skip("the validator is not installed (run services/contract/validate.sh once)")
    sim = simlib.Sim()
    samples = collect(sim)
    # Negative controls: broken answers must be refused (an enum, null
    # where the contract does not allow it, a float amount, a member
    # missing).
    resident = samples[2]["body"]
    order = next(s["body"] for s in samples if s["schema"] == "PaymentOrder")
    samples.append({"schema": "Resident", "body": dict(resident, age_band="90+"),
                    "label": "BROKEN age band (must fail)"})
    samples.append({"schema": "Resident", "body": dict(resident, display_name=None),
                    "label": "BROKEN null name (must fail)"})
    samples.append({"schema": "PaymentOrder", "body": dict(order, amount_fen=12.5),
                    "label": "BROKEN float amount (must fail)"})
    samples.append({"schema": "PaymentOrder",
                    "body": {k: v for k, v in order.items() if k != "qr_payload"},
                    "label": "BROKEN no qr_payload (must fail)"})
    with tempfile.TemporaryDirectory(prefix="linli-schemas.") as work:
        path = os.path.join(work, "samples.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(samples, f, ensure_ascii=False)
        run = subprocess.run([node, "-e", VALIDATOR, CONTRACT, SPEC, path], capture_output=True,
                             text=True, timeout=120)
    if run.returncode != 0:
        sys.exit("validator failed: " + run.stderr)
    results = json.loads(run.stdout)
    failures = 0
    for result in results:
        expected = not result["label"].startswith("BROKEN")
        good = result["ok"] == expected
        failures += not good
        print("%s %s%s" % ("ok  " if good else "FAIL", result["label"],
                           "" if result["ok"] else ": " + "; ".join(result["errors"][:5])))
    print("%d answers validated against the contract's schemas, %d failures"
          % (len(results), failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
