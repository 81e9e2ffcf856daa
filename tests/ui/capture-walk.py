#!/usr/bin/python3 -u
"""The camera screen (issue 7): the real kiosk under the platform rig, its
camera a still picture of a document (a page of text turned 6° on a dark
desk, drawn here with ImageMagick, through imagefreeze), then GStreamer's
test pattern at 1280x720 for the certification photo.

Document: an application item of the simulated platform's catalog opens the
camera screen for its first document; the page is taken by itself once the
picture is still, a second one with 拍摄; page 1 is retaken, moved after
page 2, the new page 1 deleted and a page added again; the thumbnails are
counted over AT-SPI after each step. Preview pictures reach the screen: the
picture's accessible description counts those drawn, and it grows. Photo:
consent (同意), the oval and the 3-2-1, review (使用这张), "照片已拍好" with
the plain notice that submitting is not available yet.

At the end of each visit (结束办理) the kiosk's log (G_MESSAGES_DEBUG, its
stderr) must say the session wiped the pages or the photo it held and that
nothing was left behind: "session N: wiping S secrets and P document pages"
then "session N left behind 0 secrets and 0 document pages".

With --bench (or LINLI_CAPTURE_BENCH=1), also prints the preview frames drawn per second over 5 s at
1280x720 (frame clock after-paint count, read from the same description).

Usage: capture-walk.py [--bench] KIOSK_BINARY CONFIG ARTIFACT_DIR
"""

import atexit
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kiosklib  # noqa: E402
from kiosklib import (done, expect_label, expect_label_containing, fail, find,  # noqa: E402
                      find_all, ga467_reader, kiosk_config, ok, platform_catalog, press,
                      print_and_read,
                      screen_is, screenshot, stop, wait_for, xdotool)

args = sys.argv[1:]
BENCH = "--bench" in args or os.environ.get("LINLI_CAPTURE_BENCH") == "1"
args = [a for a in args if a != "--bench"]
KIOSK, CONFIG, ARTIFACTS = args[:3]

if not os.environ.get("LINLI_PLATFORM_URL"):
    fail("LINLI_PLATFORM_URL not set: run under the platform rig")
convert = shutil.which("convert")
if convert is None:
    print("missing convert (imagemagick)")
    sys.exit(1 if os.environ.get("CI") else 77)

work = tempfile.mkdtemp(prefix="linli-capture-walk.")
atexit.register(shutil.rmtree, work, True)

page_png = os.path.join(work, "page.png")
lines = [f"第{n}行 示例县社区服务中心 户口簿 household register {n}" for n in range(1, 25)]
draw = subprocess.run(
    [convert, "-size", "1200x1650", "xc:white", "-fill", "black", "-font", "Noto-Sans-CJK-SC",
     "-pointsize", "34", "-annotate", "+80+120", "\n".join(lines), "-background", "#1e1e1e",
     "-rotate", "6", "-gravity", "center", "-extent", "2592x1944", page_png],
    capture_output=True, text=True, check=False)
if draw.returncode != 0:
    fail(f"convert: {draw.stderr}")

catalog = platform_catalog()
application = next(i for i in catalog["items"] if i["flow"] == "application"
                   and i["documents"] and not i.get("assisted_only")
                   and i["documents"][0]["pages_max"] >= 3)
certification = next(i for i in catalog["items"] if i["flow"] == "certification")
document = application["documents"][0]


def category_title(item):
    return next(c for c in catalog["categories"] if c["code"] == item["category"])["title"]["zh"]


def launch(source, name, extra=""):
    """The kiosk with @source as its camera; its log (stderr) in a file."""
    # pcscd is the machine's: a reader name no rig uses keeps other tests'
    # virtual cards from starting or ending this walk's visits.
    config = kiosk_config(CONFIG, work, f"\n[devices]\ncamera-source={source}\n"
                          "pcsc-reader=capture-walk: no card reader\n" + extra +
                          "[session]\ninactivity-timeout=300\n")
    log_path = os.path.join(ARTIFACTS, f"capture-kiosk-{name}.log")
    log = open(log_path, "w", encoding="utf-8")
    env = dict(os.environ, G_MESSAGES_DEBUG="linli-session linli-kiosk linli-capture")
    kiosklib.ARTIFACTS = ARTIFACTS
    os.makedirs(ARTIFACTS, exist_ok=True)
    # GLib writes info and debug messages to stdout, the rest to stderr.
    kiosklib.kiosk = subprocess.Popen([KIOSK, "--config", config], env=env, stdout=log,
                                      stderr=subprocess.STDOUT)
    atexit.register(print_log_on_failure, log_path)
    atexit.register(lambda k=kiosklib.kiosk: k.poll() is None and k.kill())
    return log_path


def print_log_on_failure(path):
    if kiosklib.kiosk is not None and kiosklib.kiosk.poll() not in (None, 0):
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f.read().splitlines()[-30:]:
                print(f"# kiosk: {line}", flush=True)


def thumbnails():
    return sorted(a.name for a in find_all("push button") if re.fullmatch(r"第 \d+ 页", a.name))


def expect_thumbnails(n, timeout=30.0):
    wait_for(f"{n} page thumbnails", lambda: len(thumbnails()) == n or None, timeout)
    expect_label_containing(f"已拍 {n} 页", timeout=5)


def frames_shown():
    picture = find("image", "摄像头画面")
    if picture is None:
        return None
    match = re.search(r"已显示 (\d+) 帧", picture.description or "")
    return int(match.group(1)) if match else None


def wiped(log_path, what):
    """The session-end lines of the kiosk's log."""
    def seen():
        with open(log_path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        wiping = re.findall(r"session (\d+): wiping (\d+) secrets and (\d+) document pages", text)
        left = re.findall(r"session (\d+) left behind (\d+) secrets and (\d+) document pages",
                          text)
        return (wiping, left) if wiping and left else None
    wiping, left = wait_for(f"the session-end lines ({what})", seen)
    return [tuple(map(int, w)) for w in wiping], [tuple(map(int, x)) for x in left]


# ---- an application: the form, a document of two pages, the summary,
# submitted, its receipt printed ----
# The resident's card (王小明 in the simulator).
pty_link, control_fd = ga467_reader(work)
log_path = launch(f"filesrc location={page_png} ! pngdec ! imagefreeze", "document",
                  f"id-reader-serial={pty_link}\nprinter={os.environ['CUPS_RIG_QUEUE']}\n")
screen_is("邻里 · 欢迎")
press("不用卡，直接开始")
screen_is("邻里 · 首页")
press(category_title(application))
press(application["title"]["zh"])
screen_is(f"邻里 · {application['title']['zh']}")
expect_label_containing("请把身份证放在读卡器上")
ok("without a card, an application item asks for the card first")


os.write(control_fd, b"place resident\n")
screen_is(f"邻里 · 填写：{application['title']['zh']}", timeout=15)
fields = application["fields"]
expect_label_containing(f"第 1 项，共 {len(fields)} 项")
screenshot("application-01-first-question")
ok("the card read, the item goes on by itself to its first question")


def answer(field, text=None):
    """Answers @field: a choice or yes/no by its button, digits on the
    screen's pad, anything else typed on the keyboard (xdotool)."""
    expect_label(field["label"]["zh"])
    if field["type"] in ("choice", "boolean"):
        name = text if text else (field["choices"][0]["label"]["zh"] if field["type"] == "choice"
                                  else "是")
        button = wait_for(f"choice {name}", lambda: next(
            (find(role, name) for role in ("toggle button", "radio button", "push button")
             if find(role, name) is not None), None))
        print(f"# choice {name}: role {button.getRoleName()}", flush=True)
        button.queryAction().doAction(0)
    elif text and re.fullmatch(r"[0-9]+", text) and field["type"] != "multiline":
        # AT-SPI drops a second press of one button that comes too soon.
        for digit in text:
            press(digit)
            time.sleep(0.3)
    elif text:
        xdotool("type", "--delay", "20", text)
    press("下一项")


# A required choice left empty is refused with the field named.
press("下一项")
expect_label_containing(fields[0]["label"]["zh"])
expect_label_containing("请填写")
screenshot("application-02-refused")
ok("下一项 on an empty required choice is refused, naming the field")

values = {"applicant_relation": None, "phone": "13912345678", "contribution_grade": "500元",
          "start_date": "20261201", "bank_account": "6222021234567890123", "remarks": None,
          "household_size": "2", "monthly_income": "800", "living_alone": "否",
          "agent_id_number": None}
for index, field in enumerate(fields):
    expect_label_containing(f"第 {index + 1} 项，共 {len(fields)} 项")
    if field["name"] == "phone":
        # A number too short first: refused with what is wanted.
        for digit in "123":
            press(digit)
        press("下一项")
        expect_label_containing("11位", timeout=5)
        screenshot("application-03-phone-refused")
        for _ in range(3):
            press("删除最后一个字")
            time.sleep(0.3)
    answer(field, values.get(field["name"]))
ok(f"the {len(fields)} questions answered: choices by button, digits on the pad, a bad "
   "phone number refused first")

screen_is(f"邻里 · 拍摄材料：{document['title']['zh']}", timeout=15)
expect_label("请将材料正面朝上放在拍摄区内")
for name in ("拍摄", "完成", "取消"):
    if find("push button", name) is None:
        fail(f"no button {name} on the camera screen")
ok("after the questions, the camera screen opens for the first document, with guidance")

first = wait_for("preview pictures counted", lambda: frames_shown())
time.sleep(2)
second = frames_shown()
if second is None or second <= first:
    fail(f"the preview is not live: {first} then {second} pictures shown")
ok(f"preview pictures reach the screen ({second - first} drawn in 2 s)")

expect_thumbnails(1)
expect_label_containing("已拍摄第 1 页")
screenshot("capture-01-auto")
ok("the still page was taken by itself and shows as a thumbnail (1 page)")

press("拍摄")
expect_thumbnails(2)
expect_label_containing(f"已拍 2 页，共需 {document['pages_min']}–{document['pages_max']} 页")
ok("the 拍摄 button takes a second page (2 pages, count against the catalog's limits)")

press("第 1 页")
wait_for("the page actions", lambda: find("push button", "重拍"))
screenshot("capture-02-selected")
press("重拍")
expect_label_containing("已拍摄第 1 页", timeout=30)
expect_thumbnails(2)
ok("page 1 retaken: still 2 pages")

press("第 1 页")
press("后移")
expect_label_containing("这一页现在是第 2 页")
expect_thumbnails(2)
ok("page 1 moved after page 2")

press("第 1 页")
press("删除")
expect_label_containing("已删除第 1 页")
expect_thumbnails(1)
press("拍摄")
expect_thumbnails(2)
screenshot("capture-03-two-pages")
ok("a page deleted (1 left) and another taken (2 again)")

press("完成")


def assembled():
    with open(log_path, encoding="utf-8", errors="replace") as f:
        found = re.findall(r"document \S+: a PDF of (\d+) pages, (\d+) bytes, kept in the session",
                           f.read())
    return found or None


pdf_pages, pdf_bytes = map(int, wait_for("the assembled PDF", assembled)[-1])
if pdf_pages != 2 or not 10000 < pdf_bytes <= document.get("max_bytes", 8388608):
    fail(f"the PDF kept in the session has {pdf_pages} pages, {pdf_bytes} bytes")
ok(f"完成 checks the 2 pages make one PDF within the catalog's limit ({pdf_bytes} bytes)")

# The other documents, one page each (taken by itself once still).
for later in application["documents"][1:]:
    screen_is(f"邻里 · 拍摄材料：{later['title']['zh']}", timeout=15)
    expect_thumbnails(1)
    press("完成")

screen_is(f"邻里 · 填写：{application['title']['zh']}", timeout=15)
expect_label("请核对申请内容")
expect_label_containing("请居民本人按")
for field in fields:
    expect_label(field["label"]["zh"])
expect_label("2 页")
if values.get("phone") and find("label", values["phone"]) is None:
    fail("the phone number is not on the summary")
screenshot("application-04-summary")
ok("the summary lists every answer and the pages of each document")

press("确认提交")
screen_is(f"邻里 · {application['title']['zh']}", timeout=15)
number = wait_for("the application number", lambda: next(
    (a.name for a in find_all("label") if re.fullmatch(r"BJ\d{8,}", a.name or "")), None),
    timeout=30)
expect_label_containing("已收到您的申请")
wait_for("the Print button", lambda: find("push button", "打印"))
screenshot("application-05-submitted")
ok(f"确认提交 files the application through the outbox: application number {number}")

output = os.environ["CUPS_RIG_OUTPUT"]
text = print_and_read(output)
flat = re.sub(r"\s+", "", text)
for expected in ("办件回执", application["title"]["zh"], number, "王*明", "已收到您的申请"):
    if expected not in flat:
        fail(f"'{expected}' is not on the printed receipt: {text!r}")
if re.search(r"(?<![A-Z0-9])\d{17}[\dX]", text) or values["bank_account"] in flat:
    fail("a full ID or bank card number is on the printed receipt")
if not re.search(rf"^\s*{number}\s*$", text, re.M):
    fail(f"the application number is not on one line of its own: {text!r}")
ok("the 办件回执 came out of CUPS: item, application number on one line, masked name, status")

os.write(control_fd, b"lift\n")
press("结束办理")
screen_is("邻里 · 欢迎")
wiping, left = wiped(log_path, "document")
if not any(pages >= 2 for _, _, pages in wiping):
    fail(f"the session did not wipe its pages: {wiping}")
if any(secrets or pages for _, secrets, pages in left):
    fail(f"the session left something behind: {left}")
ok("结束办理 wiped the answers and pages the session held; nothing left behind")
stop()
os.close(control_fd)

# ---- an item only staff may file: the staff member signs in first, the
# receipt names them, the audit log has the filing ----
assisted = next(i for i in catalog["items"] if i["flow"] == "application"
                and i.get("assisted_only") and i["documents"])
DIAG = os.environ["LINLI_DIAG"]
PIN = "246813"
hashed = subprocess.run([DIAG, "hash-pin"], input=PIN + "\n", capture_output=True, text=True,
                        check=True).stdout.strip().split("=", 1)[1]
work = tempfile.mkdtemp(prefix="linli-capture-walk.")
atexit.register(shutil.rmtree, work, True)
pty_link, control_fd = ga467_reader(work)
log_path = launch(f"filesrc location={page_png} ! pngdec ! imagefreeze", "assisted",
                  f"id-reader-serial={pty_link}\nprinter={os.environ['CUPS_RIG_QUEUE']}\n"
                  f"[maintenance]\naudit-db={work}/audit.db\n[staff]\nGZ0042 = {hashed}\n")
screen_is("邻里 · 欢迎")
os.write(control_fd, b"place resident\n")
screen_is("邻里 · 首页", timeout=15)
press(category_title(assisted))
press(assisted["title"]["zh"])
screen_is("邻里 · 帮办人员登录", timeout=10)
screenshot("assisted-01-staff-sign-in")
xdotool("type", "--delay", "50", "GZ0042")
xdotool("key", "Return")
expect_label_containing("请输入密码")
xdotool("type", "--delay", "50", PIN)
xdotool("key", "Return")
screen_is(f"邻里 · 填写：{assisted['title']['zh']}", timeout=15)
ok("an item only staff may file asks for the staff sign-in, then opens its form")

for field in assisted["fields"]:
    expect_label(field["label"]["zh"])
    if field["type"] in ("choice", "boolean"):
        name = field["choices"][0]["label"]["zh"] if field["type"] == "choice" else "是"
        button = wait_for(f"choice {name}", lambda: next(
            (find(role, name) for role in ("toggle button", "radio button", "push button")
             if find(role, name) is not None), None))
        button.queryAction().doAction(0)
    elif field["required"]:
        xdotool("type", "--delay", "40", {"phone": "13912345678", "date": "2026-12-01"}.get(
            field["type"], "上海市"))
    press("下一项")
for spec in assisted["documents"]:
    screen_is(f"邻里 · 拍摄材料：{spec['title']['zh']}", timeout=15)
    expect_thumbnails(1)
    press("完成")
screen_is(f"邻里 · 填写：{assisted['title']['zh']}", timeout=15)
expect_label("请核对申请内容")
press("确认提交")
number = wait_for("the application number", lambda: next(
    (a.name for a in find_all("label") if re.fullmatch(r"BJ\d{8,}", a.name or "")), None),
    timeout=30)
text = print_and_read(output)
flat = re.sub(r"\s+", "", text)
for expected in ("办件回执", number, "代办人员：GZ0042", "王*明"):
    if expected not in flat:
        fail(f"'{expected}' is not on the printed receipt: {text!r}")
ok(f"filed by staff ({number}): the receipt names the staff member 代办人员 GZ0042")

config = os.path.join(work, "kiosk.conf")
records = subprocess.run([DIAG, "--config", config, "audit", "-n", "100"], capture_output=True,
                         text=True, check=False).stdout
for action in ("staff-signed-in", "staff-application-filed", "staff-application-numbered"):
    if action not in records:
        fail(f"no {action} in the audit log: {records}")
if number not in records or "13912345678" in records:
    fail(f"the audit log lacks the number or holds the resident's data: {records}")
ok("the audit log has the staff sign-in, the filing and its number, no resident data")
os.write(control_fd, b"lift\n")
press("结束办理")
screen_is("邻里 · 欢迎")
stop()
os.close(control_fd)

# ---- the certification photo, submitted, its receipt printed ----
# The retired resident's card (李秀英 in the simulator: certification due).
work = tempfile.mkdtemp(prefix="linli-capture-walk.")
atexit.register(shutil.rmtree, work, True)
pty_link, control_fd = ga467_reader(work)
log_path = launch("videotestsrc ! video/x-raw,width=1280,height=720,framerate=30/1", "photo",
                  f"id-reader-serial={pty_link}\nprinter={os.environ['CUPS_RIG_QUEUE']}\n")
screen_is("邻里 · 欢迎")
os.write(control_fd, b"place elder\n")
screen_is("邻里 · 首页", timeout=15)
press(category_title(certification))
press(certification["title"]["zh"])
screen_is("邻里 · 养老金资格认证拍照")
expect_label_containing("县社会保险经办机构")
expect_label_containing("照片不保存在本机上")
for name in ("同意", "不同意"):
    if find("push button", name) is None:
        fail(f"no button {name} on the consent screen")
if find("image", "摄像头画面") is not None and frames_shown():
    fail("the camera runs before consent")
screenshot("capture-05-consent")
ok("a certification item asks for consent first: what for, who receives it, not kept")

# 不同意 goes back and takes nothing; the item can be chosen again.
press("不同意")
screen_is(f"邻里 · {category_title(certification)}", timeout=10)
if frames_shown():
    fail("the camera ran although the resident did not agree")
press(certification["title"]["zh"])
screen_is("邻里 · 养老金资格认证拍照")
ok("不同意 goes back to the category; nothing is taken")

press("同意")
expect_label("请正对屏幕，让脸在椭圆框内")
first = wait_for("preview pictures counted", lambda: frames_shown())
if BENCH:
    # The description is refreshed once a second: the difference of two
    # readings 5 s apart, each taken just after a refresh.
    start_count, start_time = first, time.monotonic()
    while frames_shown() == start_count:
        time.sleep(0.02)
    start_count, start_time = frames_shown(), time.monotonic()
    time.sleep(5)
    end_count = frames_shown()
    while frames_shown() == end_count:
        time.sleep(0.02)
    end_count, end_time = frames_shown(), time.monotonic()
    fps = (end_count - start_count) / (end_time - start_time)
    print(f"# preview drawn at 1280x720 (videotestsrc 30 fps, preview-rate 25): "
          f"{fps:.1f} fps over {end_time - start_time:.1f} s", flush=True)
screenshot("capture-06-oval")
press("拍摄")
wait_for("the review", lambda: find("push button", "使用这张"), timeout=20)
if find("push button", "重拍") is None:
    fail("no 重拍 on the review")
screenshot("capture-07-review")
ok("同意 → preview with the oval, 3-2-1, the photo and its review")

press("使用这张")
screen_is(f"邻里 · {certification['title']['zh']}", timeout=15)
expect_label_containing("等待审核", timeout=30)
number = wait_for("the certification number", lambda: next(
    (a.name for a in find_all("label") if re.fullmatch(r"RZ\d{8,}", a.name or "")), None))
wait_for("the Print button", lambda: find("push button", "打印"))
screenshot("capture-08-submitted")
ok(f"使用这张 submits through the outbox; the platform's answer is shown: pending, {number}")

output = os.environ["CUPS_RIG_OUTPUT"]
text = print_and_read(output)
for expected in ("养老金资格认证回执", number, "李*英", "等待审核"):
    if expected not in text:
        fail(f"'{expected}' is not on the printed receipt: {text!r}")
if re.search(r"\d{17}[\dX]", text):
    fail("a full ID number is on the printed receipt")
ok("the certification receipt came out of CUPS: number, masked name, status")

os.write(control_fd, b"lift\n")
press("结束办理")
screen_is("邻里 · 欢迎")
# The photo left the session when it went into the outbox (which keeps it
# until the platform confirms): nothing is left when the visit ends.
def session_end():
    with open(log_path, encoding="utf-8", errors="replace") as f:
        found = re.findall(r"session (\d+) left behind (\d+) secrets and (\d+) document pages",
                           f.read())
    return found or None


left = wait_for("the session-end line (photo)", session_end)
if any(int(secrets) or int(pages) for _, secrets, pages in left):
    fail(f"the session left something behind: {left}")
ok("the photo was handed to the outbox and dropped from the session; nothing left behind")
stop()
done()
