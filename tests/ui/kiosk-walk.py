#!/usr/bin/python3
"""Walks the real linli-kiosk through its screens over AT-SPI.

The test sees what a screen reader sees: it finds screens by the window
title, widgets by role and accessible name, presses buttons through their
AT-SPI action, and uses real X input (xdotool) where a resident's touch or
keypad is the point. Screenshots of every screen go to the artifact folder.

Usage: kiosk-walk.py KIOSK_BINARY CONFIG ARTIFACT_DIR
Runs inside Xvfb + a window manager + dbus-run-session (run-ui-test.sh).
"""

import os
import signal
import subprocess
import sys
import time

import pyatspi

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosklib import (absent, done, expect_label, expect_label_containing, fail, find,  # noqa: E402
                      frame, ok, press, screen_is, screenshot, start, wait_for, xdotool)

KIOSK, CONFIG, ARTIFACTS = sys.argv[1:4]


# --- start ---------------------------------------------------------------
kiosk = start(KIOSK, CONFIG, ARTIFACTS)
screen_is("邻里 · 欢迎")
ok("the kiosk starts on the attract screen, in Chinese")

expect_label("请放置身份证或插入社保卡")
wait_for("the animated card hint", lambda: find("panel", "动画：把卡片放到屏幕下方的读卡区"))
for name in ("不用卡，直接开始", "我需要帮助", "字号：大", "高对比度：关", "语音：开", "English (英语)"):
    wait_for(f"button '{name}'", lambda: find("push button", name))
if not absent("push button", "需要更多时间") or not absent("push button", "结束办理"):
    fail("'more time' or 'finish' is offered with no session running")
ok("the attract screen has its instruction, help button and accessibility bar")
screenshot("01-attract")

# The window fills the screen: fullscreen under a window manager.
root_w, root_h = (int(v) for v in subprocess.run(
    ["xdotool", "getdisplaygeometry"], capture_output=True, text=True, check=True).stdout.split())
win_id = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(kiosk.pid)],
                        capture_output=True, text=True, check=True).stdout.split()[0]
geometry = subprocess.run(["xdotool", "getwindowgeometry", "--shell", win_id],
                          capture_output=True, text=True, check=True).stdout
values = dict(line.split("=", 1) for line in geometry.split())
if (int(values["WIDTH"]), int(values["HEIGHT"])) != (root_w, root_h):
    fail(f"window is {values['WIDTH']}x{values['HEIGHT']}, screen is {root_w}x{root_h}")
ok("the window fills the screen")

# --- residents cannot close the kiosk ------------------------------------
xdotool("windowfocus", "--sync", win_id)
for keys in ("alt+F4", "Escape", "ctrl+q", "ctrl+w"):
    xdotool("key", keys)
time.sleep(1.0)
if kiosk.poll() is not None or frame() is None:
    fail("a key combination closed the kiosk")
screen_is("邻里 · 欢迎")
ok("Alt+F4, Escape, Ctrl+Q and Ctrl+W do not close the kiosk")

# --- keypad: Enter on the focused start button ---------------------------
wait_for("focus on the start button",
         lambda: find("push button", "不用卡，直接开始").getState().contains(pyatspi.STATE_FOCUSED))
xdotool("key", "Return")
screen_is("邻里 · 首页")
ok("Enter on the focused start button opens the home screen (keypad)")
expect_label("请选择您要办理的事项")
tiles = ["社保", "医保", "水电气暖", "办件查询", "呼叫工作人员"]
for name in tiles:
    wait_for(f"tile '{name}'", lambda: find("push button", name))
wait_for("'more time' during a session", lambda: find("push button", "需要更多时间"))
wait_for("'finish' during a session", lambda: find("push button", "结束办理"))
ok("the home screen shows the five tiles from the service list")
screenshot("02-home")

# Tab moves the focus from tile to tile.
xdotool("key", "Tab")
wait_for("focus to move with Tab", lambda: any(
    find("push button", n) is not None
    and find("push button", n).getState().contains(pyatspi.STATE_FOCUSED) for n in tiles))
ok("Tab moves the focus between tiles")

# --- every tile leads to a real screen -----------------------------------
for name, notice in (("社保", "本机尚未接入平台"), ("医保", "本机尚未接入平台"),
                     ("水电气暖", "本机尚未接入平台"), ("办件查询", "暂时无法在这里查询")):
    press(name)
    screen_is(f"邻里 · {name}")
    expect_label(name)
    expect_label_containing(notice)
    screenshot(f"03-service-{name}")
    press("返回首页")
    screen_is("邻里 · 首页")
ok("each service tile opens its screen, which says plainly what is not available yet")

press("呼叫工作人员")
screen_is("邻里 · 求助")
expect_label("工作人员在：一楼 3 号窗口")
expect_label_containing("尚未接入呼叫系统")
screenshot("04-help")
press("返回首页")
screen_is("邻里 · 首页")
ok("the call-staff tile opens the help screen with the configured staff desk")

# --- accessibility bar ---------------------------------------------------
press("字号：大")
wait_for("text size 2", lambda: find("push button", "字号：较大"))
screenshot("05-text-size-2")
press("字号：较大")
wait_for("text size 3", lambda: find("push button", "字号：特大"))
screenshot("06-text-size-3")
press("字号：特大")
wait_for("text size 1 again", lambda: find("push button", "字号：大"))
ok("the text size cycles through three levels")

press("高对比度：关")
wait_for("high contrast on", lambda: find("push button", "高对比度：开"))
screenshot("07-high-contrast")
press("高对比度：开")
wait_for("high contrast off", lambda: find("push button", "高对比度：关"))
ok("high contrast turns on and off")

press("语音：开")
wait_for("voice off", lambda: find("push button", "语音：关"))
press("语音：关")
wait_for("voice on", lambda: find("push button", "语音：开"))
ok("voice turns off and on")

press("English (英语)")
screen_is("Linli · Home")
expect_label("What would you like to do?")
wait_for("English tile", lambda: find("push button", "Social security"))
screenshot("08-english-home")
press("Social security")
screen_is("Linli · Social security")
expect_label_containing("not connected")
screenshot("09-english-service")
press("Back to home")
press("中文 (Chinese)")
screen_is("邻里 · 首页")
ok("the language toggle switches every string to English and back")

# --- the timeout warning, extended by a button and by a real touch --------
press("需要更多时间")
wait_for("more time given", lambda: find("push button", "已延长时间"))
ok("'more time' is acknowledged on the button")
press("结束办理")
screen_is("邻里 · 欢迎")
press("不用卡，直接开始")
screen_is("邻里 · 首页")
if find("push button", "已延长时间") is not None:
    fail("'more time' carried over into the next session")
ok("finishing returns to the attract screen; the next session starts with normal time")

started = time.monotonic()
wait_for("the timeout warning", lambda: find("push button", "继续办理"), timeout=15)
quiet = time.monotonic() - started
expect_label("您还在吗？")
countdown = expect_label_containing("秒后将结束办理")
if "20" not in countdown.name and "19" not in countdown.name:
    fail(f"the countdown does not start at 20 s: {countdown.name}")
ok(f"after {quiet:.1f} s of quiet the countdown warning appears ({countdown.name})")
screenshot("10-timeout-warning")

press("继续办理")
wait_for("the warning to go", lambda: absent("push button", "继续办理"))
screen_is("邻里 · 首页")
ok("the continue button keeps the session")

wait_for("the timeout warning again", lambda: find("push button", "继续办理"), timeout=15)
xdotool("mousemove", "--sync", str(root_w // 2), str(root_h // 5), "click", "1")
wait_for("the warning to go after a touch", lambda: absent("push button", "继续办理"))
screen_is("邻里 · 首页")
ok("one real touch anywhere during the countdown keeps the session")

press("字号：大")
wait_for("text size 2", lambda: find("push button", "字号：较大"))
wait_for("the timeout warning a third time", lambda: find("push button", "继续办理"), timeout=15)
first = expect_label_containing("秒后将结束办理").name
time.sleep(2.5)
second = expect_label_containing("秒后将结束办理").name
if first == second:
    fail(f"the countdown does not count down: {first}")
ok("the countdown counts down")
screen_is_deadline = 25
wait_for("the return to the attract screen",
         lambda: frame() is not None and frame().name == "邻里 · 欢迎", timeout=screen_is_deadline)
if find("push button", "继续办理") is not None:
    fail("the warning stays on the attract screen")
wait_for("text size back to the default", lambda: find("push button", "字号：大"))
ok("when the countdown runs out the kiosk returns to the attract screen, settings reset")
screenshot("11-after-timeout")

# --- the help button on the attract screen --------------------------------
press("我需要帮助")
screen_is("邻里 · 求助")
press("返回首页")
screen_is("邻里 · 首页")
press("结束办理")
screen_is("邻里 · 欢迎")
ok("'I need help' on the attract screen shows where staff are")

# --- a clean exit on SIGTERM ----------------------------------------------
kiosk.send_signal(signal.SIGTERM)
try:
    code = kiosk.wait(timeout=10)
except subprocess.TimeoutExpired:
    fail("the kiosk did not stop on SIGTERM")
if code != 0:
    fail(f"the kiosk exited with {code} on SIGTERM")
ok("SIGTERM stops the kiosk cleanly")
done()
