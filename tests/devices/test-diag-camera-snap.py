#!/usr/bin/python3 -u
"""linli-diag camera-snap against real GStreamer sources: videotestsrc, a
PNG through imagefreeze (made here, with the standard library), the
configured camera-source; the JPEG written is checked (SOI/EOI, frame
size from its SOF marker, mode 0600), and so are the failures: a source
that is no pipeline, a camera that is not there, --document (not in this
build yet), usage errors. TAP output.

Usage: test-diag-camera-snap.py LINLI_DIAG
"""

# SPDX-License-Identifier: GPL-3.0-or-later

import os
import shutil
import stat
import struct
import subprocess
import sys
import tempfile
import zlib

DIAG = sys.argv[1]
steps = 0


def ok(message):
    global steps
    steps += 1
    print(f"ok {steps} - {message}")


def fail(message):
    print(f"not ok - {message}")
    sys.exit(1)


work = tempfile.mkdtemp(prefix="linli-camera-snap.")
config = os.path.join(work, "kiosk.conf")


def write_config(source):
    with open(config, "w", encoding="utf-8") as conf:
        conf.write(f"[devices]\ncamera-source={source}\n")


def diag(*args):
    return subprocess.run([DIAG, "--config", config, "camera-snap", *args],
                          capture_output=True, text=True, timeout=60, check=False)


def jpeg_size(path):
    """(width, height) from the frame header; fails unless the file is one
    whole baseline or progressive JPEG."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] != b"\xff\xd8" or data[-2:] != b"\xff\xd9":
        fail(f"{path} does not start with SOI and end with EOI")
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            fail(f"{path}: no marker at byte {i}")
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            return width, height
        i += 2 + length
    fail(f"{path}: no SOF marker")
    return None


def write_png(path, width, height):
    """A page: white with black bars of "text", 8-bit RGB."""
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")  # filter: none
        ink = (y // 12) % 3 == 1 and 40 < y < height - 40
        for x in range(width):
            v = 0 if ink and 40 < x < width - 40 and (x // 30) % 4 != 3 else 255
            row += bytes((v, v, v))
        rows.append(bytes(row))

    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(b"".join(rows), 6)))
        f.write(chunk(b"IEND", b""))


def expect_jpeg(run, path, size, what):
    if run.returncode != 0:
        fail(f"{what}: rc {run.returncode}: {run.stdout} {run.stderr}")
    got = jpeg_size(path)
    if got != size:
        fail(f"{what}: JPEG is {got[0]}x{got[1]}, expected {size[0]}x{size[1]}")
    mode = stat.S_IMODE(os.stat(path).st_mode)
    if mode != 0o600:
        fail(f"{what}: the JPEG's mode is {oct(mode)}, not 0600")
    if f"{size[0]}x{size[1]} JPEG" not in run.stdout:
        fail(f"{what}: the report does not give the size: {run.stdout}")
    if shutil.which("identify"):
        identified = subprocess.run(["identify", "-format", "%m %w %h", path],
                                    capture_output=True, text=True, check=False)
        if identified.stdout.strip() != f"JPEG {size[0]} {size[1]}":
            fail(f"{what}: identify reads {identified.stdout!r} {identified.stderr!r}")
    ok(f"{what}: {size[0]}x{size[1]} JPEG, mode 0600")


write_config("v4l2src device=/dev/linli-no-such-camera")

out = os.path.join(work, "smpte.jpg")
expect_jpeg(diag("--source", "videotestsrc pattern=smpte ! video/x-raw,width=1920,height=1080",
                 "-o", out), out, (1920, 1080), "videotestsrc 1920x1080")

page = os.path.join(work, "page.png")
write_png(page, 1654, 1170)
out = os.path.join(work, "page.jpg")
expect_jpeg(diag("--source", f'filesrc location="{page}" ! pngdec ! imagefreeze', "-o", out),
            out, (1654, 1170), "a PNG page through imagefreeze")

# Without --source: the configured camera.
write_config("videotestsrc pattern=ball ! video/x-raw,width=800,height=600")
out = os.path.join(work, "configured.jpg")
expect_jpeg(diag("-o", out), out, (800, 600), "the configured camera-source")

write_config("v4l2src device=/dev/linli-no-such-camera")
out = os.path.join(work, "absent.jpg")
run = diag("-o", out)
if run.returncode != 1 or "camera not found" not in run.stderr or os.path.exists(out):
    fail(f"absent camera: rc {run.returncode} {run.stderr!r}")
ok(f"a camera that is not there: exit 1, {run.stderr.strip()}")

run = diag("--source", "videotestsrc ! nosuchelement", "-o", out)
if run.returncode != 1 or "bad camera-source" not in run.stderr or os.path.exists(out):
    fail(f"bad source: rc {run.returncode} {run.stderr!r}")
ok("a source that is no pipeline: exit 1, bad camera-source")

run = diag("--source", "audiotestsrc", "-o", out)
if run.returncode != 1 or "raw video" not in run.stderr or os.path.exists(out):
    fail(f"audio source: rc {run.returncode} {run.stderr!r}")
ok("a source that is not video: exit 1")

# --document: a page of text turned by 7 degrees on a dark desk, as a
# document camera sees it (ImageMagick draws it); the page comes out
# cropped and straightened (devices/linli-document.c measures the skew).
convert = shutil.which("convert")
if convert is None:
    if os.environ.get("CI"):
        fail("convert (imagemagick) is not installed")
    print("# convert not installed: --document not checked")
else:
    page = os.path.join(work, "tilted-page.png")
    lines = [f"第{n}行 示例县社区服务中心 household register page {n}" for n in range(1, 25)]
    draw = subprocess.run(
        [convert, "-size", "1200x1650", "xc:white", "-fill", "black", "-font", "Noto-Sans-CJK-SC",
         "-pointsize", "34", "-annotate", "+80+120", "\n".join(lines),
         "-background", "#1e1e1e", "-rotate", "7", "-gravity", "center", "-extent", "2592x1944",
         page], capture_output=True, text=True, check=False)
    if draw.returncode != 0:
        fail(f"convert: {draw.stderr}")
    doc_out = os.path.join(work, "document.jpg")
    run = diag("--document", "--source", f"filesrc location={page} ! pngdec ! imagefreeze",
               "-o", doc_out)
    if run.returncode != 0:
        fail(f"--document: rc {run.returncode} {run.stderr!r}")
    width, height = jpeg_size(doc_out)
    if not (900 <= width <= 1500 and 1300 <= height <= 2000):
        fail(f"--document: the page is {width}x{height}, not cropped to the paper")
    skew = [line for line in run.stdout.splitlines() if line.startswith("document page:")]
    if not skew or "skew" not in skew[0]:
        fail(f"--document: no report: {run.stdout!r}")
    angle = abs(float(skew[0].split("skew ")[1].split("°")[0]))
    if not 5.5 <= angle <= 8.5:
        fail(f"--document: found a skew of {angle}°, the page was turned by 7°")
    ok(f"--document: a page turned by 7° on a dark desk comes out {width}x{height}, "
       f"straightened by {angle:.1f}°")

for args, why in ((["--source", "videotestsrc"], "no -o"),
                  (["-o", out, "extra"], "an extra argument"),
                  (["--nonsense", "-o", out], "an unknown option")):
    run = diag(*args)
    if run.returncode != 2 or "Usage:" not in run.stderr:
        fail(f"{why}: rc {run.returncode} {run.stderr!r}")
    ok(f"usage error ({why}): exit 2")

shutil.rmtree(work)
print(f"1..{steps}")
