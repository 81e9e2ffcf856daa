#!/usr/bin/python3 -u
"""A resident prints the insured-status certificate (参保证明): the real
kiosk, a GA 467 reader simulated on a pty, the simulated county platform
(tests/rigs/platform-rig.sh) and a private cupsd with a PDF queue
(tests/rigs/cupsd-rig.sh).

The card is placed, the resident chooses the certificate item and Print;
the job comes out of the CUPS queue and pdftotext finds the certificate,
the masked name and ID number, the verification code, and no full ID
number. Then the queue is stopped: the resident is told plainly, and
nothing prints.

Usage: certificate-walk.py KIOSK_BINARY CONFIG ARTIFACT_DIR
"""

import atexit
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosklib import (done, expect_label, expect_label_containing, fail, find,  # noqa: E402
                      ga467_reader, kiosk_config, ok, platform_catalog, press,
                      print_and_read, scan_qr,
                      screen_is, screenshot, start, stop, wait_for)

KIOSK, CONFIG, ARTIFACTS = sys.argv[1:4]

for variable in ("LINLI_PLATFORM_URL", "CUPS_SERVER"):
    if not os.environ.get(variable):
        fail(f"{variable} not set: run under the platform and cupsd rigs")

work = tempfile.mkdtemp(prefix="linli-certificate-walk.")
pty_link, control_fd = ga467_reader(work)
config = kiosk_config(CONFIG, work, f"\n[devices]\nid-reader-serial={pty_link}\n"
                      f"printer={os.environ['CUPS_RIG_QUEUE']}\n")

catalog = platform_catalog()
certificate = next(i for i in catalog["items"] if i["flow"] == "certificate" and i["enabled"])
category = next(c for c in catalog["categories"] if c["code"] == certificate["category"])
item_title = certificate["title"]["zh"]
ok(f"the catalog's certificate item is '{item_title}' in '{category['title']['zh']}'")

kiosk = start(KIOSK, config, ARTIFACTS)
atexit.register(lambda: kiosk.poll() is None and kiosk.kill())
screen_is("邻里 · 欢迎")
os.write(control_fd, b"place resident\n")
screen_is("邻里 · 首页", timeout=15)
expect_label_containing("您好")
ok("the resident's ID card starts the visit")

press(category["title"]["zh"])
screen_is(f"邻里 · {category['title']['zh']}")
press(item_title)
screen_is(f"邻里 · {item_title}")
expect_label_containing("请点“打印”")
wait_for("the Print button", lambda: find("push button", "打印"))
screenshot("certificate-01-item")
ok("the certificate item offers Print once the card is read")

output = os.environ["CUPS_RIG_OUTPUT"]
press("打印")
expect_label_containing("打印完成", timeout=30)
screenshot("certificate-02-printed")
for _ in range(50):
    if os.path.exists(output) and os.path.getsize(output) > 0:
        break
    time.sleep(0.1)
text = subprocess.run(["pdftotext", "-layout", output, "-"], capture_output=True, text=True,
                      check=True).stdout
for expected in ("参保证明", "王*明", "验证码"):
    if expected not in text:
        fail(f"'{expected}' is not on the printed certificate")
# However the platform masks it (110101********1233 or 1101**********123X).
if not any(len(m) == 18 for m in re.findall(r"\d{4,6}\*{6,10}\d{2,4}[\dX]", text)):
    fail(f"the masked ID number is not on the printed certificate: {text!r}")
if re.search(r"\d{17}[\dX]", text):
    fail("a full ID number is on the printed certificate")
ok("the certificate came out of the CUPS queue: masked name and ID, verification code, "
   "no full ID number")

# The printer stops: the resident is told, nothing is printed.
os.remove(output)
subprocess.run(["cupsdisable", os.environ["CUPS_RIG_QUEUE"]], check=True)
press("打印")
expect_label_containing("打印机暂时不能工作", timeout=30)
expect_label_containing("服务台的工作人员")
wait_for("the receipt's QR code", lambda: find("image", "您的凭条二维码"))
time.sleep(0.5)
shot = screenshot("certificate-03-printer-stopped")
time.sleep(1)
if os.path.exists(output) and os.path.getsize(output) > 0:
    fail("a certificate was printed on a stopped queue")
ok("with the printer stopped the resident is told plainly, and nothing prints")


payload = scan_qr(shot)
if not payload.startswith("https://"):
    fail(f"the certificate's QR code does not hold its verification address: {payload!r}")
ok("the screen offers the certificate as a QR code holding its verification address")
subprocess.run(["cupsenable", os.environ["CUPS_RIG_QUEUE"]], check=True)

# An info item: the medical-insurance balance, shown, spoken and printed.
balance = next(i for i in catalog["items"]
               if i["flow"] == "info" and i["receipt_template"] == "medical-balance")
balance_category = next(c for c in catalog["categories"] if c["code"] == balance["category"])
press("返回")
screen_is(f"邻里 · {category['title']['zh']}")
press("返回首页")
screen_is("邻里 · 首页")
press(balance_category["title"]["zh"])
screen_is(f"邻里 · {balance_category['title']['zh']}")
press(balance["title"]["zh"])
screen_is(f"邻里 · {balance['title']['zh']}")
expect_label("账户余额")
expect_label_containing(" 元")
wait_for("the Print button", lambda: find("push button", "打印"))
screenshot("certificate-04-balance")
ok("the medical-insurance balance is shown in large text once the item is chosen")

text = print_and_read(output)
for expected in ("医保账户余额", "账户余额", "元", "终端"):
    if expected not in text:
        fail(f"'{expected}' is not on the printed receipt: {text!r}")
if re.search(r"\d{17}[\dX]", text):
    fail("a full ID number is on the printed receipt")
ok("the balance receipt came out of the CUPS queue with no full ID number")

# Out of paper this time: the receipt's own text is offered as a QR code.
os.remove(output)
subprocess.run(["cupsdisable", os.environ["CUPS_RIG_QUEUE"]], check=True)
press("打印")
expect_label_containing("打印机暂时不能工作", timeout=30)
wait_for("the receipt's QR code", lambda: find("image", "您的凭条二维码"))
time.sleep(0.5)
payload = scan_qr(screenshot("certificate-05-balance-qr"))
for expected in ("医保账户余额", "账户余额"):
    if expected not in payload:
        fail(f"'{expected}' is not in the receipt's QR code: {payload!r}")
if re.search(r"\d{17}[\dX]", payload):
    fail("a full ID number is in the receipt's QR code")
ok("with the printer stopped the balance receipt is offered as a QR code holding its text")
subprocess.run(["cupsenable", os.environ["CUPS_RIG_QUEUE"]], check=True)

stop()
done()
