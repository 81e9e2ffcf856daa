#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""test-usb-inventory-diag.py LINLI_DIAG UMOCKDEV_FILE: linli-diag usb
against the devices umockdev-run describes (tests/data/umockdev/
usb-inventory.umockdev: a root hub, an ID reader 0400:c35a at 001-002, a
printer 0fe6:811e at 001-003, an external hub 05e3:0608 at 001-004 and an
unknown device ffff:1234 at 001-005; none with strings).

Exits 77 when umockdev-run is missing, unless CI is set. Prints TAP.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

DIAG = sys.argv[1] if len(sys.argv) > 1 else ""
DEVICES = sys.argv[2] if len(sys.argv) > 2 else ""
UMOCKDEV_RUN = shutil.which("umockdev-run")

results = []


def check(name, ok, why=""):
    results.append(ok)
    print(("ok" if ok else "not ok"), len(results), "-", name)
    if not ok and why:
        for line in str(why).splitlines():
            print("#", line)


def run(config_text, *args, devices=True):
    """linli-diag --config FILE usb ARGS, under umockdev-run with the
    description unless @devices is false. Returns (status, stdout, stderr)."""
    with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as conf:
        conf.write(config_text)
    try:
        command = [DIAG, "--config", conf.name, *args]
        if devices:
            command = [UMOCKDEV_RUN, "-d", DEVICES, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60,
                              env={**os.environ, "LANG": "C.UTF-8"})
        return done.returncode, done.stdout, done.stderr
    finally:
        os.unlink(conf.name)


def run_json(config_text):
    status, out, err = run(config_text, "usb", "--json")
    try:
        return status, json.loads(out), err
    except ValueError:
        return status, None, f"not JSON: {out!r} {err!r}"


def ids(devices):
    return [(d["id"], d["bus"], d["address"]) for d in devices]


def main():
    if not (DIAG and os.access(DIAG, os.X_OK) and os.path.exists(DEVICES)):
        print("usage: test-usb-inventory-diag.py LINLI_DIAG UMOCKDEV_FILE", file=sys.stderr)
        return 1
    if UMOCKDEV_RUN is None:
        print("1..0 # SKIP umockdev-run not installed")
        return 1 if os.environ.get("CI") else 77

    # (a) every configured role present; the printer by its second id.
    status, report, err = run_json("[usb]\nid-reader=0400:c35a\nprinter=1234:5678;0FE6:811E\n")
    check("all present: exit 0", status == 0, err)
    roles = report["roles"] if report else []
    check("all present: two roles, in order",
          [r["role"] for r in roles] == ["id-reader", "printer"], report)
    check("all present: both present",
          report is not None and report["all-present"] is True
          and [r["state"] for r in roles] == ["present", "present"], report)
    check("all present: where they are",
          [ids(r["devices"]) for r in roles]
          == [[("0400:c35a", 1, 2)], [("0fe6:811e", 1, 3)]], roles)
    check("all present: expected ids normalised",
          [r["expected"] for r in roles] == [["0400:c35a"], ["1234:5678", "0fe6:811e"]], roles)
    check("no strings: manufacturer and product null",
          all(d["manufacturer"] is None and d["product"] is None
              for r in roles for d in r["devices"]), roles)
    # (c) the unknown device is unexpected; hubs (root and external) are not listed.
    check("unexpected: the unknown device only, hubs left out",
          report is not None and ids(report["unexpected"]) == [("ffff:1234", 1, 5)], report)
    check("no problem reported", report is not None and report["problem"] is None, report)

    # (b) a configured camera missing.
    status, report, err = run_json("[usb]\nid-reader=0400:c35a\ncamera=046d:0825;046d:082d\n")
    check("camera missing: exit 1", status == 1, err)
    camera = [r for r in (report or {}).get("roles", []) if r["role"] == "camera"]
    check("camera missing: absent, no devices, both ids expected",
          len(camera) == 1 and camera[0]["state"] == "absent" and camera[0]["devices"] == []
          and camera[0]["expected"] == ["046d:0825", "046d:082d"], report)
    check("camera missing: the printer is now unexpected",
          report is not None
          and ids(report["unexpected"]) == [("0fe6:811e", 1, 3), ("ffff:1234", 1, 5)], report)

    # Nothing configured: nothing can be missing.
    status, report, err = run_json("[kiosk]\nid=LL-TEST\n")
    check("nothing configured: exit 0, no roles, three unexpected",
          status == 0 and report is not None and report["roles"] == []
          and len(report["unexpected"]) == 3, (status, report, err))

    # The table a maintainer reads.
    status, out, err = run("[usb]\nid-reader=0400:c35a\nkeypad=04d9:1203\n", "usb")
    lines = out.splitlines()
    check("table: exit 1 (keypad absent)", status == 1, err)
    check("table: header and four lines", len(lines) == 5 and lines[0].startswith("ROLE"), out)
    check("table: reader present at 001-002",
          any(l.split()[:4] == ["id-reader", "0400:c35a", "present", "001-002"] for l in lines),
          out)
    check("table: keypad absent with its expected id",
          any(l.split() == ["keypad", "04d9:1203", "absent", "-", "expected", "04d9:1203"]
              for l in lines), out)
    check("table: the unknown device",
          any(l.split() == ["-", "ffff:1234", "unexpected", "001-005"] for l in lines), out)

    # A bad id is a configuration problem: reported, the role left out.
    status, out, err = run("[usb]\nid-reader=0400:c35a\nkeypad=04d9\n", "config",
                           devices=False)
    check("config: a bad id is a problem naming the key",
          status == 1 and "[usb] keypad" in err and "04d9" in err, err)
    status, report, err = run_json("[usb]\nid-reader=0400:c35a\nkeypad=04d9\n")
    check("bad id: the role is not expected, the rest works",
          status == 0 and report is not None
          and [r["role"] for r in report["roles"]] == ["id-reader"], (status, report, err))

    # Outside umockdev, the machine's own bus (none on the build machines):
    # a test-only id is absent wherever this runs.
    status, out, err = run("[usb]\nid-reader=ffff:fffe\n", "usb", "--json", devices=False)
    try:
        bare = json.loads(out)
    except ValueError:
        bare = None
    check("no USB devices: exit 1, reader absent",
          status == 1 and bare is not None and bare["roles"][0]["state"] == "absent"
          and bare["all-present"] is False, (status, out, err))

    # Usage errors.
    status, out, err = run("", "usb", "--bogus", devices=False)
    check("unknown option: exit 2", status == 2, err)
    status, out, err = run("", "usb", "extra", devices=False)
    check("extra argument: exit 2", status == 2, err)

    print(f"1..{len(results)}")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
