#!/usr/bin/python3
"""test-diag.py LINLI_DIAG: the maintainer CLI, run as a maintainer would.

Run under tests/rigs/cupsd-rig.sh (for CUPS_SERVER and CUPS_RIG_QUEUE);
exits 77 without it. Prints TAP.
"""
import json
import os
import subprocess
import sys
import tempfile

DIAG = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("LINLI_DIAG", "")
QUEUE = os.environ.get("CUPS_RIG_QUEUE")
VERSION = os.environ.get("LINLI_EXPECTED_VERSION", "0.1.0")

results = []


def run(*args):
    """Runs linli-diag with ARGS; returns (status, stdout, stderr)."""
    done = subprocess.run([DIAG, *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "LANG": "C.UTF-8"})
    return done.returncode, done.stdout, done.stderr


def check(name, ok, why=""):
    results.append(ok)
    print(("ok" if ok else "not ok"), len(results), "-", name)
    if not ok and why:
        for line in str(why).splitlines():
            print("#", line)


def main():
    if not DIAG or not os.access(DIAG, os.X_OK):
        print("test-diag: give the path of linli-diag", file=sys.stderr)
        return 1
    if QUEUE is None or "CUPS_SERVER" not in os.environ:
        print("1..0 # SKIP run me under tests/rigs/cupsd-rig.sh run -- …")
        return 77

    tmp = tempfile.TemporaryDirectory(prefix="linli-diag-test-")
    good_conf = os.path.join(tmp.name, "good.conf")
    with open(good_conf, "w", encoding="utf-8") as f:
        f.write("[devices]\n"
                f"printer = {QUEUE}\n"
                "camera-source = videotestsrc\n")
    bad_conf = os.path.join(tmp.name, "bad.conf")
    with open(bad_conf, "w", encoding="utf-8") as f:
        f.write("[display]\ntext-size = 9\n")

    status, out, err = run("--version")
    check("--version exits 0", status == 0, err)
    check("--version prints the version", out == f"linli-diag {VERSION}\n", out)

    status, out, err = run()
    check("no command exits 2", status == 2, f"status {status}")
    check("no command prints usage", "Usage:" in err, err)

    status, out, err = run("frobnicate")
    check("unknown command exits 2", status == 2, f"status {status}")
    check("unknown command is named", "frobnicate" in err, err)

    status, out, err = run("--no-such-option", "devices")
    check("unknown option exits 2", status == 2, f"status {status}")

    status, out, err = run("config", "--json")
    check("--json with config exits 2", status == 2, f"status {status}")

    missing = os.path.join(tmp.name, "missing.conf")
    status, out, err = run("--config", missing, "devices")
    check("unreadable --config exits 1", status == 1, f"status {status}\n{err}")
    check("unreadable --config is named", missing in err, err)
    status, out, err = run("--config", tmp.name, "config")
    check("a directory as --config exits 1", status == 1, f"status {status}\n{err}")

    status, out, err = run("--config", good_conf, "devices", "--json")
    check("devices --json exits 0", status == 0, f"status {status}\n{err}")
    try:
        devices = {d["kind"]: d for d in json.loads(out)["devices"]}
    except (ValueError, KeyError, TypeError) as e:
        devices = {}
        check("devices --json prints JSON", False, f"{e}\n{out}")
    else:
        check("devices --json prints JSON", True)
    printer = devices.get("printer", {})
    check("the private queue is ready", printer.get("state") == "ready", printer)
    check("the printer is named after its queue",
          printer.get("name") == f"Printer ({QUEUE})", printer)
    camera = devices.get("camera", {})
    check("videotestsrc is ready", camera.get("state") == "ready", camera)
    check("no ID reader without a serial port", "id-reader" not in devices, devices)
    check("every device has the four fields",
          all(set(d) == {"kind", "name", "state", "detail"} for d in devices.values()), devices)
    check("the PC/SC reader is listed", "card-reader" in devices, devices)

    status, out, err = run("--config", good_conf, "devices")
    lines = out.splitlines()
    check("devices exits 0", status == 0, f"status {status}\n{err}")
    check("devices prints a table header",
          bool(lines) and lines[0].split() == ["KIND", "NAME", "STATE", "DETAIL"], out)
    check("devices prints one line per device", len(lines) == 1 + len(devices), out)

    status, out, err = run("--config", bad_conf, "config")
    check("config with a bad value exits 1", status == 1, f"status {status}")
    check("the bad key is named on stderr", "text-size" in err, err)
    check("the effective config is printed", "text-size=1" in out, out)

    status, out, err = run("--config", good_conf, "config")
    check("config with a good file exits 0", status == 0, f"status {status}\n{err}")
    check("config shows the configured queue", f"printer={QUEUE}" in out, out)

    tmp.cleanup()
    print(f"1..{len(results)}")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
