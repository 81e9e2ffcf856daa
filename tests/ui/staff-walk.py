#!/usr/bin/python3 -u
"""Staff sign-in (帮办人员登录) on the real kiosk.

1. Without a [staff] roster, 工作人员帮办 says staff sign-in is not set up
   and offers only Back.
2. With a roster (the hash made with linli-diag hash-pin) and an audit file
   in a temporary directory: the home page's 工作人员帮办 button (at least
   88 px high) opens the screen; a wrong PIN is answered 工号或密码不正确,
   without saying which; the staff number typed on the keyboard (lower
   case letters) and the right PIN sign in: "已登录：工号 GZ0042", then the
   home page shows 帮办人员：GZ0042 and the button has become 退出帮办,
   which signs out. Signed in again, the session is left to time out (the
   test configuration's inactivity-timeout is short): back on the attract
   screen nobody is signed in, and a new visit shows no 帮办人员.
3. linli-diag audit shows every attempt, the chain whole, no PIN.

Usage: staff-walk.py KIOSK_BINARY CONFIG ARTIFACT_DIR
"""

import atexit
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kiosklib  # noqa: E402
from kiosklib import (done, expect_label_containing, fail, find, find_all, ok, press,  # noqa: E402
                      screen_is, screenshot, start, stop, wait_for, xdotool)

KIOSK, CONFIG, ARTIFACTS = sys.argv[1:4]
PIN = "135792"
WRONG_PIN = "864213"

DIAG = os.environ.get("LINLI_DIAG")
if not DIAG:
    fail("LINLI_DIAG not set: run with meson test")

work = tempfile.mkdtemp(prefix="linli-staff-walk.")
line = subprocess.run([DIAG, "hash-pin"], input=PIN + "\n", capture_output=True, text=True,
                      check=True).stdout.strip()
if not line.startswith("pin-hash=$y$"):
    fail(f"linli-diag hash-pin printed {line!r}")
staff_hash = line.split("=", 1)[1]


def write_config(name, roster):
    state = os.path.join(work, name)
    os.makedirs(state, mode=0o700)
    path = os.path.join(state, "kiosk.conf")
    with open(CONFIG, encoding="utf-8") as source, open(path, "w", encoding="utf-8") as target:
        target.write(source.read())
        target.write(f"\n[maintenance]\naudit-db={state}/audit.db\n")
        target.write(f"\n[staff]\n{roster}")
    return path


def audit(config):
    return subprocess.run([DIAG, "--config", config, "audit", "-n", "100"], capture_output=True,
                          text=True, check=False)


def begin_visit():
    screen_is("邻里 · 欢迎", timeout=15)
    press("不用卡，直接开始")
    screen_is("邻里 · 首页")


def labels():
    return " ".join(a.name or "" for a in find_all("label"))


# --- 1. no roster ---
config = write_config("unset", "")
kiosk = start(KIOSK, config, ARTIFACTS)
atexit.register(lambda: kiosklib.kiosk.poll() is None and kiosklib.kiosk.kill())
begin_visit()
press("工作人员帮办")
screen_is("邻里 · 帮办人员登录")
expect_label_containing("尚未设置帮办人员登录")
if find("push button", "确定") is not None or find("push button", "1") is not None:
    fail("the digit pad is offered although no roster is set up")
screenshot("staff-01-not-set-up")
press("返回")
screen_is("邻里 · 首页")
ok("without a roster, staff sign-in says it is not set up and offers only Back")
stop()

# --- 2. a roster of one ---
config = write_config("roster", f"GZ0042 = {staff_hash}\n")
kiosk = start(KIOSK, config, ARTIFACTS)
begin_visit()
button = wait_for("the 工作人员帮办 button", lambda: find("push button", "工作人员帮办"))
height = button.queryComponent().getExtents(0).height
if height < 88:
    fail(f"the 工作人员帮办 button is {height} px high, under 88")
if "帮办人员：" in labels():
    fail("a staff member is shown before anyone signed in")
screenshot("staff-02-home")
ok(f"the home page has the 工作人员帮办 button ({height} px high)")

press("工作人员帮办")
screen_is("邻里 · 帮办人员登录")
expect_label_containing("请输入工号")
# The letters from the keyboard, the digits on the pad (AT-SPI drops a
# second press of the same button that comes too soon: one per button).
xdotool("type", "--delay", "50", "GZ00")
press("4")
press("2")
wait_for("the staff number as typed", lambda: find("label", "GZ0042"))
screenshot("staff-03-staff-number")
press("确定")
expect_label_containing("请输入密码")
for digit in WRONG_PIN:
    press(digit)
wait_for("six masking dots", lambda: next(
    (a for a in find_all("label") if (a.name or "").count("●") == 6), None))
if WRONG_PIN in labels():
    fail("the PIN's digits are shown")
screenshot("staff-04-pin")
press("确定")
expect_label_containing("工号或密码不正确", timeout=15)
screenshot("staff-05-wrong")
ok("a wrong PIN is answered 工号或密码不正确, back at the staff number")

# Typed on the keyboard: lower-case letters, the number row, Enter.
xdotool("type", "--delay", "50", "gz0042")
wait_for("the staff number in upper case", lambda: find("label", "GZ0042"))
xdotool("key", "Return")
expect_label_containing("请输入密码")
xdotool("type", "--delay", "50", PIN)
xdotool("key", "Return")
signed = expect_label_containing("已登录：工号 GZ0042", timeout=15)
screenshot("staff-06-signed-in")
screen_is("邻里 · 首页", timeout=10)
expect_label_containing("帮办人员：GZ0042")
wait_for("the 退出帮办 button", lambda: find("push button", "退出帮办"))
screenshot("staff-07-home-signed-in")
ok(f"the right PIN signs in ({signed.name}); home shows 帮办人员：GZ0042 and 退出帮办")

press("退出帮办")
wait_for("the 工作人员帮办 button again", lambda: find("push button", "工作人员帮办"))
if "帮办人员：" in labels():
    fail("the staff line stays after 退出帮办")
ok("退出帮办 signs out: the line is gone, the button is 工作人员帮办 again")

# Signed in again, then the visit is left alone until it times out.
press("工作人员帮办")
screen_is("邻里 · 帮办人员登录")
xdotool("type", "--delay", "50", "GZ0042")
xdotool("key", "Return")
expect_label_containing("请输入密码")
xdotool("type", "--delay", "50", PIN)
xdotool("key", "Return")
screen_is("邻里 · 首页", timeout=15)
expect_label_containing("帮办人员：GZ0042")
started = time.monotonic()
screen_is("邻里 · 欢迎", timeout=60)
ok(f"the visit timed out after {time.monotonic() - started:.0f} s")
begin_visit()
time.sleep(0.5)
if "帮办人员：" in labels() or find("push button", "退出帮办") is not None:
    fail("the next visit inherited the staff sign-in")
ok("the session's timeout signed the staff member out: the next visit shows no 帮办人员")
stop()

# --- 3. the audit log ---
result = audit(config)
if result.returncode != 0 or "chain whole" not in result.stdout:
    fail(f"linli-diag audit: {result.stdout}{result.stderr}")
for action, count in (("staff-pin-wrong", 1), ("staff-signed-in", 2), ("staff-signed-out", 2)):
    lines = [x for x in result.stdout.splitlines() if action in x and "GZ0042" in x]
    if len(lines) < count:
        fail(f"{count} × '{action}' for GZ0042 expected in the audit log:\n{result.stdout}")
if "timeout" not in " ".join(x for x in result.stdout.splitlines() if "staff-signed-out" in x):
    fail(f"the sign-out at the timeout is not in the audit log:\n{result.stdout}")
if PIN in result.stdout or WRONG_PIN in result.stdout:
    fail("a PIN is in the audit log")
print("# " + "\n# ".join(x for x in result.stdout.splitlines() if "staff" in x), flush=True)
ok("linli-diag audit shows the attempts, sign-ins and sign-outs (timeout included), no PIN")

done()
