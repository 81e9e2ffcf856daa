#!/usr/bin/python3
"""A resident identifies with a card: the real kiosk, the real readers.

The kiosk watches a real pcscd with vsmartcard's vpcd (tests/rigs/pcscd-rig.sh)
into which tests/rigs/vsscard.py inserts virtual social-security cards, and
a GA/T 467 reader simulated on a pseudo-terminal (tests/rigs/ga467-sim.py).
Checked over AT-SPI and by ear (the pulse rig): a card starts the visit
with a greeting by masked name, spoken; taking the social-security card out
ends it; finishing with the card inside reminds the resident to take it; a
broken card is explained; nothing of the identity is left on screen after.

Usage: card-walk.py KIOSK_BINARY CONFIG ARTIFACT_DIR
Needs VSSCARD and PCSC_RIG_PORT (pcscd-rig.sh run), PULSE_SERVER (pulse rig).
"""

import atexit
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosklib import (expect_label_containing, fail, find_all, ok, press, screen_is,  # noqa: E402
                      screenshot, start, stop, wait_for, done)

KIOSK, CONFIG, ARTIFACTS = sys.argv[1:4]
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "data", "sscard")
SIM = os.path.join(HERE, "..", "rigs", "ga467-sim.py")
VSSCARD = os.environ.get("VSSCARD")
PORT = os.environ.get("PCSC_RIG_PORT")
if not VSSCARD or not PORT:
    fail("VSSCARD / PCSC_RIG_PORT not set: run under tests/rigs/pcscd-rig.sh")

work = tempfile.mkdtemp(prefix="linli-card-walk.")
pty_link = os.path.join(work, "ga467")


class Card:
    """vsscard.py, driven over its standard input."""

    def __init__(self):
        self.proc = subprocess.Popen(["/usr/bin/python3", "-u", VSSCARD, "--port", PORT, "--hold"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     bufsize=1)

    def send(self, line, expect):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        event = self.proc.stdout.readline().strip()
        if not event.startswith(expect):
            fail(f"virtual card: '{line}' gave '{event}'")
        return time.monotonic()

    def insert(self, fixture):
        return self.send(f"insert {os.path.join(FIXTURES, fixture)}", "inserted")

    def remove(self):
        return self.send("remove", "removed")

    def close(self):
        # --hold keeps it alive past the end of its input: say quit.
        self.proc.stdin.write("quit\n")
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def greeting():
    return next((a for a in find_all("label") if (a.name or "").endswith("，您好")), None)


def no_personal_data_shown(names):
    labels = [a.name or "" for a in find_all("label")]
    for name in names:
        if any(name in text for text in labels):
            fail(f"'{name}' is still on screen after the visit")


with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False, dir=work) as conf:
    with open(CONFIG, encoding="utf-8") as base:
        text = base.read().replace("inactivity-timeout=5", "inactivity-timeout=300")
    conf.write(text.replace("[devices]", f"[devices]\nid-reader-serial={pty_link}"))

card = Card()
control = os.path.join(work, "ga467.ctl")
sim = subprocess.Popen(["/usr/bin/python3", "-u", SIM, "--link", pty_link, "--control", control],
                       stdout=subprocess.PIPE, text=True)
if not sim.stdout.readline().startswith("PTY "):
    fail("the GA 467 simulator did not start")


@atexit.register
def _cleanup():
    """A failed check exits at once: the helpers must not outlive it (they
    hold the test's output pipe open)."""
    for proc in (card.proc, sim):
        if proc.poll() is None:
            proc.kill()


def reader(line):
    with open(control, "w", encoding="utf-8") as fifo:
        fifo.write(line + "\n")
    return time.monotonic()


start(KIOSK, conf.name, ARTIFACTS)
screen_is("邻里 · 欢迎")
time.sleep(1.0)

# --- a social-security card -----------------------------------------------
t = card.insert("zhang-sanfeng.json")
screen_is("邻里 · 首页")
shown = time.monotonic() - t
label = wait_for("the greeting", greeting)
if "张" not in label.name or "丰" not in label.name or "*" not in label.name:
    fail(f"the greeting is not by masked name: {label.name}")
ok(f"inserting a social-security card starts the visit with '{label.name}' "
   f"({shown * 1000:.0f} ms from insertion to the services screen)")
screenshot("card-01-greeting")

press("结束办理")
screen_is("邻里 · 欢迎")
expect_label_containing("请取回您的卡")
no_personal_data_shown(["张三丰", "张*丰", "11010519491231002X"])
ok("finishing with the card inside says to take it; nothing of the resident stays on screen")
screenshot("card-02-take-card")
card.remove()

t = card.insert("li-xiaomei.json")
screen_is("邻里 · 首页")
wait_for("the greeting", greeting)
card.remove()
screen_is("邻里 · 欢迎")
ok("taking the social-security card out ends the visit")

card.insert("status-error.json")
expect_label_containing("没有读出这张卡")
time.sleep(0.5)
if greeting() is not None:
    fail("a broken card started a visit")
screen_is("邻里 · 欢迎")
ok("a card that cannot be read is explained on the attract screen")
screenshot("card-03-unreadable")
card.remove()

# --- a resident ID card on the GA 467 reader -------------------------------
t = reader("place resident")
screen_is("邻里 · 首页")
shown = time.monotonic() - t
label = wait_for("the greeting", greeting)
if label.name != "王*明，您好":
    fail(f"the greeting is not by masked name: {label.name}")
ok(f"an ID card on the GA 467 reader starts the visit with '{label.name}' "
   f"({shown * 1000:.0f} ms from placing to the services screen)")
reader("lift")
time.sleep(1.0)
screen_is("邻里 · 首页")
ok("lifting the ID card does not end the visit")
press("结束办理")
screen_is("邻里 · 欢迎")
no_personal_data_shown(["王小明", "王*明"])
ok("after the visit nothing of the resident is on screen")

reader("place unknown")
expect_label_containing("这种卡不能在这里使用")
screen_is("邻里 · 欢迎")
ok("a card of an unknown kind is explained")
reader("lift")

stop()
reader("quit")
try:
    sim.wait(timeout=5)
except subprocess.TimeoutExpired:
    sim.kill()
card.close()
done()
