#!/usr/bin/python3
"""Benchmark: how soon a screen's announcement is heard after it appears.

The real kiosk runs with --report-first-frame, which prints the wall-clock
time of each new screen's first frame ("screen-shown") and of the first
audio buffer of each utterance reaching the sink ("speech-started"). The
kiosk speaks into the pulse rig's null sink. Keys walk it between the
services, a tile and back 20 times; each latency is the first speech start
after a screen's first frame (negative: the sound started before the frame).
Budget (DESIGN.md, issue 3): 150 ms. Prints figures; asserts nothing.

Usage: screen-speech-bench.py KIOSK_BINARY CONFIG ARTIFACT_DIR
(run by run-ui-test.sh under tests/rigs/pulse-rig.sh; meson: --benchmark)
"""

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kiosklib  # noqa: E402
from kiosklib import done, fail, ok, screen_is, window_id, xdotool  # noqa: E402

KIOSK, CONFIG, ARTIFACTS = sys.argv[1:4]
ROUNDS = 10

with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as conf:
    with open(CONFIG, encoding="utf-8") as base:
        conf.write(base.read().replace("inactivity-timeout=5", "inactivity-timeout=300"))

events = []
lock = threading.Lock()
kiosklib.ARTIFACTS = ARTIFACTS
kiosklib.kiosk = subprocess.Popen([KIOSK, "--config", conf.name, "--report-first-frame"],
                                  stdout=subprocess.PIPE, text=True)


def read_reports():
    for line in kiosklib.kiosk.stdout:
        fields = dict(f.split("=", 1) for f in line.split() if "=" in f)
        for name in ("screen-shown-realtime-us", "speech-started-realtime-us"):
            if name in fields:
                with lock:
                    events.append((name.split("-realtime")[0], int(fields[name]),
                                   fields.get("screen", "")))


threading.Thread(target=read_reports, daemon=True).start()
screen_is("邻里 · 欢迎")
xdotool("windowfocus", "--sync", window_id())
time.sleep(1.0)
xdotool("key", "Return")
screen_is("邻里 · 首页")
for _ in range(ROUNDS):
    time.sleep(0.6)
    xdotool("key", "KP_Enter")  # the focused first tile
    screen_is("邻里 · 社保")
    time.sleep(0.6)
    xdotool("key", "KP_Subtract")  # back
    screen_is("邻里 · 首页")
time.sleep(1.0)
kiosklib.stop()
os.unlink(conf.name)

latencies = []
with lock:
    shown = [(t, s) for kind, t, s in events if kind == "screen-shown"]
    spoken = sorted(t for kind, t, _ in events if kind == "speech-started")
for t, screen in shown:
    # The first sound within 2 s either side of the frame belongs to it.
    near = [s for s in spoken if t - 2_000_000 < s < t + 2_000_000]
    if near:
        latencies.append((min(near, key=lambda s: abs(s - t)) - t) / 1000.0)
if len(latencies) < ROUNDS * 2:
    fail(f"only {len(latencies)} of {len(shown)} screens were heard")
latencies.sort()
p95 = latencies[int(0.95 * (len(latencies) - 1))]
ok(f"screen-to-speech over {len(latencies)} screens: median {statistics.median(latencies):.1f} ms, "
   f"p95 {p95:.1f} ms, max {latencies[-1]:.1f} ms (budget 150 ms)")
print(f"# screen_to_speech_ms median={statistics.median(latencies):.1f} p95={p95:.1f} "
      f"max={latencies[-1]:.1f} n={len(latencies)}", flush=True)
done()
