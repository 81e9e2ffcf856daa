#!/usr/bin/python3
"""Audits every reachable screen of the real kiosk over AT-SPI.

For each screen (attract, home, every service tile, help, the countdown
warning, in Chinese and in English): every control a resident can act on
must have an accessible name, be at least 88 x 88 px at the reference
1920x1080 layout (about 20 mm on a 21.5" panel) and lie on the screen.
Then a second kiosk without any audio output must still work and say on
its voice button that voice is unavailable.

Usage: a11y-audit.py KIOSK_BINARY CONFIG ARTIFACT_DIR
Runs inside Xvfb + a window manager + dbus-run-session (run-ui-test.sh),
with PULSE_SERVER set by the pulse rig so the voice controls exist.
"""

import os
import sys
import tempfile

import pyatspi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosklib import (actionable, done, fail, find, ok, press, screen_is,  # noqa: E402
                      screenshot, start, stop, wait_for)

KIOSK, CONFIG, ARTIFACTS = sys.argv[1:4]
MIN_SIZE = 88
SCREEN_W, SCREEN_H = 1920, 1080


def audit(screen):
    controls = actionable()
    if not controls:
        fail(f"{screen}: no actionable control found")
    problems = []
    for control in controls:
        name = control.name or ""
        role = control.getRoleName()
        x, y, w, h = control.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        label = f"{role} '{name}'"
        if not name.strip():
            problems.append(f"{role} at {x},{y} has no accessible name")
        if w < MIN_SIZE or h < MIN_SIZE:
            problems.append(f"{label} is {w}x{h} px, below {MIN_SIZE}x{MIN_SIZE}")
        if x < 0 or y < 0 or x + w > SCREEN_W or y + h > SCREEN_H:
            problems.append(f"{label} at {x},{y} {w}x{h} is not all on the screen")
    if problems:
        fail(f"{screen}: " + "; ".join(problems))
    smallest = min(min(c.queryComponent().getExtents(pyatspi.WINDOW_COORDS)[2:]) for c in controls)
    ok(f"{screen}: {len(controls)} controls named, smallest side {smallest} px")


start(KIOSK, CONFIG, ARTIFACTS)
screen_is("邻里 · 欢迎")
wait_for("the voice controls", lambda: find("push button", "重听"))
audit("attract screen")

press("不用卡，直接开始")
screen_is("邻里 · 首页")
audit("home screen")
screenshot("audit-home")

for tile in ("社保", "医保", "水电气暖", "办件查询"):
    press(tile)
    screen_is(f"邻里 · {tile}")
    audit(f"service screen {tile}")
    press("返回首页")
    screen_is("邻里 · 首页")

press("呼叫工作人员")
screen_is("邻里 · 求助")
audit("help screen")
press("返回首页")

wait_for("the timeout warning", lambda: find("push button", "继续办理"), timeout=15)
audit("countdown warning")
press("继续办理")

press("English (英语)")
screen_is("Linli · Home")
audit("home screen in English")
screenshot("audit-home-english")
press("Social security")
screen_is("Linli · Social security")
audit("service screen in English")
press("Back to home")
press("中文 (Chinese)")
screen_is("邻里 · 首页")
press("结束办理")
screen_is("邻里 · 欢迎")
stop()

# No audio output at all: the kiosk works on, silently, and says so.
with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as conf:
    with open(CONFIG, encoding="utf-8") as base:
        conf.write(base.read())
    conf.write("\n[voice]\nsink=pulsesink\nheadphones=never\n")
env = dict(os.environ, PULSE_SERVER="unix:/nonexistent/linli-no-audio")
start(KIOSK, conf.name, ARTIFACTS, env=env)
screen_is("邻里 · 欢迎")
wait_for("voice shown as unavailable", lambda: find("push button", "语音：不可用"))
if find("push button", "重听") is not None:
    fail("'repeat' is offered without a voice")
press("不用卡，直接开始")
screen_is("邻里 · 首页")
screenshot("audit-no-voice")
ok("with no audio output the kiosk works silently and shows voice as unavailable")
stop()
os.unlink(conf.name)
done()
