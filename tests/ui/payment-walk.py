#!/usr/bin/python3 -u
"""A resident pays the water bill with a phone: the real kiosk, a GA 467
reader simulated on a pty, the simulated county platform
(tests/rigs/platform-rig.sh) and a private cupsd (tests/rigs/cupsd-rig.sh).

The card is placed; the resident chooses the water bill; the oldest unpaid
bill is shown and spoken; Pay shows the payment order's QR code, which a
phone reads back (zbarimg on a screenshot); the simulator's control port
then plays the phone paying; the kiosk sees it, shows the payment receipt
and prints it (pdftotext: item, amount, order number, no full ID number).
A second try is cancelled at the kiosk: the order is cancelled on the
platform and nothing is paid.

Usage: payment-walk.py KIOSK_BINARY CONFIG ARTIFACT_DIR
"""

import atexit
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosklib import (done, expect_label, expect_label_containing, fail, find,  # noqa: E402
                      ga467_reader, kiosk_config, ok, platform_catalog, press,
                      print_and_read, scan_qr,
                      screen_is, screenshot, start, stop, wait_for)

KIOSK, CONFIG, ARTIFACTS = sys.argv[1:4]

for variable in ("LINLI_PLATFORM_URL", "LINLI_SIM_CONTROL", "CUPS_SERVER"):
    if not os.environ.get(variable):
        fail(f"{variable} not set: run under the platform and cupsd rigs")

work = tempfile.mkdtemp(prefix="linli-payment-walk.")
pty_link, control_fd = ga467_reader(work)
config = kiosk_config(CONFIG, work, f"\n[devices]\nid-reader-serial={pty_link}\n"
                      f"printer={os.environ['CUPS_RIG_QUEUE']}\n")

catalog = platform_catalog()
water = next(i for i in catalog["items"]
             if i["flow"] == "payment" and i.get("payable", {}).get("utility_type") == "water")
category = next(c for c in catalog["categories"] if c["code"] == water["category"])


def control_post(path):
    request = urllib.request.Request(os.environ["LINLI_SIM_CONTROL"] + path, data=b"",
                                     method="POST")
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read() or b"{}")


def order_state(order_id):
    row = subprocess.run(["sqlite3", os.environ["LINLI_SIM_DB"],
                          f"SELECT state FROM payment_orders WHERE order_id = '{order_id}'"],
                         capture_output=True, text=True, check=True).stdout.strip()
    return row


kiosk = start(KIOSK, config, ARTIFACTS)
atexit.register(lambda: kiosk.poll() is None and kiosk.kill())
screen_is("邻里 · 欢迎")
os.write(control_fd, b"place resident\n")
screen_is("邻里 · 首页", timeout=15)
press(category["title"]["zh"])
screen_is(f"邻里 · {category['title']['zh']}")
press(water["title"]["zh"])
screen_is(f"邻里 · {water['title']['zh']}")
expect_label("应缴金额")
expect_label("27.80 元")
wait_for("the Pay button", lambda: find("push button", "缴费"))
screenshot("payment-01-bill")
ok("the oldest unpaid water bill of the resident's account is shown with its amount")

press("缴费")
expect_label_containing("请用手机扫码支付 27.80 元", timeout=15)
wait_for("the payment QR code", lambda: find("image", "您的凭条二维码") or find("image", "缴费二维码"))
time.sleep(0.5)
payload = scan_qr(screenshot("payment-02-qr"))
match = re.search(r"/q/(PO[0-9A-Za-z-]+)$", payload)
if not match:
    fail(f"the QR code does not hold the order's payment address: {payload!r}")
order_id = match.group(1)
if order_state(order_id) != "pending":
    fail(f"order {order_id} is not pending on the platform")
ok(f"Pay shows the payment order's QR code ({order_id}), read back by a phone")

output = os.environ["CUPS_RIG_OUTPUT"]
os.path.exists(output) and os.remove(output)
control_post(f"/payments/{order_id}/pay")
expect_label_containing("缴费成功", timeout=20)
expect_label(order_id)
wait_for("the Print button", lambda: find("push button", "打印"))
screenshot("payment-03-paid")
ok("the kiosk sees the payment on the platform and shows the receipt")

text = print_and_read(output)
for expected in ("缴费凭证", water["title"]["zh"], "27.80", order_id):
    if expected not in text:
        fail(f"'{expected}' is not on the printed payment receipt: {text!r}")
if re.search(r"\d{17}[\dX]", text):
    fail("a full ID number is on the printed receipt")
ok("the payment receipt came out of the CUPS queue: item, amount, order number")

# Nothing is lost: the receipt is kept by its order number, and staff can
# show or reprint it with linli-diag.
diag = os.environ["LINLI_DIAG"]
shown = subprocess.run([diag, "--config", config, "receipt", "show", order_id],
                       capture_output=True, text=True, check=False)
if shown.returncode != 0 or order_id not in shown.stdout or "27.80" not in shown.stdout:
    fail(f"linli-diag receipt show {order_id}: {shown.returncode} {shown.stdout!r} {shown.stderr!r}")
os.remove(output)
reprint = subprocess.run([diag, "--config", config, "receipt", "print", order_id],
                         capture_output=True, text=True, check=False)
if reprint.returncode != 0:
    fail(f"linli-diag receipt print {order_id}: {reprint.stderr!r}")
text = subprocess.run(["pdftotext", "-layout", output, "-"], capture_output=True, text=True,
                      check=True).stdout
if order_id not in text or "缴费凭证" not in text:
    fail(f"the reprinted receipt is not the payment's: {text!r}")
missing = subprocess.run([diag, "--config", config, "receipt", "show", "PO00000000000000"],
                         capture_output=True, text=True, check=False)
if missing.returncode != 1 or "no receipt" not in missing.stderr:
    fail(f"an unknown number: {missing.returncode} {missing.stderr!r}")
ok("the receipt is kept by its order number: linli-diag shows and reprints it")

# A paid bill is not offered again.
press("返回")
screen_is(f"邻里 · {category['title']['zh']}")
press(water["title"]["zh"])
expect_label_containing("没有未缴的账单", timeout=15)
if find("push button", "缴费"):
    fail("a paid bill is offered for payment again")
ok("the paid bill is not offered again")

# The heating bill: this order is cancelled at the kiosk.
press("返回")
screen_is(f"邻里 · {category['title']['zh']}")
heating = next(i for i in catalog["items"]
               if i["flow"] == "payment" and i.get("payable", {}).get("utility_type") == "heating")
press(heating["title"]["zh"])
screen_is(f"邻里 · {heating['title']['zh']}")
wait_for("the Pay button", lambda: find("push button", "缴费"), timeout=15)
press("缴费")
wait_for("the payment QR code", lambda: find("image", "缴费二维码"), timeout=15)
payload = scan_qr(screenshot("payment-04-second-qr"))
second = re.search(r"/q/(PO[0-9A-Za-z-]+)$", payload).group(1)
press("取消缴费")
expect_label_containing("已取消", timeout=15)
if order_state(second) != "cancelled":
    fail(f"order {second} is '{order_state(second)}' on the platform, not cancelled")
wait_for("the Pay button again", lambda: find("push button", "缴费"))
screenshot("payment-05-cancelled")
ok("a payment cancelled at the kiosk is cancelled on the platform, and can be tried again")

stop()
done()
