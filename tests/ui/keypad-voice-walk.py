#!/usr/bin/python3
"""A resident who cannot see the screen: keypad only, listening.

The real kiosk speaks into a PulseAudio null sink (the pulse rig); this test
records the sink's monitor with parec and checks that each screen is really
heard when it appears, that a touch silences it at once, and that the whole
walk attract -> services -> a tile -> back -> finish needs nothing but the
keys of a USB numeric keypad (real X key events through xdotool).

Usage: keypad-voice-walk.py KIOSK_BINARY CONFIG ARTIFACT_DIR
Needs PULSE_SERVER and LINLI_TEST_PULSE_MONITOR (tests/rigs/pulse-rig.sh).
"""

import array
import math
import os
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosklib import (done, fail, find, focused, ok, press, screen_is,  # noqa: E402
                      screenshot, start, stop, wait_for, window_id, xdotool)

KIOSK, CONFIG, ARTIFACTS = sys.argv[1:4]
MONITOR = os.environ.get("LINLI_TEST_PULSE_MONITOR")
RATE = 16000
# RMS of 16-bit samples: espeak-ng speech at the default volume is in the
# thousands; the null sink's silence is 0.
SPEECH_RMS = 300
SILENCE_RMS = 30

if not MONITOR:
    fail("LINLI_TEST_PULSE_MONITOR is not set: run under tests/rigs/pulse-rig.sh")


class Recorder:
    """parec in the background; chunks stamped with their arrival time."""

    def __init__(self, source):
        self.chunks = []
        self.lock = threading.Lock()
        self.proc = subprocess.Popen(
            ["parec", "-d", source, "--format=s16le", f"--rate={RATE}", "--channels=1",
             "--raw", "--latency-msec=20"], stdout=subprocess.PIPE)
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        while True:
            data = self.proc.stdout.read1(3200)
            if not data:
                return
            with self.lock:
                self.chunks.append((time.monotonic(), data))

    def rms(self, since, until):
        """RMS of what arrived between two monotonic times."""
        with self.lock:
            data = b"".join(d for t, d in self.chunks if since <= t <= until)
        samples = array.array("h")
        samples.frombytes(data[: len(data) - len(data) % 2])
        if not samples:
            return 0.0
        return math.sqrt(sum(s * s for s in samples) / len(samples))

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=5)


def heard(what, since, window=2.5):
    """Waits until speech is heard after `since`, up to `window` seconds."""
    deadline = since + window
    while time.monotonic() < deadline:
        time.sleep(0.2)
        level = recorder.rms(since, time.monotonic())
        if level >= SPEECH_RMS:
            return level
    fail(f"nothing was heard for {what} (RMS {recorder.rms(since, time.monotonic()):.0f})")
    return 0.0


def key(name):
    xdotool("key", "--clearmodifiers", name)
    return time.monotonic()


def focused_name():
    node = focused()
    return node.name if node is not None else None


recorder = Recorder(MONITOR)
time.sleep(0.5)
if recorder.rms(time.monotonic() - 0.5, time.monotonic()) > SILENCE_RMS:
    fail("the null sink is not silent before the kiosk starts")

# The test config's 5 s quiet time is for the countdown tests; a listener
# takes longer than that between keys.
with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as conf:
    with open(CONFIG, encoding="utf-8") as base:
        conf.write(base.read().replace("inactivity-timeout=5", "inactivity-timeout=300"))

started = time.monotonic()
start(KIOSK, conf.name, ARTIFACTS)
screen_is("邻里 · 欢迎")
level = heard("the attract screen", started, window=5.0)
ok(f"the attract screen is spoken when it appears (RMS {level:.0f})")

win = window_id()
xdotool("windowfocus", "--sync", win)
wait_for("focus on the start button", lambda: focused_name() == "不用卡，直接开始")

t = key("KP_Enter")
screen_is("邻里 · 首页")
level = heard("the home screen", t)
ok(f"keypad Enter starts; the home screen is spoken (RMS {level:.0f})")
screenshot("keypad-01-home")

# A touch silences the announcement at once (it would run for seconds).
time.sleep(0.8)
if recorder.rms(time.monotonic() - 0.5, time.monotonic()) < SPEECH_RMS:
    fail("the home announcement is already over before the interruption")
xdotool("mousemove", "--sync", "960", "60", "click", "1")
t = time.monotonic()
time.sleep(1.5)
level = recorder.rms(t + 0.4, t + 1.5)
if level > SILENCE_RMS:
    fail(f"speech goes on after a touch (RMS {level:.0f} from 0.4 s to 1.5 s after it)")
ok(f"a touch stops the speech within 0.4 s (RMS {level:.0f} afterwards)")

# The repeat key reads the screen again, and it lasts when left alone.
t = key("KP_Divide")
heard("the repeat key", t)
time.sleep(2.0)
level = recorder.rms(t + 1.5, t + 2.0)
if level < SPEECH_RMS:
    fail(f"the repeated announcement stopped by itself within 2 s (RMS {level:.0f})")
ok("the repeat key (/) reads the screen again")

# Keypad arrows (8/2/4/6) move between tiles; each one is spoken.
tiles = ["社保", "医保", "水电气暖", "办件查询", "呼叫工作人员"]
xdotool("key", "Tab")
wait_for("focus on a tile", lambda: focused_name() in tiles)
before = focused_name()
# Three tiles a row: from the right-hand one, move left instead.
move = "KP_4" if before == "水电气暖" else "KP_6"
t = key(move)
wait_for("focus to move sideways", lambda: focused_name() not in (None, before))
after = focused_name()
if after not in tiles:
    fail(f"keypad {move} moved the focus off the tiles, to {after}")
heard(f"the focused tile {after}", t)
ok(f"keypad {move[-1]} moves from {before} to {after}, which is spoken")

t = key("KP_2")
wait_for("focus to move down", lambda: focused_name() != after)
ok(f"keypad 2 moves down to {focused_name()}")

# Choose a service tile with 5 (the centre key), come back with minus.
# (Down from the right-hand tile reaches the staff button below the grid.)
while focused_name() not in ("社保", "医保", "水电气暖"):
    key("KP_8" if focused_name() in ("办件查询", "呼叫工作人员", "工作人员帮办") else "KP_4")
    time.sleep(0.3)
tile = focused_name()
t = key("KP_5")
screen_is(f"邻里 · {tile}")
heard(f"the {tile} screen", t)
ok(f"keypad 5 opens {tile}, which is spoken")
screenshot("keypad-02-service")

t = key("KP_Subtract")
screen_is("邻里 · 首页")
heard("the home screen after back", t)
ok("keypad minus goes back to the services")

t = key("KP_Multiply")
heard("context help", t)
ok("keypad star speaks the help for this screen")

volume = wait_for("the volume button", lambda: next(
    (b for b in [find("push button", f"音量 {n}/8") for n in range(1, 9)] if b), None)).name
t = key("KP_Add")
wait_for("the volume to change", lambda: find("push button", volume) is None)
heard("the new volume", t)
ok(f"keypad plus changes the volume from '{volume}' and says the new level")

# Finish with the keypad alone: Tab to the finish button, Enter.
for _ in range(30):
    if focused_name() == "结束办理":
        break
    key("Tab")
    time.sleep(0.2)
else:
    fail("Tab never reaches the finish button")
key("KP_Enter")
screen_is("邻里 · 欢迎")
ok("the finish button is reached and pressed with the keypad alone")

# The next resident starts at the configured volume (Section 508
# §1194.25(f)), and the voice button really silences the kiosk.
time.sleep(0.5)
key("KP_Enter")
screen_is("邻里 · 首页")
wait_for("the default volume again", lambda: find("push button", "音量 6/8"))
ok("a new session starts at the default volume")
press("语音：开")
wait_for("voice off", lambda: find("push button", "语音：关"))
time.sleep(0.5)
t = key("KP_Divide")
time.sleep(1.5)
level = recorder.rms(t + 0.2, t + 1.5)
if level > SILENCE_RMS:
    fail(f"the kiosk still speaks with voice turned off (RMS {level:.0f})")
ok("with voice turned off, the repeat key stays silent")

stop()
recorder.stop()
os.unlink(conf.name)
done()
