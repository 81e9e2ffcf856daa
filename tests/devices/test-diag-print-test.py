#!/usr/bin/python3 -u
"""linli-diag print-test against a private cupsd (tests/rigs/cupsd-rig.sh):
the PDF queue prints the test receipt (read back with pdftotext), a queue
out of paper fails with the reason, and --format escpos sends an ESC/POS
raster to a raw socket queue. TAP output.

Usage: test-diag-print-test.py LINLI_DIAG
"""

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

DIAG = sys.argv[1]
steps = 0


def ok(message):
    global steps
    steps += 1
    print(f"ok {steps} - {message}")


def fail(message):
    print(f"not ok - {message}")
    sys.exit(1)


if not os.environ.get("CUPS_SERVER"):
    print("1..0 # SKIP not inside tests/rigs/cupsd-rig.sh")
    sys.exit(1 if os.environ.get("CI") else 77)

work = tempfile.mkdtemp(prefix="linli-print-test.")
config = os.path.join(work, "kiosk.conf")
with open(config, "w", encoding="utf-8") as conf:
    conf.write(f"[kiosk]\nid=LL-TEST-0042\n[devices]\nprinter={os.environ['CUPS_RIG_QUEUE']}\n")


def diag(*args):
    return subprocess.run([DIAG, "--config", config, "print-test", *args],
                          capture_output=True, text=True, timeout=120, check=False)


def lpadmin(*args):
    subprocess.run(["lpadmin", *args], check=True, capture_output=True)


# The PDF queue of the rig: the job completes and the receipt reads back.
run = diag()
if run.returncode != 0:
    fail(f"print-test on the PDF queue: rc {run.returncode} {run.stdout} {run.stderr}")
output = os.environ["CUPS_RIG_OUTPUT"]
for _ in range(50):
    if os.path.exists(output) and os.path.getsize(output) > 0:
        break
    time.sleep(0.1)
text = subprocess.run(["pdftotext", "-layout", output, "-"], capture_output=True, text=True,
                      check=True).stdout
for expected in ("打印测试", "print test", "LL-TEST-0042"):
    if expected not in text:
        fail(f"'{expected}' is not on the printed test receipt: {text!r}")
ok("print-test prints on the PDF queue; the receipt has the title and the kiosk id")

# Out of paper: exit 1 with the reason.
lpadmin("-p", "paperout", "-E", "-v", "linli-test:/paper-out", "-m", "raw")
run = diag("--printer", "paperout")
if run.returncode != 1 or "paper" not in run.stderr:
    fail(f"print-test on a queue out of paper: rc {run.returncode} {run.stderr}")
ok(f"print-test out of paper exits 1: {run.stderr.strip()}")

# ESC/POS to a raw socket queue: the bytes are an ESC/POS raster with a cut.
listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(1)
received = bytearray()


def serve():
    connection, _ = listener.accept()
    with connection:
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                break
            received.extend(chunk)


thread = threading.Thread(target=serve, daemon=True)
thread.start()
lpadmin("-p", "thermal", "-E", "-v", f"socket://127.0.0.1:{listener.getsockname()[1]}", "-m", "raw")
run = diag("--printer", "thermal", "--format", "escpos")
if run.returncode != 0:
    fail(f"print-test --format escpos: rc {run.returncode} {run.stderr}")
thread.join(timeout=10)
data = bytes(received)
if not data.startswith(b"\x1b@") or b"\x1dv0" not in data or b"\x1dV" not in data:
    fail(f"the raw job is not an ESC/POS raster with a cut ({len(data)} bytes: {data[:16]!r})")
index = data.index(b"\x1dv0")
width_bytes = data[index + 4] | (data[index + 5] << 8)
if width_bytes * 8 != 576:
    fail(f"the raster is {width_bytes * 8} dots wide, not 576")
ok(f"print-test --format escpos sends a 576-dot ESC/POS raster with a cut ({len(data)} bytes)")

print(f"1..{steps}")
