#!/usr/bin/python3
"""vsscard.py: a virtual social-security card for vsmartcard's vpcd.

The card is a TCP client of vpcd (the pcscd driver listens): connecting is
inserting the card, closing the socket is taking it out. Every message is a
2-byte big-endian length and a payload; a 1-byte payload is a control code
(00 power off, 01 power on, 02 reset, 04 get ATR), anything longer is a
command APDU whose reply is the response APDU (PROTOCOLS.md §4).

It answers the MOHRSS social-security card commands (PROTOCOLS.md §3):
SELECT the application by name, SELECT EF05/EF06, READ RECORD by tag, GET
RESPONSE, from a card image in a JSON fixture (tests/data/sscard/*.json).
A fixture may also break the card on purpose:

  "status":     {"select-app": "6A82", "select:EF06": "6283",
                 "read:EF06:09": "6581"}   answer that status word instead
  "raw":        {"EF06:09": "09 1E ..."}   answer these record bytes as-is
  "disappear-after": N                     drop the connection after N APDUs
  "get-response": true                     answer every record with 61xx and
                                           hand it out through GET RESPONSE
  "wrong-le-first": true                   answer the first read of each record
                                           with 6Cxx (ISO 7816: repeat with Le)

Usage:
  vsscard.py [--host H] [--port P] [--image FIXTURE.json] [--hold]

With --image the card is inserted at once. Commands on standard input, one
a line: "insert FIXTURE.json", "remove", "quit" (end of input: quit, unless
--hold). Events on standard output, one a line: "inserted", "removed"
(either way: by command, by a fixture's disappear-after, or by vpcd),
"error MESSAGE".

Trap: without TCP_QUICKACK set after every recv and send each APDU costs
~48 ms on loopback (delayed ACKs against vpcd's small writes); with it
0.1-0.2 ms. Python 3 standard library only.
"""

import argparse
import json
import os
import select
import socket
import struct
import sys
import time

# "sx1.sh." and 社会保障 in GBK: the DF name of the social-security application.
AID = bytes.fromhex("7378312E73682EC9E7BBE1B1A3D5CF")
# TS 3B, T0 80 (TD1 follows), TD1 80 (TD2 follows, T=0), TD2 01 (T=1), TCK.
DEFAULT_ATR = "3B 80 80 01 01"
CONNECT_TIMEOUT = 15.0  # seconds: vpcd listens only once pcscd has loaded it

SW_OK = b"\x90\x00"


def log(*args):
    print(*args, flush=True)


def quickack(sock):
    # Linux resets the quick-ACK mode after a while: set it again each time.
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
    except (AttributeError, OSError):
        pass


def encode_value(spec):
    """A record value from its fixture form: {"ascii": ...}, {"gbk": ...},
    {"bcd": "YYYYMMDD"}, {"hex": ...}; "pad": N pads with zero bytes."""
    if "ascii" in spec:
        value = spec["ascii"].encode("ascii")
    elif "gbk" in spec:
        value = spec["gbk"].encode("gbk")
    elif "bcd" in spec:
        value = bytes.fromhex(spec["bcd"])
    elif "hex" in spec:
        value = bytes.fromhex(spec["hex"].replace(" ", ""))
    else:
        raise ValueError("record value without ascii, gbk, bcd or hex: %r" % spec)
    pad = spec.get("pad", 0)
    if pad:
        value = value.ljust(pad, b"\x00")
    return value


class CardImage:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        self.atr = bytes.fromhex(doc.get("atr", DEFAULT_ATR).replace(" ", ""))
        self.records = {}  # (EF, tag) -> TLV bytes
        for ef, records in doc.get("records", {}).items():
            for tag, spec in records.items():
                value = encode_value(spec)
                tag_byte = int(tag, 16)
                length = spec.get("length", len(value))
                self.records[(ef.upper(), tag_byte)] = bytes([tag_byte, length]) + value
        for key, raw in doc.get("raw", {}).items():
            ef, tag = key.split(":")
            self.records[(ef.upper(), int(tag, 16))] = bytes.fromhex(raw.replace(" ", ""))
        self.status = {k: bytes.fromhex(v) for k, v in doc.get("status", {}).items()}
        self.disappear_after = doc.get("disappear-after")
        self.get_response = doc.get("get-response", False)
        self.wrong_le_first = doc.get("wrong-le-first", False)


class Card:
    """The card's state between power-on and power-off."""

    def __init__(self, image):
        self.image = image
        self.reset()

    def reset(self):
        self.app = False
        self.ef = None
        self.pending = b""
        self.corrected = set()

    def apdu(self, command):
        if len(command) < 4:
            return b"\x67\x00"
        cla, ins, p1, p2 = command[:4]
        body = command[4:]
        lc = 0
        data = b""
        le = None
        if len(body) == 1:
            le = body[0]
        elif len(body) > 1:
            lc = body[0]
            data = body[1 : 1 + lc]
            if len(data) != lc:
                return b"\x67\x00"
            if len(body) > 1 + lc:
                le = body[1 + lc]
        if cla != 0x00:
            return b"\x6E\x00"

        if ins == 0xA4:  # SELECT
            self.pending = b""
            if p1 == 0x04:
                sw = self.image.status.get("select-app")
                if sw:
                    return sw
                if data != AID:
                    return b"\x6A\x82"
                self.app = True
                self.ef = None
                if self.image.get_response:
                    # A short FCI, handed out through GET RESPONSE.
                    self.pending = bytes.fromhex("6F0884") + bytes([len(AID[:6])]) + AID[:6]
                    return bytes([0x61, len(self.pending)])
                return SW_OK
            if p1 == 0x02 and len(data) == 2:
                name = data.hex().upper()
                sw = self.image.status.get("select:" + name)
                if sw:
                    return sw
                if not self.app or name not in ("EF05", "EF06"):
                    return b"\x6A\x82"
                self.ef = name
                return SW_OK
            return b"\x6A\x86"

        if ins == 0xB2:  # READ RECORD
            if self.ef is None:
                return b"\x69\x86"
            if p2 != 0x00:
                return b"\x6A\x86"
            sw = self.image.status.get("read:%s:%02X" % (self.ef, p1))
            if sw:
                return sw
            record = self.image.records.get((self.ef, p1))
            if record is None:
                return b"\x6A\x83"
            key = (self.ef, p1)
            wanted = 256 if le in (None, 0) else le
            if self.image.wrong_le_first and key not in self.corrected:
                self.corrected.add(key)
                return bytes([0x6C, len(record) & 0xFF])
            if self.image.get_response:
                self.pending = record
                return bytes([0x61, len(record) & 0xFF])
            if wanted != 256 and wanted != len(record):
                return bytes([0x6C, len(record) & 0xFF])
            return record + SW_OK

        if ins == 0xC0:  # GET RESPONSE
            if not self.pending:
                return b"\x69\x85"
            n = (body[0] if len(body) == 1 else 0) or 256
            out, self.pending = self.pending[:n], self.pending[n:]
            if self.pending:
                return out + bytes([0x61, len(self.pending) & 0xFF])
            return out + SW_OK

        return b"\x6D\x00"


class Slot:
    """One connection to vpcd: one inserted card."""

    def __init__(self, host, port, image):
        self.card = Card(image)
        self.apdus = 0
        deadline = time.monotonic() + CONNECT_TIMEOUT
        while True:
            try:
                self.sock = socket.create_connection((host, port), timeout=2)
                break
            except OSError as e:
                if time.monotonic() > deadline:
                    raise OSError("cannot reach vpcd at %s:%d: %s" % (host, port, e))
                time.sleep(0.1)
        self.sock.settimeout(None)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        quickack(self.sock)
        self.buffer = b""

    def fileno(self):
        return self.sock.fileno()

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()

    def send(self, payload):
        self.sock.sendall(struct.pack(">H", len(payload)) + payload)
        quickack(self.sock)

    def readable(self):
        """Handles what vpcd sent; False when the card is gone."""
        try:
            chunk = self.sock.recv(4096)
        except OSError:
            return False
        quickack(self.sock)
        if not chunk:
            return False
        self.buffer += chunk
        while len(self.buffer) >= 2:
            (length,) = struct.unpack(">H", self.buffer[:2])
            if len(self.buffer) < 2 + length:
                break
            payload = self.buffer[2 : 2 + length]
            self.buffer = self.buffer[2 + length :]
            if not self.message(payload):
                return False
        return True

    def message(self, payload):
        if len(payload) == 1:
            code = payload[0]
            if code == 0x00:  # power off
                self.card.reset()
            elif code in (0x01, 0x02):  # power on, reset: no reply
                self.card.reset()
            elif code == 0x04:
                self.send(self.card.image.atr)
            return True
        self.apdus += 1
        limit = self.card.image.disappear_after
        if limit is not None and self.apdus > limit:
            return False  # pulled out mid-read: no answer, socket closed
        self.send(self.card.apdu(payload))
        return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("VPCD_PORT", "35963")))
    parser.add_argument("--image", help="insert this card image at once")
    parser.add_argument("--hold", action="store_true", help="keep running at end of input")
    args = parser.parse_args()

    slot = None

    def insert(path):
        nonlocal slot
        if slot is not None:
            slot.close()
            slot = None
            log("removed")
        try:
            slot = Slot(args.host, args.port, CardImage(path))
        except (OSError, ValueError, KeyError) as e:
            log("error %s" % e)
            return
        log("inserted")

    def remove():
        nonlocal slot
        if slot is not None:
            slot.close()
            slot = None
        log("removed")

    if args.image:
        insert(args.image)

    stdin_open = True
    while True:
        watched = []
        if stdin_open:
            watched.append(sys.stdin)
        if slot is not None:
            watched.append(slot)
        if not watched:
            if args.hold:
                time.sleep(3600)
                continue
            return 0
        ready, _, _ = select.select(watched, [], [])
        if slot is not None and slot in ready:
            if not slot.readable():
                slot.close()
                slot = None
                log("removed")
        if sys.stdin in ready:
            line = sys.stdin.readline()
            if not line:
                stdin_open = False
                if not args.hold:
                    if slot is not None:
                        slot.close()
                    return 0
                continue
            words = line.split(None, 1)
            if not words:
                continue
            if words[0] == "insert" and len(words) == 2:
                insert(words[1].strip())
            elif words[0] == "remove":
                remove()
            elif words[0] == "quit":
                if slot is not None:
                    slot.close()
                return 0
            else:
                log("error unknown command %r" % line.strip())


if __name__ == "__main__":
    sys.exit(main())
