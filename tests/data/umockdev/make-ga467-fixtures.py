#!/usr/bin/python3
"""Writes the umockdev fixtures of tests/devices/test-ga467-usb.c.

Run from anywhere: python3 tests/data/umockdev/make-ga467-fixtures.py
It rewrites, beside itself:

  ga467-bulk.umockdev  a root hub and two readers on bus 1:
                       001/002  0400:c35a  vendor class, two bulk OUT (0x02,
                                0x06) + two bulk IN (0x81, 0x85): the split
                                layout of PROTOCOLS.md §1 "Transport"
                       001/003  ffff:0468  TEST-ONLY id: one bulk pair
                                (0x01 out, 0x81 in)
                       001/005  ffff:0469  TEST-ONLY id: split layout
  ga467-hid.umockdev   001/004  ffff:0467  TEST-ONLY id: a HID-class
                                interface with interrupt 0x01 out, 0x81 in
  ga467-bulk.ioctl     for 001/002: find card (no card, 0x80), find card
                       (0x9F), select (0x90), read base message (the whole
                       1295-byte answer), read SAM id answered with a stall
  ga467-pair.ioctl     for 001/003: find card (0x9F), read base message,
                       select answered "device gone" (-ENODEV)
  ga467-hid.ioctl      for 001/004: find card (no card), find card (0x9F),
                       select (0x90), as padded 64-byte reports
  ga467-responder.ioctl for 001/005 (ffff:0469, TEST-ONLY id, split layout
                       like 0400:c35a): one answer per command, in any
                       order and as often as asked (umockdev looks for a
                       matching request anywhere in the script): SAM
                       reset/status/id, find (0x9F), select, read base
                       message; for a test of the whole reader

The resident in the text block is fictitious: the name is made up and the
ID number is GB 11643-1999's own example (11010519491231002X). The photo is
1024 dummy bytes, not WLT.

The ioctl lines are umockdev's USBDEVFS_REAPURBNDELAY records:
  RET TYPE ENDPOINT STATUS FLAGS BUFFER_LENGTH ACTUAL_LENGTH ERROR_COUNT HEX
TYPE 3 = bulk, 1 = interrupt; ENDPOINT in decimal (129 = 0x81); an indented
line is the device's answer to the request above it; an IN request must ask
for exactly BUFFER_LENGTH bytes (the transport asks for one packet, 64).
"""

import os

HERE = os.path.dirname(os.path.abspath(__file__))
PREAMBLE = bytes([0xAA, 0xAA, 0xAA, 0x96, 0x69])
PACKET = 64


def frame(body):
    """A frame around @body (command + parameter + data, or SW + data)."""
    length = len(body) + 1
    head = bytes([length >> 8, length & 0xFF])
    chk = 0
    for b in head + body:
        chk ^= b
    return PREAMBLE + head + body + bytes([chk])


def command(cmd, para):
    return frame(bytes([cmd, para]))


def answer(sw3, data=b""):
    return frame(bytes([0x00, 0x00, sw3]) + data)


def ucs2(text, size):
    raw = text.encode("utf-16-le")
    assert len(raw) <= size, text
    return raw + " ".encode("utf-16-le") * ((size - len(raw)) // 2)


def text_block():
    fields = [
        ("王小红", 30),               # name (fictitious)
        ("2", 2),                     # gender: female
        ("01", 4),                    # nation: 汉
        ("19491231", 16),             # birth date
        ("北京市朝阳区样例路1号院", 70),  # address (fictitious)
        ("11010519491231002X", 36),   # GB 11643-1999's example number
        ("北京市公安局朝阳分局", 30),    # issuing authority
        ("20200101", 16),             # valid from
        ("20400101", 16),             # valid to
        ("", 36),                     # reserved; flag at 248 is a space
    ]
    block = b"".join(ucs2(t, n) for t, n in fields)
    assert len(block) == 256
    return block


def photo():
    return bytes((i * 7 + 3) & 0xFF for i in range(1024))


FIND = command(0x20, 0x01)
SELECT = command(0x20, 0x02)
READ_BASE = command(0x30, 0x01)
SAM_ID = command(0x12, 0xFF)
NO_CARD = answer(0x80)
FOUND = answer(0x9F, bytes(4))
SELECTED = answer(0x90, bytes([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]))
BASE = answer(0x90, bytes([0x01, 0x00, 0x04, 0x00]) + text_block() + photo())
assert len(BASE) == 1295 and BASE[5:7] == bytes([0x05, 0x08])


def urb(kind, ep, data, status=0, buflen=None, indent=0):
    buflen = len(data) if buflen is None else buflen
    return "%sUSBDEVFS_REAPURBNDELAY 0 %d %d %d 0 %d %d 0 %s\n" % (
        " " * indent, kind, ep, status, buflen, len(data), data.hex().upper())


def chunks(data, size):
    return [data[i:i + size] for i in range(0, len(data), size)]


def bulk_split_exchange(request, reply, comment):
    out = "# %s\n" % comment
    out += urb(3, 0x02, request[:7])
    out += urb(3, 0x06, request[7:])
    out += urb(3, 0x81, reply[:7], buflen=PACKET, indent=1)
    for c in chunks(reply[7:], PACKET):
        out += urb(3, 0x85, c, buflen=PACKET, indent=1)
    return out


def bulk_pair_exchange(request, reply, comment):
    out = "# %s\n" % comment
    out += urb(3, 0x01, request)
    for c in chunks(reply, PACKET):
        out += urb(3, 0x81, c, buflen=PACKET, indent=1)
    return out


def hid_exchange(request, reply, comment):
    out = "# %s\n" % comment
    for c in chunks(request, PACKET):
        out += urb(1, 0x01, c.ljust(PACKET, b"\0"))
    for c in chunks(reply, PACKET):
        out += urb(1, 0x81, c.ljust(PACKET, b"\0"), indent=1)
    return out


CAPS = "USBDEVFS_GET_CAPABILITIES 0 0F000000\n"
HEADER = "# Generated by make-ga467-fixtures.py; fictitious resident.\n"


def write(name, text):
    with open(os.path.join(HERE, name), "w", encoding="utf-8") as f:
        f.write(text)


def split_script():
    s = HEADER + CAPS
    s += bulk_split_exchange(FIND, NO_CARD, "find card: no card (0x80)")
    s += bulk_split_exchange(FIND, FOUND, "find card: found (0x9F)")
    s += bulk_split_exchange(SELECT, SELECTED, "select card (0x90)")
    s += bulk_split_exchange(READ_BASE, BASE, "read base message: 1295 bytes")
    s += "# read SAM id: the IN endpoint stalls (-EPIPE)\n"
    s += urb(3, 0x02, SAM_ID[:7])
    s += urb(3, 0x06, SAM_ID[7:])
    s += urb(3, 0x81, b"", status=-32, buflen=PACKET, indent=1)
    return s


def pair_script():
    s = HEADER + CAPS
    s += bulk_pair_exchange(FIND, FOUND, "find card: found (0x9F)")
    s += bulk_pair_exchange(READ_BASE, BASE, "read base message: 1295 bytes")
    s += "# select card: the reader is pulled out (-ENODEV)\n"
    s += urb(3, 0x01, SELECT)
    s += urb(3, 0x81, b"", status=-19, buflen=PACKET, indent=1)
    return s


def responder_script():
    sam_id = bytes([0x05, 0x00, 0x01, 0x00, 0x15, 0xCD, 0x5B, 0x07,
                    0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00])
    s = HEADER + CAPS
    s += bulk_split_exchange(command(0x10, 0xFF), answer(0x90), "reset SAM")
    s += bulk_split_exchange(command(0x11, 0xFF), answer(0x90), "SAM status")
    s += bulk_split_exchange(SAM_ID, answer(0x90, sam_id), "read SAM id (fictitious)")
    s += bulk_split_exchange(FIND, FOUND, "find card: found (0x9F)")
    s += bulk_split_exchange(SELECT, SELECTED, "select card (0x90)")
    s += bulk_split_exchange(READ_BASE, BASE, "read base message: 1295 bytes")
    return s


def hid_script():
    s = HEADER + CAPS
    s += hid_exchange(FIND, NO_CARD, "find card: no card (0x80)")
    s += hid_exchange(FIND, FOUND, "find card: found (0x9F)")
    s += hid_exchange(SELECT, SELECTED, "select card (0x90)")
    return s


# --- device descriptions -------------------------------------------------

def device_descriptor(vid, pid, cls=0, maxp0=64):
    return bytes([0x12, 0x01, 0x10, 0x01, cls, 0, 0, maxp0,
                  vid & 0xFF, vid >> 8, pid & 0xFF, pid >> 8,
                  0x00, 0x01, 0, 0, 0, 1])


def config_descriptor(interface_class, endpoints):
    """endpoints: (address, attributes, max packet size)."""
    eps = b"".join(bytes([7, 5, a, t, m & 0xFF, m >> 8, 1 if t == 3 else 0])
                   for a, t, m in endpoints)
    iface = bytes([9, 4, 0, 0, len(endpoints), interface_class, 0, 0, 0])
    total = 9 + len(iface) + len(eps)
    conf = bytes([9, 2, total & 0xFF, total >> 8, 1, 1, 0, 0x80, 50])
    return conf + iface + eps


ROOT_HUB = (device_descriptor(0x1D6B, 0x0001, cls=9)
            + config_descriptor(9, [(0x81, 3, 2)]))


def usb_device(path, bus, dev, vid, pid, descriptors, comment):
    hexd = descriptors.hex().upper()
    # umockdev's format has no comments: @comment stays in this script.
    return """P: {path}
N: bus/usb/{bus:03d}/{dev:03d}={hexd}
E: BUSNUM={bus:03d}
E: DEVNAME=/dev/bus/usb/{bus:03d}/{dev:03d}
E: DEVNUM={dev:03d}
E: DEVTYPE=usb_device
E: DRIVER=usb
E: ID_BUS=usb
E: ID_MODEL_ID={pid:04x}
E: ID_VENDOR_ID={vid:04x}
E: MAJOR=189
E: MINOR={minor}
E: PRODUCT={vid:x}/{pid:x}/100
E: SUBSYSTEM=usb
A: authorized=1
A: bConfigurationValue=1
A: bDeviceClass=00
A: bMaxPacketSize0=64
A: bNumConfigurations=1
A: bNumInterfaces= 1
A: busnum={bus}\\n
A: dev=189:{minor}
A: devnum={dev}\\n
A: devpath={devpath}
H: descriptors={hexd}
A: idProduct={pid:04x}
A: idVendor={vid:04x}
A: speed=12
A: version= 1.10

""".format(comment=comment, path=path, bus=bus, dev=dev, vid=vid, pid=pid,
           hexd=hexd, minor=(bus - 1) * 128 + dev - 1,
           devpath=path.rsplit("-", 1)[-1])


HUB_PATH = "/devices/pci0000:00/0000:00:14.0/usb1"


def root_hub():
    hexd = ROOT_HUB.hex().upper()
    return """P: {path}
N: bus/usb/001/001={hexd}
E: BUSNUM=001
E: DEVNAME=/dev/bus/usb/001/001
E: DEVNUM=001
E: DEVTYPE=usb_device
E: DRIVER=usb
E: MAJOR=189
E: MINOR=0
E: PRODUCT=1d6b/1/600
E: SUBSYSTEM=usb
A: authorized=1
A: bConfigurationValue=1
A: bDeviceClass=09
A: bMaxPacketSize0=64
A: bNumConfigurations=1
A: bNumInterfaces= 1
A: busnum=1\\n
A: dev=189:0
A: devnum=1\\n
A: devpath=0
H: descriptors={hexd}
A: idProduct=0001
A: idVendor=1d6b
A: speed=12
A: version= 1.10

P: /devices/pci0000:00/0000:00:14.0
E: DRIVER=xhci_hcd
E: PCI_CLASS=C0330
E: SUBSYSTEM=pci
A: class=0x0c0330
A: vendor=0x8086
A: device=0x8c31

""".format(path=HUB_PATH, hexd=hexd)


def bulk_description():
    split = (device_descriptor(0x0400, 0xC35A)
             + config_descriptor(0xFF, [(0x81, 2, 64), (0x02, 2, 64),
                                        (0x85, 2, 64), (0x06, 2, 64)]))
    responder = (device_descriptor(0xFFFF, 0x0469)
                 + config_descriptor(0xFF, [(0x81, 2, 64), (0x02, 2, 64),
                                            (0x85, 2, 64), (0x06, 2, 64)]))
    pair = (device_descriptor(0xFFFF, 0x0468)
            + config_descriptor(0xFF, [(0x81, 2, 64), (0x01, 2, 64)]))
    return (usb_device(HUB_PATH + "/1-1", 1, 2, 0x0400, 0xC35A, split,
                         "GA 467 reader, split bulk endpoints (PROTOCOLS.md §1)")
            + usb_device(HUB_PATH + "/1-2", 1, 3, 0xFFFF, 0x0468, pair,
                         "TEST-ONLY id ffff:0468: one bulk pair")
            + usb_device(HUB_PATH + "/1-4", 1, 5, 0xFFFF, 0x0469, responder,
                         "TEST-ONLY id ffff:0469: split layout, responder")
            + root_hub())


def hid_description():
    hid = (device_descriptor(0xFFFF, 0x0467)
           + config_descriptor(0x03, [(0x81, 3, 64), (0x01, 3, 64)]))
    return (usb_device(HUB_PATH + "/1-3", 1, 4, 0xFFFF, 0x0467, hid,
                         "TEST-ONLY id ffff:0467: HID class, interrupt endpoints"))


if __name__ == "__main__":
    write("ga467-bulk.umockdev", bulk_description())
    write("ga467-hid.umockdev", hid_description())
    write("ga467-bulk.ioctl", split_script())
    write("ga467-pair.ioctl", pair_script())
    write("ga467-hid.ioctl", hid_script())
    write("ga467-responder.ioctl", responder_script())
    # The test compares what it reads with these.
    write("ga467-base-answer.hex", BASE.hex().upper() + "\n")
