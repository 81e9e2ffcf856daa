#!/usr/bin/python3 -u
"""Maintenance mode on the real kiosk (issue 8 part 4, issue 6's "paper-out
is shown in the maintenance view before anyone prints"): the simulated
county platform (tests/rigs/platform-rig.sh) and a private cupsd
(tests/rigs/cupsd-rig.sh) whose printer is out of paper.

1. Without a PIN configured, the hidden entry says maintenance is not set
   up and offers only Back. GTK's inspector keys open nothing.
2. Five taps in the top-left corner (real X clicks) open the PIN pad; five
   wrong PINs lock it, said with the time left.
3. With a fresh audit file, the right PIN opens the maintenance page. A job
   sent from outside the kiosk (lp) has already failed on the paper-out
   queue: the page says 缺纸 before any resident printed. Test print shows
   its result, the voice test runs, the platform link shows its TLS
   details, exit returns to the attract screen, and every action is in the
   verified audit log (linli-diag audit). Devices are named in Chinese.
   The camera snapshot (a videotestsrc camera) is shown on the page; a
   card placed on the simulated GA 467 reader during the card test shows
   its type and masked number, never the full ID number.
4. With short [maintenance] pin-timeout and idle-timeout, an untouched
   PIN pad and an untouched maintenance page go back to the attract
   screen; a test print on the rig's working PDF queue succeeds and comes
   out of CUPS. Both timeouts are in the audit log.

Usage: maintenance-walk.py KIOSK_BINARY CONFIG ARTIFACT_DIR
"""

import atexit
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kiosklib  # noqa: E402
from kiosklib import (application, done, expect_label_containing, fail, find, find_all,  # noqa: E402
                      ga467_reader, ok, press, screen_is, screenshot, start, stop, wait_for,
                      xdotool)

KIOSK, CONFIG, ARTIFACTS = sys.argv[1:4]
PIN = "246810"
PPD = "/usr/share/ppd/cupsfilters/Generic-PDF_Printer-PDF.ppd"
QUEUE = "linli-paperout"

for variable in ("LINLI_PLATFORM_URL", "CUPS_SERVER", "LINLI_DIAG"):
    if not os.environ.get(variable):
        fail(f"{variable} not set: run under the platform and cupsd rigs (meson test)")
DIAG = os.environ["LINLI_DIAG"]

work = tempfile.mkdtemp(prefix="linli-maintenance-walk.")
pin_hash = subprocess.run([DIAG, "hash-pin"], input=PIN + "\n", capture_output=True, text=True,
                          check=True).stdout.strip()
if not pin_hash.startswith("pin-hash=$y$"):
    fail(f"linli-diag hash-pin printed {pin_hash!r}")


def write_config(name, with_pin, devices="", maintenance="", queue=QUEUE):
    state = os.path.join(work, name)
    os.makedirs(state, mode=0o700)
    path = os.path.join(state, "kiosk.conf")
    with open(CONFIG, encoding="utf-8") as source, open(path, "w", encoding="utf-8") as target:
        target.write(source.read())
        target.write(f"\n[devices]\nprinter={queue}\n{devices}")
        target.write(f"\n[maintenance]\naudit-db={state}/audit.db\n{maintenance}")
        if with_pin:
            target.write(pin_hash + "\n")
    return path


def audit(config):
    return subprocess.run([DIAG, "--config", config, "audit", "-n", "100"], capture_output=True,
                          text=True, check=False)


def tap_corner():
    """Five real clicks at (60, 60), well inside the 120 px corner."""
    for _ in range(5):
        xdotool("mousemove", "60", "60", "click", "1")
        time.sleep(0.15)


def open_pin_pad():
    screen_is("邻里 · 欢迎", timeout=15)
    time.sleep(0.5)
    tap_corner()
    screen_is("邻里 · 维护密码")


# The printer runs out of paper while nobody uses the kiosk: a job sent
# from outside fails on the queue, and CUPS learns the reason.
subprocess.run(["lpadmin", "-p", QUEUE, "-E", "-v", "linli-test:/paper-out", "-P", PPD],
               check=True, capture_output=True)
job = os.path.join(work, "job.txt")
with open(job, "w", encoding="utf-8") as f:
    f.write("maintenance-walk\n")
subprocess.run(["lp", "-d", QUEUE, job], check=True, capture_output=True)
for _ in range(300):
    if "disabled" in subprocess.run(["lpstat", "-p", QUEUE], capture_output=True,
                                    text=True).stdout:
        break
    time.sleep(0.1)
else:
    fail("the paper-out queue did not stop")
ok("a job sent with lp failed on the paper-out queue, which stopped")

# --- 1. no PIN configured ---
config = write_config("unset", with_pin=False)
kiosk = start(KIOSK, config, ARTIFACTS)
atexit.register(lambda: kiosklib.kiosk.poll() is None and kiosklib.kiosk.kill())
open_pin_pad()
expect_label_containing("尚未设置维护模式")
if find("push button", "确定") is not None or find("push button", "1") is not None:
    fail("the PIN pad is offered although no PIN is set up")
wait_for("the Back button", lambda: find("push button", "返回"))
screenshot("maintenance-01-not-set-up")
ok("without a PIN, the hidden entry says maintenance is not set up and offers only Back")

xdotool("key", "ctrl+shift+i")
xdotool("key", "ctrl+shift+d")
time.sleep(1.5)
frames = [c for c in application() if c is not None and c.getRoleName() == "frame"]
if len(frames) != 1:
    fail(f"the inspector keys opened a window: {[f.name for f in frames]}")
ok("Ctrl+Shift+I and Ctrl+Shift+D open no inspector")

press("返回")
screen_is("邻里 · 欢迎")
ok("Back returns to the attract screen")
stop()

# --- 2. five wrong PINs lock the entry ---
config = write_config("lockout", with_pin=True)
kiosk = start(KIOSK, config, ARTIFACTS)
open_pin_pad()
# The number keys type, and only dots are shown.
xdotool("type", "--delay", "50", "1357")
wait_for("four masking dots", lambda: next(
    (a for a in find_all("label") if (a.name or "").count("●") == 4), None))
if any("1357" in (a.name or "") for a in find_all("label")):
    fail("the PIN's digits are shown")
screenshot("maintenance-02-pin-typed")
ok("digits typed on the keyboard show as four dots")
for attempt in range(1, 6):
    if attempt > 1:
        for digit in "1357":
            press(digit)
    press("确定")
    wait_for(f"wrong PIN {attempt} in the audit log",
             lambda: audit(config).stdout.count("pin-wrong") >= attempt, timeout=15)
    if attempt < 5:
        expect_label_containing("密码错误")
label = expect_label_containing("已锁定", timeout=10)
if "5 分钟" not in label.name:
    fail(f"the lockout message does not say the time left: {label.name!r}")
screenshot("maintenance-03-locked")
ok(f"five wrong PINs lock maintenance, with the time left: {label.name}")
# Shown again with the time left when the pad is opened anew.
press("取消")
screen_is("邻里 · 欢迎")
open_pin_pad()
expect_label_containing("已锁定")
ok("the PIN pad opened again still says it is locked")
stop()

# --- 3. the right PIN, the maintenance page ---
pty_link, control_fd = ga467_reader(work)
config = write_config("maintain", with_pin=True, devices=f"id-reader-serial={pty_link}\n")
kiosk = start(KIOSK, config, ARTIFACTS)
open_pin_pad()
screenshot("maintenance-04-pin-pad")
for digit in PIN:
    press(digit)
press("确定")
screen_is("邻里 · 维护", timeout=15)
ok("the right PIN opens the maintenance page")

label = expect_label_containing("纸张：", timeout=5)
wait_for("the paper state 缺纸", lambda: find("label", "纸张：缺纸"), timeout=15)
printer = wait_for("the printer's line",
                   lambda: next((a for a in find_all("label")
                                 if (a.name or "").startswith("打印机")
                                 and QUEUE in a.name and "media-empty" in a.name), None))
ok(f"before any resident printed, the maintenance page says 缺纸 ({printer.name})")
wait_for("the platform's TLS details",
         lambda: next((a for a in find_all("label") if "TLS 1." in (a.name or "")), None),
         timeout=20)
expect_label_containing("有效期至")
screenshot("maintenance-05-page")
ok("the county platform is reachable, with protocol, cipher, server and validity shown")

press("测试打印")
result = expect_label_containing("测试打印失败", timeout=30)
if "paper" not in result.name.lower() and "纸" not in result.name:
    fail(f"the test print's failure does not name the paper: {result.name!r}")
ok(f"test print shows its result: {result.name}")

press("语音测试")
expect_label_containing("正在播放语音测试")
ok("the voice test runs")

press("测试读卡")
expect_label_containing("请在读卡器上放一张卡")
ok("the card test waits for a card")
os.write(control_fd, b"place resident\n")
card = expect_label_containing("读到的卡：", timeout=15)
# The simulated card's number starts 11010119900307123 (ga467-sim.py).
shown = " ".join(a.name or "" for a in find_all("label"))
if "11010119900307123" in shown or "王小明" in shown:
    fail(f"the card test shows personal data: {card.name!r}")
if "*" not in card.name or "居民身份证" not in card.name:
    fail(f"the card test does not show the card's kind and a masked number: {card.name!r}")
screenshot("maintenance-06a-card")
os.write(control_fd, b"lift\n")
screen_is("邻里 · 维护")
ok(f"a card placed during the card test shows type and masked number only: {card.name}")

names = [a.name or "" for a in find_all("label")]
english = [n for n in names if n.startswith(("Printer", "ID card reader", "PC/SC", "Camera",
                                             "Voice"))]
if english:
    fail(f"device lines in English on the maintenance page: {english}")
wait_for("the camera's line in Chinese", lambda: next(
    (a for a in find_all("label") if (a.name or "").startswith("高拍仪")), None))
ok("every device is named in Chinese on the maintenance page")

press("拍照测试")
taken = expect_label_containing("已拍摄测试照片", timeout=30)
wait_for("the snapshot on the page", lambda: find("image", "高拍仪测试照片"))
screenshot("maintenance-06b-camera")
ok(f"the camera snapshot is taken and shown on the page: {taken.name}")

press("立即重试")
expect_label_containing("待发送的办件：")
press("刷新日志")
expect_label_containing("maintenance mode entered")
screenshot("maintenance-06-actions")
ok("outbox retry and the recent logs (newest first) are on the page")

press("退出维护")
screen_is("邻里 · 欢迎")
ok("exit maintenance returns to the attract screen")
stop()

result = audit(config)
if result.returncode != 0 or "chain whole" not in result.stdout:
    fail(f"linli-diag audit: {result.stdout}{result.stderr}")
for action in ("pin-accepted", "maintenance-entered", "platform-check", "test-print",
               "test-print-failed", "voice-test", "card-test", "card-test-read", "outbox-retry",
               "camera-snapshot", "camera-snapshot-taken", "maintenance-exited"):
    if action not in result.stdout:
        fail(f"'{action}' is not in the audit log:\n{result.stdout}")
if "11010119900307123" in result.stdout:
    fail("the card's number is in the audit log")
ok("every maintenance action is in the verified audit log")

# --- 4. timeouts, and a test print that works ---
config = write_config("timeouts", with_pin=True, queue=os.environ["CUPS_RIG_QUEUE"],
                      maintenance="pin-timeout=4\nidle-timeout=8\n")
kiosk = start(KIOSK, config, ARTIFACTS)
open_pin_pad()
opened = time.monotonic()
screen_is("邻里 · 欢迎", timeout=15)
waited = time.monotonic() - opened
if waited < 3:
    fail(f"the PIN pad closed after {waited:.1f} s, before its 4 s")
ok(f"an untouched PIN pad goes back to the attract screen ({waited:.1f} s, pin-timeout=4)")

open_pin_pad()
# Real key presses: each one restarts the pad's time.
xdotool("type", "--delay", "50", PIN)
press("确定")
screen_is("邻里 · 维护", timeout=15)
entered = time.monotonic()
press("测试打印")
expect_label_containing("测试页已打印", timeout=8)
output = os.environ["CUPS_RIG_OUTPUT"]
wait_for("the test page in the queue's output", lambda: os.path.exists(output)
         and "打印测试" in subprocess.run(["pdftotext", output, "-"], capture_output=True,
                                          text=True).stdout, timeout=15)
screenshot("maintenance-07-printed")
ok("test print on a working queue succeeds, and the page comes out of CUPS")
screen_is("邻里 · 欢迎", timeout=20)
waited = time.monotonic() - entered
if waited < 6:
    fail(f"the maintenance page closed after {waited:.1f} s, before its 8 s")
ok(f"an untouched maintenance page goes back to the attract screen ({waited:.1f} s)")
stop()
result = audit(config)
if result.returncode != 0 or "chain whole" not in result.stdout:
    fail(f"linli-diag audit: {result.stdout}{result.stderr}")
if result.stdout.count("maintenance-timeout") < 2 or "test-print-completed" not in result.stdout:
    fail(f"the timeouts or the completed test print are not in the audit log:\n{result.stdout}")
ok("both timeouts and the completed test print are in the verified audit log")

done()
