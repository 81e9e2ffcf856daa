#!/usr/bin/python3
"""test-pcsc-rig.py: linli-diag read-card against the real pcscd, vpcd and
the virtual social-security card (tests/rigs/vsscard.py), under
tests/rigs/pcscd-rig.sh (which exports PCSC_RIG_PORT, PCSC_RIG_READER and
VSSCARD).

  test-pcsc-rig.py LINLI_DIAG

Every fixture in tests/data/sscard/: the good ones give exactly the JSON
below, the broken ones exit 1 with the reason on stderr and nothing on
stdout. Also: --timeout 1 without a card, a card inserted while read-card
waits, a reader name that does not exist. TAP on stdout.
"""

import datetime
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "sscard")
# pcscd notices a card taken out within ~0.4 s (RIGS.md).
REMOVAL_SETTLE = 0.8
TODAY = datetime.date.today().isoformat()

GOOD = {
    "zhang-sanfeng": {
        "card_type": "social_security",
        "name": "张三丰",
        "gender": "male",
        "nation_code": "01",
        "nation": "汉",
        "birth_date": "1949-12-31",
        "address": None,
        "id_number": "11010519491231002X",
        "issuer": "110000000001",
        "valid_from": "2025-01-15",
        "valid_to": "2035-01-15",
        "id_number_valid": True,
    },
    "li-xiaomei": {
        "card_type": "social_security",
        "name": "李晓梅",
        "gender": "female",
        "nation_code": "03",
        "nation": "回",
        "birth_date": "1980-02-29",
        "address": None,
        "id_number": "370102198002290047",
        "issuer": "370100000003",
        "valid_from": "2018-03-01",
        "valid_to": "2028-03-01",
        "id_number_valid": True,
    },
    "ouyang-wenhua": {
        "card_type": "social_security",
        "name": "欧阳文华",
        "gender": "male",
        "nation_code": "08",
        "nation": "壮",
        "birth_date": "1992-08-14",
        "address": None,
        "id_number": "440306199208140537",
        "issuer": "440300000007",
        "valid_from": "2010-08-14",
        "valid_to": "2020-08-14",
        "id_number_valid": True,
    },
}

# Broken cards: what stderr must say.
BROKEN = {
    "no-application": "selecting the social-security application: the card answered 6A82",
    "status-error": "reading record 09 of EF06: the card answered 6581 (memory failure)",
    "truncated-record": "record 08 of EF06 truncated: its length says 18 bytes, 10 came",
    "wrong-tlv-length": "record 09 of EF06 has length 40; the field has 2 to 30 bytes",
    "bad-encoding": "name (record 09): a text field is not GBK",
    "bad-date": "birth date (record 0D): a date on the card does not exist",
    "disappears": "taken out during the read",
}

KEYS = [
    "card_type", "name", "gender", "nation_code", "nation", "birth_date", "address",
    "id_number", "issuer", "valid_from", "valid_to", "expired", "id_number_valid", "source",
]

results = []


def tap(ok, name, detail=""):
    results.append(ok)
    print("%s %d - %s" % ("ok" if ok else "not ok", len(results), name))
    if detail and not ok:
        for line in detail.splitlines():
            print("# " + line)
    sys.stdout.flush()


class VirtualCard:
    """One vsscard.py process; insert and remove on command."""

    def __init__(self):
        self.proc = subprocess.Popen(
            ["/usr/bin/python3", os.environ["VSSCARD"], "--port", os.environ["PCSC_RIG_PORT"]],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def command(self, line, expect):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        while True:
            event = self.proc.stdout.readline().strip()
            if not event:
                raise RuntimeError("vsscard.py ended")
            if event == expect:
                return
            if event.startswith("error"):
                raise RuntimeError(event)

    def insert(self, fixture):
        self.command("insert " + os.path.join(DATA, fixture + ".json"), "inserted")

    def remove(self):
        self.command("remove", "removed")
        time.sleep(REMOVAL_SETTLE)

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


def read_card(diag, *args, timeout=30):
    return subprocess.run([diag, "read-card", *args], capture_output=True, text=True,
                          timeout=timeout)


def main():
    diag = sys.argv[1]
    reader = os.environ["PCSC_RIG_READER"]
    card = VirtualCard()
    print("1..%d" % (len(GOOD) + len(BROKEN) + 4))

    try:
        for name, expected in GOOD.items():
            card.insert(name)
            # The card may still be on its way into pcscd: read-card waits.
            r = read_card(diag, "--json", "--timeout", "5", "--reader", reader)
            card.remove()
            want = dict(expected)
            want["expired"] = want["valid_to"] < TODAY
            want["source"] = "pcsc " + reader
            try:
                got = json.loads(r.stdout)
            except json.JSONDecodeError:
                got = None
            ok = (r.returncode == 0 and isinstance(got, dict) and list(got.keys()) == KEYS
                  and got == want)
            tap(ok, "read-card --json %s" % name,
                "exit %d\nstdout: %s\nstderr: %s\nwanted: %s" % (
                    r.returncode, r.stdout, r.stderr, json.dumps(want, ensure_ascii=False)))

        # Text output, no --reader: the first card in any reader.
        card.insert("zhang-sanfeng")
        r = read_card(diag, "--timeout", "5")
        card.remove()
        tap(r.returncode == 0 and "11010519491231002X" in r.stdout and r.stderr == "",
            "read-card (text, any reader)", "exit %d\n%s%s" % (r.returncode, r.stdout, r.stderr))

        for name, message in BROKEN.items():
            card.insert(name)
            r = read_card(diag, "--json", "--timeout", "5")
            card.remove()
            tap(r.returncode == 1 and r.stdout == "" and message in r.stderr
                and r.stderr.startswith("linli-diag: "),
                "broken card %s: exit 1 and a clear message" % name,
                "exit %d\nstdout: %s\nstderr: %s\nwanted in stderr: %s" % (
                    r.returncode, r.stdout, r.stderr, message))

        start = time.monotonic()
        r = read_card(diag, "--timeout", "1")
        elapsed = time.monotonic() - start
        tap(r.returncode == 1 and "no card inserted within 1.0 s" in r.stderr and elapsed < 3,
            "--timeout 1 without a card: exit 1 after %.2f s" % elapsed, r.stderr)

        r = read_card(diag, "--timeout", "1", "--reader", "Linli No Such Reader")
        tap(r.returncode == 1 and "no PC/SC reader named “Linli No Such Reader”" in r.stderr,
            "a reader that does not exist", r.stderr)

        # Inserted while read-card waits.
        proc = subprocess.Popen([diag, "read-card", "--json", "--timeout", "10"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.0)
        waiting = proc.poll() is None
        inserted_at = time.monotonic()
        card.insert("li-xiaomei")
        out, err = proc.communicate(timeout=15)
        latency = time.monotonic() - inserted_at
        card.remove()
        ok = (waiting and proc.returncode == 0
              and json.loads(out or "{}").get("id_number") == "370102198002290047")
        tap(ok, "card inserted while read-card waits (read %.0f ms after insertion)"
            % (latency * 1000), "exit %s\n%s%s" % (proc.returncode, out, err))
        print("# figure: card inserted -> read-card printed the identity: %.0f ms"
              % (latency * 1000))
    finally:
        card.close()

    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
