#!/usr/bin/python3
"""Benchmark: a card placed → the services screen with the greeting.

The real kiosk (--report-first-frame prints each screen's first frame, wall
clock) with the real readers: a virtual social-security card inserted into
pcscd's vpcd reader, and an ID card placed on the GA 467 reader simulated on
a pty. Each card goes in at a random moment, as a resident's would, so the
readers' polling phase is sampled fairly (pcscd asks vpcd for a card every
400 ms; the kiosk asks the GA 467 reader every [devices] id-reader-poll-ms).
Budget (DESIGN.md): 300 ms. Prints figures; asserts nothing.

Usage: card-bench.py KIOSK_BINARY CONFIG ARTIFACT_DIR
(run-ui-test.sh under tests/rigs/pulse-rig.sh and tests/rigs/pcscd-rig.sh)
"""

import atexit
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kiosklib  # noqa: E402
from kiosklib import done, fail, ok, press, screen_is  # noqa: E402

KIOSK, CONFIG, ARTIFACTS = sys.argv[1:4]
HERE = os.path.dirname(os.path.abspath(__file__))
ROUNDS = 12

work = tempfile.mkdtemp(prefix="linli-card-bench.")
pty_link = os.path.join(work, "ga467")
control = os.path.join(work, "ga467.ctl")
with open(os.path.join(work, "kiosk.conf"), "w", encoding="utf-8") as conf:
    with open(CONFIG, encoding="utf-8") as base:
        text = base.read().replace("inactivity-timeout=5", "inactivity-timeout=300")
    conf.write(text.replace("[devices]", f"[devices]\nid-reader-serial={pty_link}"))

card = subprocess.Popen(["/usr/bin/python3", "-u", os.environ["VSSCARD"], "--port",
                         os.environ["PCSC_RIG_PORT"], "--hold"],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
sim = subprocess.Popen(["/usr/bin/python3", "-u", os.path.join(HERE, "..", "rigs", "ga467-sim.py"),
                        "--link", pty_link, "--control", control],
                       stdout=subprocess.PIPE, text=True)
sim.stdout.readline()


@atexit.register
def _cleanup():
    for proc in (card, sim):
        if proc.poll() is None:
            proc.kill()


shown = []
lock = threading.Lock()
kiosklib.ARTIFACTS = ARTIFACTS
kiosklib.kiosk = subprocess.Popen([KIOSK, "--config", conf.name, "--report-first-frame"],
                                  stdout=subprocess.PIPE, text=True)


def read_reports():
    for line in kiosklib.kiosk.stdout:
        if line.startswith("screen-shown-realtime-us=") and "screen=home" in line:
            with lock:
                shown.append(int(line.split()[0].split("=")[1]) / 1e6)


threading.Thread(target=read_reports, daemon=True).start()


def card_command(line, expect):
    card.stdin.write(line + "\n")
    card.stdin.flush()
    if not card.stdout.readline().startswith(expect):
        fail(f"virtual card: {line}")


def reader(line):
    with open(control, "w", encoding="utf-8") as fifo:
        fifo.write(line + "\n")


def greeting_after(placed):
    deadline = time.time() + 5
    while time.time() < deadline:
        with lock:
            later = [t for t in shown if t >= placed]
        if later:
            return (later[0] - placed) * 1000
        time.sleep(0.02)
    fail("no services screen within 5 s of a card")
    return 0.0


def report(name, values):
    values.sort()
    p95 = values[int(0.95 * (len(values) - 1))]
    ok(f"{name}: card → greeting over {len(values)} cards: median "
       f"{statistics.median(values):.0f} ms, p95 {p95:.0f} ms, max {values[-1]:.0f} ms "
       "(budget 300 ms)")


screen_is("邻里 · 欢迎")
time.sleep(1.0)
fixture = os.path.join(HERE, "..", "data", "sscard", "zhang-sanfeng.json")
pcsc = []
for _ in range(ROUNDS):
    time.sleep(1.0 + random.uniform(0, 0.5))  # pcscd must see the slot empty
    placed = time.time()
    card_command(f"insert {fixture}", "inserted")
    pcsc.append(greeting_after(placed))
    card_command("remove", "removed")
    screen_is("邻里 · 欢迎")
report("social-security card (pcscd + vpcd)", pcsc)

ga467 = []
for _ in range(ROUNDS):
    time.sleep(0.5 + random.uniform(0, 0.5))
    placed = time.time()
    reader("place resident")
    ga467.append(greeting_after(placed))
    reader("lift")
    press("结束办理")
    screen_is("邻里 · 欢迎")
report("resident ID card (GA 467 on a pty)", ga467)

kiosklib.stop()
card.stdin.write("quit\n")
card.stdin.close()
reader("quit")
done()
