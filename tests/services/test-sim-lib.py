# test-sim-lib.py: what the simulator's tests share (loaded by path, the
# name has dashes). A client of linli-platform-sim over real TLS with the
# test PKI, from the variables tests/rigs/platform-rig.sh exports; the
# standard library only. SPDX-License-Identifier: GPL-3.0-or-later

import http.client
import json
import os
import socket
import sqlite3
import ssl
import sys
import time
import urllib.parse
import uuid

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECKS = "10X98765432"


def id_number(first17):
    """A GB 11643 number: FIRST17 and its check character."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS))
    return first17 + CHECKS[total % 11]


# The seeded people the tests use (services/sim/seed/residents.json).
WANG_XIAOMING = id_number("11010119900307123")   # GA 467 card "resident"
LI_XIUYING = id_number("11010519491231002")      # GA 467 card "elder", long-term
BATER = id_number("15010219410516031")           # 80+
ZHAO_DEFU = id_number("11010219560202051")       # certification always rejected
LI_XIAOMEI = id_number("37010219800229004")      # tests/data/sscard/li-xiaomei.json
OUYANG_WENHUA = id_number("44030619920814053")   # tests/data/sscard/ouyang-wenhua.json
CHEN_DAWEN = id_number("81000019850612005")      # GA 467 card "hkmt"
AYGUL = id_number("65010220060420024")           # young adult, no pension
WANG_LELE = id_number("11010120150901003")       # a child
ZHUOMA = id_number("54010219641001002")          # certification accepted at once
SEEDED_NUMBERS = [WANG_XIAOMING, LI_XIUYING, BATER, ZHAO_DEFU, LI_XIAOMEI, OUYANG_WENHUA,
                  CHEN_DAWEN, AYGUL, WANG_LELE, ZHUOMA]


def jpeg(size=2048, seed=1):
    """Bytes that start and end like a JPEG (SOI, APP0 … EOI)."""
    body = bytes((i * 31 + seed) & 0xFF for i in range(max(0, size - 6)))
    return b"\xff\xd8\xff\xe0" + body + b"\xff\xd9"


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        return self.headers.get(name.lower())

    @property
    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return "<%d %s>" % (self.status, self.body[:300])


def multipart(parts, boundary=None):
    """PARTS: (name, content_type, bytes). Returns (body, content type)."""
    boundary = boundary or "linli-" + uuid.uuid4().hex
    out = bytearray()
    for name, content_type, data in parts:
        out += b"--" + boundary.encode() + b"\r\n"
        disposition = 'form-data; name="%s"' % name
        if name != "application" and name != "certification":
            disposition += '; filename="%s"' % name
        out += ("Content-Disposition: %s\r\n" % disposition).encode()
        out += ("Content-Type: %s\r\n\r\n" % content_type).encode()
        out += data + b"\r\n"
    out += b"--" + boundary.encode() + b"--\r\n"
    return bytes(out), "multipart/form-data; boundary=" + boundary


class Sim:
    """The simulator the rig started."""

    def __init__(self, url=None):
        env = os.environ
        missing = [v for v in ("LINLI_PLATFORM_URL", "LINLI_PLATFORM_PKI", "LINLI_SIM_CONTROL",
                               "LINLI_SIM_DB") if v not in env]
        if missing:
            sys.exit("run me under tests/rigs/platform-rig.sh (missing %s)" % ", ".join(missing))
        self.url = urllib.parse.urlsplit(url or env["LINLI_PLATFORM_URL"])
        self.pki = env["LINLI_PLATFORM_PKI"]
        self.ca = env.get("LINLI_PLATFORM_CA", os.path.join(self.pki, "ca.pem"))
        self.kiosk_id = env.get("LINLI_PLATFORM_KIOSK_ID", "LL-DEMO-0001")
        self.control_url = urllib.parse.urlsplit(env["LINLI_SIM_CONTROL"])
        self.db_path = env["LINLI_SIM_DB"]
        self.rig = env.get("LINLI_PLATFORM_RIG")
        self.rig_dir = env.get("LINLI_PLATFORM_RIG_DIR")

    def context(self, cert="kiosk", ca=None):
        ctx = ssl.create_default_context(cafile=ca or self.ca)
        if cert:
            ctx.load_cert_chain(os.path.join(self.pki, cert + ".pem"),
                                os.path.join(self.pki, cert + ".key"))
        return ctx

    def connection(self, cert="kiosk", timeout=15, ca=None):
        return http.client.HTTPSConnection(self.url.hostname, self.url.port,
                                           context=self.context(cert, ca), timeout=timeout)

    def request(self, method, path, body=None, headers=None, cert="kiosk", kiosk_id=None,
                key=None, content_type=None, timeout=15, connection=None):
        """One request on a new connection (or CONNECTION). BODY: a dict
        (sent as JSON) or bytes. KEY: an Idempotency-Key."""
        all_headers = {"X-Linli-Kiosk-Id": kiosk_id or self.kiosk_id,
                       "X-Request-Id": str(uuid.uuid4())}
        if kiosk_id == "":
            del all_headers["X-Linli-Kiosk-Id"]
        if isinstance(body, (dict, list)):
            body = json.dumps(body, ensure_ascii=False).encode("utf-8")
            all_headers["Content-Type"] = "application/json"
        if content_type:
            all_headers["Content-Type"] = content_type
        if key:
            all_headers["Idempotency-Key"] = key
        all_headers.update(headers or {})
        own = connection is None
        conn = connection or self.connection(cert, timeout)
        try:
            conn.request(method, self.url.path + path, body=body, headers=all_headers)
            reply = conn.getresponse()
            data = reply.read()
            return Response(reply.status, {k.lower(): v for k, v in reply.getheaders()}, data)
        finally:
            if own:
                conn.close()

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def control(self, method, path, body=None):
        conn = http.client.HTTPConnection(self.control_url.hostname, self.control_url.port,
                                          timeout=10)
        try:
            data = json.dumps(body).encode() if body is not None else None
            conn.request(method, path, body=data,
                         headers={"Content-Type": "application/json"} if data else {})
            reply = conn.getresponse()
            raw = reply.read()
            return reply.status, (json.loads(raw) if raw else None)
        finally:
            conn.close()

    def fault(self, **spec):
        status, answer = self.control("POST", "/faults", spec)
        assert status == 201, (status, answer)
        return answer["id"]

    def clear_faults(self):
        self.control("DELETE", "/faults")

    def stats(self):
        return self.control("GET", "/stats")[1]

    def db(self):
        """A read connection to the simulator's database (WAL: reads while
        it writes)."""
        conn = sqlite3.connect(self.db_path, timeout=10)
        conn.row_factory = sqlite3.Row
        return conn

    def query(self, sql, *args):
        with self.db() as conn:
            return [dict(row) for row in conn.execute(sql, args)]

    def lookup(self, number, source="id_card", cert="kiosk", kiosk_id=None):
        reply = self.post("/residents/lookup", {"id_number": number, "source": source,
                                                "card_valid_until": None},
                          cert=cert, kiosk_id=kiosk_id)
        assert reply.status == 200, reply
        return reply.json

    def ref(self, number):
        return self.lookup(number)["resident_ref"]


def heartbeat(kiosk_id, etag=None):
    now = time.strftime("%Y-%m-%dT%H:%M:%S+08:00", time.gmtime(time.time() + 8 * 3600))
    return {
        "kiosk_id": kiosk_id, "version": "0.1.0", "sent_at": now, "uptime_s": 42,
        "catalog_etag": etag,
        "devices": [{"kind": "printer", "name": "receipt", "state": "ready", "detail": None},
                    {"kind": "id_reader", "name": "ga467", "state": "absent"}],
        "paper": "ok", "outbox": {"depth": 0, "oldest_at": None},
        "counters": {"sessions": 1, "identifications": 1, "payments_created": 0,
                     "payments_paid": 0, "applications_submitted": 0,
                     "certifications_submitted": 0, "evaluations_submitted": 0,
                     "receipts_printed": 0, "errors": 0},
    }


def raw_exchange(sim, request_bytes, cert="kiosk", timeout=10):
    """Sends REQUEST_BYTES over TLS and reads until the server closes; for
    answers http.client cannot parse (cut short)."""
    ctx = sim.context(cert)
    with socket.create_connection((sim.url.hostname, sim.url.port), timeout=timeout) as raw:
        with ctx.wrap_socket(raw, server_hostname=sim.url.hostname) as tls:
            tls.sendall(request_bytes)
            chunks = []
            while True:
                try:
                    chunk = tls.recv(65536)
                except (ssl.SSLError, ConnectionError):
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            return b"".join(chunks)
