#!/usr/bin/python3 -u
# SPDX-License-Identifier: GPL-3.0-or-later
"""The seed corpus of the platform's JSON parsers, made from the contract.

For every response schema of services/platform.openapi.yaml this builds the
contract's own example (the schema's `example`, or one put together from its
members' examples), and from it malformed variants: each required member
missing, each member of the wrong JSON type, plus hand-written edge cases
(nesting, UTF-8, huge numbers, oversized strings, bad dates and enums).

Each file of tests/fuzz/corpus/platform-json/ starts with one letter naming
the parser (see tests/fuzz/fuzz-platform-json.c), then the body. Files named
ok-* must parse, bad-* must be refused: tests/services/test-platform-models.c
checks that, and fuzz-platform-json replays them all.

    test-platform-examples.py CONTRACT CORPUS_DIR           # check (a test)
    test-platform-examples.py CONTRACT CORPUS_DIR --write   # regenerate

As a test it fails when the committed corpus no longer matches the contract
(rerun with --write and commit). Needs python3-yaml (Debian); exits 77 without
it unless $CI is set.
"""
import copy
import json
import os
import sys

try:
    import yaml
except ImportError:
    print("python3-yaml is missing", file=sys.stderr)
    sys.exit(1 if os.environ.get("CI") else 77)

# Schema → the fuzz target's selector letter.
TAGS = {
    "Catalog": "C",
    "CatalogItem": "I",
    "Resident": "R",
    "ContributionRecord": "S",
    "InsuredCertificate": "Q",
    "PensionCertification": "P",
    "MedicalInsuranceAccount": "M",
    "ContributionDue": "D",
    "UtilityBills": "U",
    "PaymentOrder": "O",
    "Application": "A",
    "ApplicationList": "L",
    "Evaluation": "V",
    "HeartbeatAck": "H",
}
ERROR_STATUSES = {
    "BadRequest": 400, "Unauthorized": 401, "Forbidden": 403, "NotFound": 404,
    "Conflict": 409, "PayloadTooLarge": 413, "Unprocessable": 422,
    "TooManyRequests": 429, "InternalError": 500, "ServiceUnavailable": 503,
}


class Contract:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.doc = yaml.safe_load(f)
        self.schemas = self.doc["components"]["schemas"]

    def resolve(self, schema):
        while "$ref" in schema:
            schema = self.schemas[schema["$ref"].rsplit("/", 1)[1]]
        if "allOf" in schema:
            return self.resolve(schema["allOf"][0])
        return schema

    def example(self, schema):
        """The contract's example of @schema, built from its members' when it has none."""
        if "example" in schema and schema["example"] is not None:
            return copy.deepcopy(schema["example"])
        schema = self.resolve(schema)
        if "example" in schema and schema["example"] is not None:
            return copy.deepcopy(schema["example"])
        kind = schema.get("type")
        if kind == "array":
            return [self.example(schema["items"])]
        if kind == "object" or "properties" in schema:
            return {name: self.example(member)
                    for name, member in schema.get("properties", {}).items()}
        if "example" in schema:
            return schema["example"]
        raise ValueError("no example for %r" % schema)


def wrong_type(value):
    """A value of another JSON type than @value's."""
    if isinstance(value, bool):
        return "true"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return 12345
    if isinstance(value, list):
        return {}
    if isinstance(value, dict):
        return []
    return 12345  # null → a number


def dump(value):
    return json.dumps(value, ensure_ascii=False, indent=1, default=str).encode("utf-8")


def build(contract):
    files = {}

    def add(name, tag, body):
        files[name] = tag.encode() + body

    for schema_name, tag in TAGS.items():
        schema = contract.schemas[schema_name]
        good = contract.example(schema)
        slug = schema_name.lower()
        add("ok-%s-contract.json" % slug, tag, dump(good))
        extra = dict(good, x_future_member={"ignored": [1, 2, 3]})
        add("ok-%s-unknown-member.json" % slug, tag, dump(extra))
        resolved = contract.resolve(schema)
        for member in resolved.get("required", []):
            broken = {k: v for k, v in good.items() if k != member}
            add("bad-%s-missing-%s.json" % (slug, member), tag, dump(broken))
        for member, value in good.items():
            broken = dict(good)
            broken[member] = wrong_type(value)
            add("bad-%s-type-%s.json" % (slug, member), tag, dump(broken))

    for response, status in ERROR_STATUSES.items():
        example = contract.doc["components"]["responses"][response]["content"][
            "application/json"]["example"]
        add("ok-error-%d.json" % status, "E", b"%d" % status + dump(example))
    add("ok-error-no-body.json", "E", b"503")
    add("ok-error-not-json.json", "E", b"502<html>Bad gateway</html>")
    add("ok-error-unknown-code.json", "E",
        b"500" + dump({"code": "SOMETHING_NEW", "message": "x"}))

    # Hand-made edge cases.
    resident = contract.example(contract.schemas["Resident"])
    due = contract.example(contract.schemas["ContributionDue"])
    order = contract.example(contract.schemas["PaymentOrder"])
    application = contract.example(contract.schemas["Application"])
    add("bad-deep-nesting.json", "R", b'{"a":' * 200 + b"1" + b"}" * 200)
    add("bad-deep-arrays.json", "C", b"[" * 100000)
    add("bad-invalid-utf8.json", "R",
        dump(resident).replace("张".encode(), b"\xff\xfe"))
    add("bad-nul-byte.json", "R", dump(resident).replace(b"r_7H", b"r_\x007H"))
    add("bad-huge-number.json", "D",
        dump(dict(due, amount_due_fen=12)).replace(b"12", b"1" + b"0" * 40))
    add("bad-float-amount.json", "D", dump(dict(due, amount_due_fen=400.5)))
    add("bad-negative-fen.json", "O", dump(dict(order, amount_fen=-4350)))
    add("bad-long-name.json", "R", dump(dict(resident, display_name="张" + "*" * 5000)))
    add("bad-unmasked-name.json", "R", dump(dict(resident, display_name="张小华")))
    add("bad-control-character.json", "A",
        dump(dict(application, title={"zh": "申请\u0007"})))
    add("bad-enum.json", "O", dump(dict(order, state="refunded")))
    add("bad-date.json", "D", dump(dict(due, deadline="2024-02-30")))
    add("bad-datetime-no-offset.json", "O", dump(dict(order, created_at="2024-05-14T09:50:00")))
    add("bad-datetime-week.json", "O", dump(dict(order, created_at="2024-W20-2T09:50:00Z")))
    add("bad-expiry-before-creation.json", "O",
        dump(dict(order, expires_at="2024-05-14T09:40:00+08:00")))
    add("bad-too-many-applications.json", "L",
        dump({"applications": [application] * 51}))
    add("bad-not-object.json", "A", b"[]")
    add("bad-empty.json", "V", b"")
    add("bad-trailing-garbage.json", "V",
        dump(contract.example(contract.schemas["Evaluation"])) + b" }")
    add("bad-year.json", "S",
        dump(dict(contract.example(contract.schemas["ContributionRecord"]), year=1800)))
    item = contract.example(contract.schemas["CatalogItem"])
    field = contract.example(contract.schemas["Field"])
    choice_field = dict(field, name="applicant_relation", type="choice", pattern=None,
                        min_length=None, max_length=None,
                        choices=[contract.example(contract.schemas["Choice"]),
                                 {"value": "spouse", "label": {"zh": "配偶"}}])
    form = dict(item, flow="application", fields=[field, choice_field],
                documents=[contract.example(contract.schemas["DocumentSpec"])])
    add("ok-catalogitem-with-form.json", "I", dump(form))
    add("bad-catalogitem-choice-without-choices.json", "I",
        dump(dict(form, fields=[dict(choice_field, choices=None)])))
    add("bad-catalogitem-duplicate-field.json", "I", dump(dict(form, fields=[field, field])))
    add("bad-catalogitem-bad-pattern.json", "I",
        dump(dict(form, fields=[dict(field, pattern="([a-z")])))
    add("bad-catalogitem-pages.json", "I",
        dump(dict(form, documents=[dict(form["documents"][0], pages_min=5, pages_max=2)])))
    add("bad-catalogitem-unknown-flow.json", "I", dump(dict(form, flow="teleport")))
    catalog_form = dict(contract.example(contract.schemas["Catalog"]))
    catalog_form["items"] = [form, dict(form, item_code="330102-XX-0009", flow="teleport")]
    add("ok-catalog-unknown-flow-ignored.json", "C", dump(catalog_form))
    catalog_form = dict(catalog_form, items=[form, form])
    add("bad-catalog-duplicate-item.json", "C", dump(catalog_form))
    catalog_form = dict(catalog_form, items=[dict(form, category="nowhere")])
    add("bad-catalog-unknown-category.json", "C", dump(catalog_form))
    add("ok-deep-but-allowed.json", "A",
        dump(dict(application, x_future_member=json.loads("[" * 20 + "]" * 20))))

    # The cache file: the contract's catalog with an ETag.
    catalog = dump(contract.example(contract.schemas["Catalog"]))
    add("ok-cache.json", "K", b'linli-catalog-cache 1\netag: "cat-2024-05-14-3"\n\n' + catalog)
    add("ok-cache-no-etag.json", "K", b"linli-catalog-cache 1\netag: \n\n" + catalog)
    add("bad-cache-magic.json", "K", b"linli-catalog-cache 2\netag: \n\n" + catalog)
    add("bad-cache-header.json", "K", b"linli-catalog-cache 1\n" + catalog)
    add("bad-cache-truncated.json", "K",
        b'linli-catalog-cache 1\netag: "x"\n\n' + catalog[: len(catalog) // 2])
    return files


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    contract = Contract(sys.argv[1])
    corpus = sys.argv[2]
    files = build(contract)
    if "--write" in sys.argv[3:]:
        os.makedirs(corpus, exist_ok=True)
        for name in os.listdir(corpus):
            if name.startswith(("ok-", "bad-")) and name not in files:
                os.unlink(os.path.join(corpus, name))
        for name, data in files.items():
            with open(os.path.join(corpus, name), "wb") as f:
                f.write(data)
        print("wrote %d seeds to %s" % (len(files), corpus))
        return 0
    stale = []
    for name, data in sorted(files.items()):
        path = os.path.join(corpus, name)
        try:
            with open(path, "rb") as f:
                if f.read() != data:
                    stale.append(name)
        except FileNotFoundError:
            stale.append(name)
    for name in stale:
        print("out of date with the contract: %s" % name)
    print("%d seeds, %d out of date" % (len(files), len(stale)))
    if stale:
        print("regenerate: %s %s %s --write" % (sys.argv[0], sys.argv[1], corpus))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
