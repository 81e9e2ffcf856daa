#!/usr/bin/python3
"""test-ga467-serial.py: linli-diag read-id against the simulated GA/T 467
reader (tests/rigs/ga467-sim.py) on a real pseudo-terminal.

    test-ga467-serial.py LINLI_DIAG GA467_SIM

Every card type with every JSON key; faulty frames and statuses give exit
1 and a clear message; no card within the time-out gives exit 1; bad usage
gives exit 2. Prints TAP.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

DIAG, SIM = sys.argv[1], sys.argv[2]
PYTHON = "/usr/bin/python3"
KEYS = {"card_type", "name", "gender", "nation_code", "nation", "birth_date", "address",
        "id_number", "issuer", "valid_from", "valid_to", "expired", "id_number_valid", "source"}

# What ga467-sim.py's fictitious cards say.
EXPECTED = {
    "resident": {
        "card_type": "resident_id", "name": "王小明", "gender": "male", "nation_code": "01",
        "nation": "汉", "birth_date": "1990-03-07", "address": "北京市东城区示例街道1号院2号楼3单元",
        "id_number": "110101199003071233", "issuer": "北京市公安局东城分局",
        "valid_from": "2015-06-01", "valid_to": "2035-06-01", "expired": False,
        "id_number_valid": True,
    },
    "elder": {
        "card_type": "resident_id", "name": "李秀英", "gender": "female", "nation_code": "03",
        "nation": "回", "birth_date": "1949-12-31", "address": "北京市朝阳区样板路10号",
        "id_number": "11010519491231002X", "issuer": "北京市公安局朝阳分局",
        "valid_from": "2010-01-01", "valid_to": "long-term", "expired": False,
        "id_number_valid": True,
    },
    "foreign": {
        "card_type": "foreign_permanent_resident", "name": "约翰史密斯", "gender": "male",
        "nation_code": None, "nation": None, "birth_date": "1990-03-12", "address": None,
        "id_number": "USA110900312017", "valid_from": "2020-01-01", "valid_to": "2030-01-01",
        "expired": False,
        # issuer (an authority code) and id_number_valid: the decoder's call,
        # checked for type only.
    },
    "hkmt": {
        "card_type": "hk_macao_taiwan_resident", "name": "陈大文", "gender": "male",
        "nation_code": None, "nation": None, "birth_date": "1985-06-12",
        "address": "广东省深圳市福田区示例路8号", "id_number": "810000198506120059",
        "issuer": "深圳市公安局", "valid_from": "2019-01-01", "valid_to": "2029-01-01",
        "expired": False, "id_number_valid": True,
    },
}

results = []


def check(name, ok, detail=""):
    results.append((name, bool(ok), detail))


class Sim:
    def __init__(self, workdir, *args):
        self.link = os.path.join(workdir, "ttyGA467")
        self.process = subprocess.Popen([PYTHON, SIM, "--link", self.link] + list(args),
                                        stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("PTY "):
            raise RuntimeError("the simulator did not start: %r" % line)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process.stdout.close()


def diag(*args, timeout=30):
    started = time.monotonic()
    proc = subprocess.run([DIAG] + list(args), capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ, LANG="C.UTF-8"))
    return proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started


def main():
    if not os.access(PYTHON, os.X_OK):
        print("1..0 # SKIP " + PYTHON + " not installed")
        return 77
    workdir = tempfile.mkdtemp(prefix="linli-ga467-")
    try:
        run(workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print("1..%d" % len(results))
    failed = 0
    for i, (name, ok, detail) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        if detail:
            for line in str(detail).splitlines():
                print("# " + line)
        failed += not ok
    return 1 if failed else 0


def run(workdir):
    # Every card type, every key.
    for card, expected in EXPECTED.items():
        with Sim(workdir, "--card", card) as sim:
            code, out, err, _ = diag("read-id", "--device", sim.link, "--json", "--timeout", "3")
        check("%s: exit 0" % card, code == 0, err)
        try:
            got = json.loads(out)
        except ValueError:
            check("%s: JSON" % card, False, out)
            continue
        check("%s: exactly the keys" % card, set(got) == KEYS, sorted(got))
        for key, value in expected.items():
            check("%s: %s" % (card, key), got.get(key) == value,
                  "%r != %r" % (got.get(key), value))
        check("%s: source" % card, got.get("source") == "ga467 serial " + sim.link,
              got.get("source"))
        for key in ("expired", "id_number_valid"):
            check("%s: %s is a bool" % (card, key), isinstance(got.get(key), bool), got.get(key))
        check("%s: nothing personal on stderr" % card, expected["name"] not in err, err)

    # Text output.
    with Sim(workdir, "--card", "resident") as sim:
        code, out, err, _ = diag("read-id", "--device", sim.link, "--timeout", "3")
    check("text: exit 0", code == 0, err)
    check("text: name line", "name: 王小明" in out, out)
    check("text: id_number line", "id_number: 110101199003071233" in out, out)

    # Noise the parser must see through.
    for fault in ("garbage", "split"):
        with Sim(workdir, "--card", "hkmt", "--fault", fault) as sim:
            code, out, err, _ = diag("read-id", "--device", sim.link, "--json", "--timeout", "3")
        check("%s: still read" % fault, code == 0 and json.loads(out)["name"] == "陈大文", err)

    # Faulty frames and statuses: exit 1, a clear message, no identity.
    faults = {
        "checksum": "bad checksum",
        "length": "declares a length of 65520 bytes",
        "short-length": "base message announces",
        "status:41": "reading the card failed",
        "status:40": "does not know this type of card",
        "status:31": "card-to-SAM authentication failed",
        "find-status:60": "SAM module failed its self-test",
        "truncate": "answer stopped after",
        "silence": "no answer from the reader",
        "silence-read": "no answer from the reader",
    }
    for fault, message in faults.items():
        with Sim(workdir, "--card", "resident", "--fault", fault) as sim:
            code, out, err, elapsed = diag("read-id", "--device", sim.link, "--json",
                                           "--timeout", "3")
        check("%s: exit 1" % fault, code == 1, "exit %d" % code)
        check("%s: message" % fault, message in err, err)
        check("%s: nothing on stdout" % fault, out == "", out)
        check("%s: within the time-outs" % fault, elapsed < 5, "%.1f s" % elapsed)

    with Sim(workdir, "--card", "unknown") as sim:
        code, out, err, _ = diag("read-id", "--device", sim.link, "--json", "--timeout", "3")
    check("unknown card: exit 1", code == 1 and out == "", err)
    check("unknown card: message", "card" in err.lower(), err)

    # No card: the time-out, then exit 1.
    with Sim(workdir) as sim:
        code, out, err, elapsed = diag("read-id", "--device", sim.link, "--timeout", "1")
    check("no card: exit 1", code == 1, "exit %d" % code)
    check("no card: message", "no card was placed on the reader within 1 s" in err, err)
    check("no card: about a second", 0.9 < elapsed < 3, "%.2f s" % elapsed)

    # A card placed while waiting.
    with Sim(workdir, "--card", "foreign", "--place-after", "1") as sim:
        code, out, err, elapsed = diag("read-id", "--device", sim.link, "--json", "--timeout", "5")
    check("placed later: read", code == 0 and json.loads(out)["card_type"] ==
          "foreign_permanent_resident", err)
    check("placed later: waited", 0.9 < elapsed < 4, "%.2f s" % elapsed)

    # The configured reader when no --device is given.
    config = os.path.join(workdir, "kiosk.conf")
    with Sim(workdir, "--card", "elder") as sim:
        with open(config, "w") as f:
            f.write("[devices]\nid-reader-serial = %s\n" % sim.link)
        code, out, err, _ = diag("--config", config, "read-id", "--json", "--timeout", "3")
    check("configured reader: read", code == 0 and json.loads(out)["valid_to"] == "long-term", err)

    # A reader that is not there.
    code, out, err, _ = diag("read-id", "--device", os.path.join(workdir, "nothing"))
    check("missing reader: exit 1", code == 1, "exit %d" % code)
    check("missing reader: message", "no such device" in err, err)

    # Usage: exit 2.
    empty = os.path.join(workdir, "empty.conf")
    with open(empty, "w") as f:
        f.write("")
    for args, message in (
        (["read-id", "--device", "/dev/x", "--usb", "0400:c35a"], "exclude each other"),
        (["read-id", "--timeout", "-1", "--device", "/dev/x"], "--timeout must be"),
        (["read-id", "--device", "/dev/x", "extra"], "unexpected argument"),
        (["read-id", "--bogus"], "Unknown option"),
        (["--config", empty, "read-id"], "no reader"),
    ):
        code, out, err, _ = diag(*args)
        check("usage %s: exit 2" % " ".join(args[-2:]), code == 2, "exit %d: %s" % (code, err))
        check("usage %s: message" % " ".join(args[-2:]), message in err, err)


if __name__ == "__main__":
    sys.exit(main())
