#!/usr/bin/python3 -u
"""linli-diag platform ping|catalog|outbox against the simulator, inside
tests/rigs/platform-rig.sh: the real client, the real TLS handshake, the
kiosk's cache and outbox files. TAP output.

Usage: test-diag-platform.py LINLI_DIAG OUTBOX_DRIVER
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import urllib.request

DIAG, DRIVER = sys.argv[1:3]
steps = 0


def ok(message):
    global steps
    steps += 1
    print(f"ok {steps} - {message}")


def fail(message):
    print(f"not ok - {message}")
    sys.exit(1)


if not os.environ.get("LINLI_PLATFORM_URL"):
    print("1..0 # SKIP not inside tests/rigs/platform-rig.sh")
    sys.exit(1 if os.environ.get("CI") else 77)

state = tempfile.mkdtemp(prefix="linli-diag-platform.")


def write_config(url=None, ca=None):
    path = os.path.join(state, "kiosk.conf")
    with open(path, "w", encoding="utf-8") as conf:
        conf.write(f"""[kiosk]
id={os.environ['LINLI_PLATFORM_KIOSK_ID']}
[platform]
url={url or os.environ['LINLI_PLATFORM_URL']}
ca={ca or os.environ['LINLI_PLATFORM_CA']}
cert={os.environ['LINLI_PLATFORM_CERT']}
key={os.environ['LINLI_PLATFORM_KEY']}
outbox={state}/outbox.sqlite
cache-dir={state}/cache
""")
    return path


def diag(config, *args):
    return subprocess.run([DIAG, "--config", config, "platform", *args],
                          capture_output=True, text=True, timeout=60, check=False)


config = write_config()

# ping: TLS details and an answer.
run = diag(config, "ping", "--json")
if run.returncode != 0:
    fail(f"ping failed: {run.stdout} {run.stderr}")
report = json.loads(run.stdout)
if not report["reachable"] or report["tls_protocol"] not in ("TLS 1.2", "TLS 1.3"):
    fail(f"ping report: {report}")
if "Platform CA" not in (report["server_issuer"] or ""):
    fail(f"the server's issuer is not the test platform CA: {report['server_issuer']}")
ok(f"ping: reachable over {report['tls_protocol']}, server certificate from the pinned CA")

text = diag(config, "ping")
if text.returncode != 0 or "answer    catalog" not in text.stdout:
    fail(f"ping (text): {text.stdout} {text.stderr}")
ok("ping prints the answer as text")

# catalog: from the platform, then from the cache with the platform gone.
run = diag(config, "catalog", "--json")
if run.returncode != 0:
    fail(f"catalog failed: {run.stderr}")
catalog = json.loads(run.stdout)
if catalog["from_cache"] or not catalog["categories"] or not catalog["etag"]:
    fail(f"catalog: {catalog}")
n_items = sum(len(c["items"]) for c in catalog["categories"])
ok(f"catalog: {len(catalog['categories'])} categories, {n_items} items, ETag {catalog['etag']}")

# A platform whose certificate is not from the pinned CA is refused.
wrong_ca = os.path.join(os.environ["LINLI_PLATFORM_PKI"], "kiosk-ca.pem")
bad = write_config(ca=wrong_ca)
run = diag(bad, "ping", "--json")
report = json.loads(run.stdout) if run.stdout.strip() else {}
if run.returncode != 1 or report.get("reachable") or not report.get("tls_error"):
    fail(f"ping with the wrong pinned CA: rc {run.returncode} {run.stdout} {run.stderr}")
ok(f"ping refuses a server outside the pinned CA: {report['tls_error']}")
config = write_config()

# Submissions the platform cannot take yet (503) wait in the outbox: the
# listing shows them, with their last error and never a body.
fault = json.dumps({"kind": "status", "status": 503, "count": -1,
                    "path": "/linli/v1/applications"}).encode()
urllib.request.urlopen(urllib.request.Request(os.environ["LINLI_SIM_CONTROL"] + "/faults",
                                              data=fault, method="POST",
                                              headers={"Content-Type": "application/json"}),
                       timeout=10).read()
driver = subprocess.Popen([DRIVER, os.path.join(state, "outbox.sqlite"), "3", "diag-test"],
                          stdout=subprocess.PIPE, text=True)
enqueued = 0
deadline = time.monotonic() + 30
while enqueued < 3 and time.monotonic() < deadline:
    line = driver.stdout.readline()
    if line.startswith("enqueued"):
        enqueued += 1
driver.kill()
driver.wait()
if enqueued != 3:
    fail(f"the driver enqueued {enqueued} of 3 submissions")
run = diag(config, "outbox", "--json")
if run.returncode != 0:
    fail(f"outbox: {run.stderr}")
outbox = json.loads(run.stdout)
if outbox["depth"] != 3 or outbox["oldest"] is None or len(outbox["entries"]) != 3:
    fail(f"outbox listing: {outbox}")
if any(e["state"] != "pending" or e["kind"] != "application" for e in outbox["entries"]):
    fail(f"outbox entries: {outbox['entries']}")
if "diag-test" in run.stdout:
    fail("the outbox listing shows a submission's body")
ok("outbox lists the 3 waiting submissions, their state and oldest, without bodies")
text = diag(config, "outbox")
if text.returncode != 0 or "waiting   3" not in text.stdout:
    fail(f"outbox (text): {text.stdout}")
ok("outbox prints the waiting count as text")

# The platform goes away: ping fails, the catalog comes from the cache.
subprocess.run([os.environ["LINLI_PLATFORM_RIG"], "kill", os.environ["LINLI_PLATFORM_RIG_DIR"]],
               check=True)
run = diag(config, "ping")
if run.returncode != 1:
    fail(f"ping with the platform down: rc {run.returncode}")
ok("ping exits 1 with the platform down")
run = diag(config, "catalog", "--json")
if run.returncode != 0 or not json.loads(run.stdout)["from_cache"]:
    fail(f"catalog with the platform down: {run.stdout} {run.stderr}")
ok("catalog comes from the kiosk's cache with the platform down")

# outbox: none at all.
os.remove(os.path.join(state, "outbox.sqlite"))
run = diag(config, "outbox")
if run.returncode != 1 or "no outbox" not in run.stderr:
    fail(f"outbox without a file: rc {run.returncode} {run.stderr}")
ok("outbox says so when there is no outbox file")

print(f"1..{steps}")
