#!/usr/bin/python3
"""ga467-sim.py: a simulated GA/T 467 resident-ID reader on a pseudo-terminal.

It speaks the real frame protocol (docs/ga467.md, PROTOCOLS.md §1) on the
master side of a pty; the program under test opens the slave side like any
serial port. The cards are fictitious people with valid check digits.

    ga467-sim.py [--link PATH] [--card KIND] [--place-after S]
                 [--lift-after-reads N] [--fault FAULT] [--control FIFO]

Prints "PTY <slave path>" on stdout once the pty is ready (and, with
--link, first points PATH at it, atomically, so a restarted simulator can
take the place of a killed one: a replugged reader).

Cards (--card, and "place KIND" on the control FIFO):
  resident   resident ID card, male, 10-year validity
  elder      resident ID card, female, X check digit, long-term validity
  foreign    foreigner's permanent residence card (2017, flag 'I')
  hkmt       Hong Kong/Macao/Taiwan residence permit (flag 'J')
  unknown    a text block with a flag no card type uses
  none       no card on the reader (the default)

Faults (--fault, and "fault FAULT" on the control FIFO; "fault none"):
  checksum        the read-base-message answer has a wrong checksum
  length          its length field is absurd (0xFFF0)
  short-length    a well-formed frame whose text/photo lengths do not add up
  status:XX       read base message answers with SW3 = XX (hex, e.g. 41)
  find-status:XX  find card answers with SW3 = XX (e.g. 60: SAM self-test)
  truncate        half of the read answer, then the card is lifted
  silence         no answer to anything (a dead reader)
  silence-read    no answer to read base message only
  garbage         noise (with partial preambles) before every answer
  split           every answer in 7-byte pieces, 2 ms apart

Control FIFO lines: "place KIND", "lift", "fault FAULT", "quit".
"""

import argparse
import os
import random
import select
import signal
import struct
import sys
import time
import tty

PREAMBLE = b"\xAA\xAA\xAA\x96\x69"
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def id_number(first17):
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS))
    return first17 + CHECK[total % 11]


def field(text, size):
    data = text.encode("utf-16-le")
    if len(data) > size:
        raise ValueError("field too long")
    return data + " ".encode("utf-16-le") * ((size - len(data)) // 2)


def resident_block(name, gender, nation, birth, address, number, issuer, valid_from, valid_to):
    block = (field(name, 30) + field(gender, 2) + field(nation, 4) + field(birth, 16)
             + field(address, 70) + field(number, 36) + field(issuer, 30)
             + field(valid_from, 16) + field(valid_to, 16) + field("", 36))
    assert len(block) == 256
    return block


# Fictitious people; the numbers have valid check digits and match the
# birth dates. Keep in step with tests/devices/test-ga467-serial.py.
CARDS = {
    "resident": resident_block("王小明", "1", "01", "19900307", "北京市东城区示例街道1号院2号楼3单元",
                               id_number("11010119900307123"), "北京市公安局东城分局",
                               "20150601", "20350601"),
    "elder": resident_block("李秀英", "2", "03", "19491231", "北京市朝阳区样板路10号",
                            "11010519491231002X", "北京市公安局朝阳分局", "20100101", "长期"),
    "foreign": (field("SMITH JOHN", 120) + field("1", 2) + field("USA110900312017", 30)
                + field("USA", 6) + field("约翰史密斯", 30) + field("20200101", 16)
                + field("20300101", 16) + field("19900312", 16) + field("20", 4)
                + field("1500", 8) + field("I", 2) + field("", 6)),
    "hkmt": (field("陈大文", 30) + field("1", 2) + field("", 4) + field("19850612", 16)
             + field("广东省深圳市福田区示例路8号", 70) + field(id_number("81000019850612005"), 36)
             + field("深圳市公安局", 30) + field("20190101", 16) + field("20290101", 16)
             + field("H12345678", 18) + field("01", 4) + field("", 6) + field("J", 2)
             + field("", 6)),
    "unknown": field("某某", 30) + field("", 218) + field("Q", 2) + field("", 6),
}
for _kind, _block in CARDS.items():
    assert len(_block) == 256, _kind

# Not a real WLT image (that needs a proprietary decoder): 1024 bytes that
# look like one to the protocol.
PHOTO = b"WLT\x00" + bytes((i * 7 + 3) & 0xFF for i in range(1020))
SAM_ID = struct.pack("<HHIII", 5, 1, 20101231, 12345678, 1234567890)
CARD_SERIAL = b"\x00\x00\x00\x00\x00\x00\x00\x00"


def frame(body):
    length = len(body) + 1
    head = bytes([length >> 8, length & 0xFF])
    check = 0
    for b in head + body:
        check ^= b
    return PREAMBLE + head + body + bytes([check])


def response(sw3, data=b""):
    return frame(bytes([0, 0, sw3]) + data)


class Reader:
    def __init__(self, args):
        self.card = args.card if args.card != "none" else None
        self.place_at = None
        if args.place_after is not None:
            self.place_at = time.monotonic() + args.place_after
            self.pending_card = self.card or "resident"
            self.card = None
        self.lift_after = args.lift_after_reads
        self.reads = 0
        self.fault = args.fault or "none"
        self.verbose = args.verbose
        self.inbuf = bytearray()

    def log(self, text):
        if self.verbose:
            print("ga467-sim: " + text, file=sys.stderr, flush=True)

    def tick(self):
        if self.place_at is not None and time.monotonic() >= self.place_at:
            self.place_at = None
            self.place(self.pending_card)

    def place(self, kind):
        if kind not in CARDS:
            self.log("unknown card " + kind)
            return
        self.card = kind
        self.reads = 0
        self.log("card placed: " + kind)

    def lift(self):
        self.card = None
        self.log("card lifted")

    def status_fault(self, prefix):
        if self.fault.startswith(prefix):
            return int(self.fault[len(prefix):], 16)
        return None

    def answer(self, cmd, para):
        """The bytes to send for one command, or None for silence."""
        if self.fault == "silence":
            return None
        if (cmd, para) == (0x10, 0xFF) or (cmd, para) == (0x11, 0xFF):
            return response(0x90)
        if (cmd, para) == (0x12, 0xFF):
            return response(0x90, SAM_ID)
        if (cmd, para) == (0x20, 0x01):
            sw3 = self.status_fault("find-status:")
            if sw3 is not None:
                return response(sw3)
            return response(0x9F, b"\x00\x00\x00\x00") if self.card else response(0x80)
        if (cmd, para) == (0x20, 0x02):
            return response(0x90, CARD_SERIAL) if self.card else response(0x81)
        if (cmd, para) == (0x30, 0x03):
            return response(0x91) if self.card else response(0x41)
        if (cmd, para) in ((0x30, 0x01), (0x30, 0x10)):
            return self.read_base(para == 0x10)
        return response(0x21)

    def read_base(self, with_fingerprint):
        if not self.card:
            return response(0x41)
        if self.fault == "silence-read":
            return None
        sw3 = self.status_fault("status:")
        if sw3 is not None:
            return response(sw3)
        text = CARDS[self.card]
        if with_fingerprint:
            fingerprint = bytes(1024)
            data = struct.pack(">HHH", len(text), len(PHOTO), len(fingerprint)) + text + PHOTO \
                + fingerprint
        else:
            data = struct.pack(">HH", len(text), len(PHOTO)) + text + PHOTO
        if self.fault == "short-length":
            data = struct.pack(">HH", len(text), len(PHOTO) - 100) + text + PHOTO
        out = response(0x90, data)
        if self.fault == "checksum":
            out = out[:-1] + bytes([out[-1] ^ 0x5A])
        elif self.fault == "length":
            out = out[:5] + b"\xFF\xF0" + out[7:]
        elif self.fault == "truncate":
            self.lift()
            return out[:len(out) // 2]
        self.reads += 1
        if self.lift_after is not None and self.reads >= self.lift_after:
            self.lift()
        return out

    def feed(self, data):
        """Parses command frames; returns a list of (cmd, para) or status
        replies for broken frames."""
        self.inbuf += data
        out = []
        while True:
            start = self.inbuf.find(PREAMBLE)
            if start < 0:
                del self.inbuf[:max(0, len(self.inbuf) - 4)]
                return out
            del self.inbuf[:start]
            if len(self.inbuf) < 7:
                return out
            length = self.inbuf[5] << 8 | self.inbuf[6]
            if length < 3 or length > 64:
                del self.inbuf[:5]
                out.append(("reply", response(0x11)))
                continue
            if len(self.inbuf) < 7 + length:
                return out
            body = bytes(self.inbuf[5:7 + length])
            del self.inbuf[:7 + length]
            check = 0
            for b in body:
                check ^= b
            if check != 0:
                out.append(("reply", response(0x10)))
                continue
            out.append(("command", (body[2], body[3])))


def garbage():
    return b"\x00\x13\xAA\xAA\x96\x55\xAA\xAA\xAA\x96\x00" + bytes(random.randrange(256) & 0x7F
                                                                  for _ in range(5))


def send(master, reader, data):
    if reader.fault == "garbage":
        data = garbage() + data
    if reader.fault == "split":
        for i in range(0, len(data), 7):
            os.write(master, data[i:i + 7])
            time.sleep(0.002)
        return
    view = memoryview(data)
    while view:
        try:
            n = os.write(master, view)
        except BlockingIOError:
            select.select([], [master], [], 1.0)
            continue
        view = view[n:]


def make_link(link, target):
    tmp = link + ".tmp%d" % os.getpid()
    os.symlink(target, tmp)
    os.replace(tmp, link)


def handle_control(line, reader):
    words = line.split()
    if not words:
        return True
    reader.log("control: " + line)
    if words[0] == "place" and len(words) == 2:
        reader.place(words[1])
    elif words[0] == "lift":
        reader.lift()
    elif words[0] == "fault" and len(words) == 2:
        reader.fault = words[1]
    elif words[0] == "quit":
        return False
    return True


def main():
    parser = argparse.ArgumentParser(description="Simulated GA/T 467 reader on a pty.")
    parser.add_argument("--link", help="symlink to the pty's slave side")
    parser.add_argument("--card", default="none", choices=sorted(CARDS) + ["none"])
    parser.add_argument("--place-after", type=float, help="place --card after S seconds")
    parser.add_argument("--lift-after-reads", type=int, help="lift the card after N reads")
    parser.add_argument("--fault", help="see the module's doc")
    parser.add_argument("--control", help="a FIFO to read commands from (created if missing)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()

    master, slave = os.openpty()
    # Raw from the start: until the program under test sets its termios,
    # echo or CR/LF translation would corrupt frames.
    tty.setraw(slave)
    os.set_blocking(master, False)
    slave_path = os.ttyname(slave)
    # The slave stays open here so the master never sees EIO between two
    # users of the port (the kiosk closing, linli-diag opening).

    control = None
    if args.control:
        if not os.path.exists(args.control):
            os.mkfifo(args.control)
        # O_RDWR: the FIFO never reaches end-of-file between two writers.
        control = os.open(args.control, os.O_RDWR | os.O_NONBLOCK)

    if args.link:
        make_link(args.link, slave_path)
    print("PTY " + slave_path, flush=True)

    running = [True]

    def stop(signum, frame_):
        running[0] = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    reader = Reader(args)
    control_buf = b""
    while running[0]:
        fds = [master] + ([control] if control is not None else [])
        try:
            ready, _, _ = select.select(fds, [], [], 0.02)
        except InterruptedError:
            continue
        reader.tick()
        if control is not None and control in ready:
            try:
                control_buf += os.read(control, 4096)
            except BlockingIOError:
                pass
            while b"\n" in control_buf:
                line, control_buf = control_buf.split(b"\n", 1)
                if not handle_control(line.decode(), reader):
                    running[0] = False
        if master in ready:
            try:
                data = os.read(master, 4096)
            except (BlockingIOError, OSError):
                continue
            for kind, value in reader.feed(data):
                if kind == "reply":
                    if reader.fault != "silence":
                        send(master, reader, value)
                    continue
                out = reader.answer(*value)
                reader.log("command %02X %02X -> %s" % (value[0], value[1],
                                                       "silence" if out is None else
                                                       "%d bytes" % len(out)))
                if out is not None:
                    send(master, reader, out)

    if args.link:
        try:
            if os.readlink(args.link) == slave_path:
                os.unlink(args.link)
        except OSError:
            pass
    os.close(master)
    os.close(slave)


if __name__ == "__main__":
    main()
