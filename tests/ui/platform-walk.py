#!/usr/bin/python3 -u
"""The kiosk against the simulated county platform (tests/rigs/platform-rig.sh):
the home screen's tiles are the catalog's categories, a category lists its
items, an item the kiosk cannot carry out yet says so, and with the platform
gone the kiosk starts again from the catalog it keeps on disk.

The expected titles are read from the platform itself (GET /catalog over
mutual TLS), so the test follows the simulator's seed.

Usage: platform-walk.py KIOSK_BINARY CONFIG ARTIFACT_DIR
Runs inside the platform rig, Xvfb + a window manager + dbus-run-session
(run-ui-test.sh adds the [platform] section to CONFIG).
"""

import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kiosklib import (done, expect_label, expect_label_containing, fail, find,  # noqa: E402
                      focused, ok, platform_catalog, press, screen_is, screenshot, start,
                      wait_for, xdotool)

KIOSK, CONFIG, ARTIFACTS = sys.argv[1:4]

if not os.environ.get("LINLI_PLATFORM_URL"):
    print("1..0 # SKIP not inside tests/rigs/platform-rig.sh")
    sys.exit(77 if not os.environ.get("CI") else 1)


catalog = platform_catalog()
categories = sorted(catalog["categories"], key=lambda c: c["order"])
items = [i for i in catalog["items"] if i["enabled"]]
shown = [c for c in categories if any(i["category"] == c["code"] for i in items)]
if not shown:
    fail("the simulator's catalog has no category with an enabled item")
ok(f"the platform's catalog has {len(shown)} categories with items")

kiosk = start(KIOSK, CONFIG, ARTIFACTS)
screen_is("邻里 · 欢迎")
press("不用卡，直接开始")
screen_is("邻里 · 首页")
for category in shown:
    title = category["title"]["zh"]
    wait_for(f"tile '{title}'", lambda t=title: find("push button", t), timeout=15)
wait_for("the built-in 'call staff' tile", lambda: find("push button", "呼叫工作人员"))
ok("the home screen's tiles are the catalog's categories, in order, and 'call staff'")
screenshot("platform-01-home")

first = shown[0]
press(first["title"]["zh"])
screen_is(f"邻里 · {first['title']['zh']}")
expect_label("请选择一项服务。")
own = [i for i in items if i["category"] == first["code"]]
for item in own:
    wait_for(f"item '{item['title']['zh']}'", lambda t=item["title"]["zh"]: find("push button", t))
ok(f"the category screen lists its {len(own)} enabled items")
screenshot("platform-02-category")

# An item that needs the resident's card, chosen without one, says so and
# what to do (the result screens themselves: certificate-walk.py,
# payment-walk.py, capture-walk.py).
item = next((i for i in own if i["flow"] == "certification"), None)
if item is None:
    fail(f"the category '{first['code']}' has no certification item")
press(item["title"]["zh"])
screen_is(f"邻里 · {item['title']['zh']}")
expect_label_containing("请把身份证放在读卡器上")
ok("an item that needs the card, chosen without one, asks for it plainly")
screenshot("platform-03-item")
press("返回")
screen_is(f"邻里 · {first['title']['zh']}")
press("返回首页")
screen_is("邻里 · 首页")
ok("back goes from the item to its category, then home")


def focused_name():
    node = focused()
    return node.name if node is not None else None


def key(name):
    xdotool("key", "--clearmodifiers", name)


# The same with the keypad alone: the category's items are reached with the
# arrow keys, chosen with 5, and minus goes back a step.
wait_for("focus on a tile", lambda: focused_name() is not None)
titles = [c["title"]["zh"] for c in shown]
for _ in range(12):
    if focused_name() == titles[0]:
        break
    key("KP_4" if focused_name() in titles[1:3] else "KP_8")
if focused_name() != titles[0]:
    fail(f"the keypad did not reach the tile '{titles[0]}' (focus on {focused_name()})")
key("KP_5")
screen_is(f"邻里 · {titles[0]}")
wait_for("focus on the first item", lambda: focused_name() == own[0]["title"]["zh"])
if len(own) > 1:
    key("KP_2")
    wait_for("focus on the second item", lambda: focused_name() == own[1]["title"]["zh"])
key("KP_5")
screen_is(f"邻里 · {own[1 if len(own) > 1 else 0]['title']['zh']}")
key("KP_Subtract")
screen_is(f"邻里 · {titles[0]}")
key("KP_Subtract")
screen_is("邻里 · 首页")
ok("keypad only: a category's items are reached with 8/2, chosen with 5, minus goes back")

# The platform goes away: a new start of the kiosk offers the catalog it
# kept on disk.
kiosk.send_signal(signal.SIGTERM)
try:
    kiosk.wait(timeout=10)
except subprocess.TimeoutExpired:
    fail("the kiosk did not stop on SIGTERM")
subprocess.run([os.environ["LINLI_PLATFORM_RIG"], "kill", os.environ["LINLI_PLATFORM_RIG_DIR"]],
               check=True)
kiosk = start(KIOSK, CONFIG, ARTIFACTS)
screen_is("邻里 · 欢迎")
press("不用卡，直接开始")
screen_is("邻里 · 首页")
for category in shown:
    title = category["title"]["zh"]
    wait_for(f"cached tile '{title}'", lambda t=title: find("push button", t), timeout=20)
ok("with the platform down, the kiosk starts from the catalog it keeps on disk")
screenshot("platform-04-offline-home")

kiosk.send_signal(signal.SIGTERM)
kiosk.wait(timeout=10)
done()
