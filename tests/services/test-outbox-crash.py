#!/usr/bin/python3 -u
# test-outbox-crash.py — the kill -9 test of the outbox (issue 5)
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   platform-rig.sh run -- test-outbox-crash.py OUTBOX-DRIVER
#
# Runs tests/services/outbox-driver (200 applications through LinliOutbox
# to the simulator), kills it with SIGKILL at random moments while the
# simulator is slowed down (so kills land mid-request) and sometimes drops
# answers after committing (so the platform has it and the kiosk never
# hears), starts it again, and repeats; then lets it finish and proves,
# from the simulator's database, that each of the 200 applications exists
# exactly once, and, from the outbox file, that nothing is left.
#
# The randomness is seeded; the seed is printed. OUTBOX_CRASH_SEED=N
# replays a run, OUTBOX_CRASH_COUNT=N changes the number of applications.
# Standard library only.

import collections
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

COUNT = int(os.environ.get("OUTBOX_CRASH_COUNT", "200"))
MIN_KILLS = 30         # kills before the driver may finish
MIN_WINDOW_KILLS = 3   # of which kills while the platform has an entry the outbox still holds
MAX_ROUNDS = 400
FINAL_TIMEOUT = 180    # seconds for the last, undisturbed run


WORK = None  # the outbox file and each round's events


def fail(message):
    print("FAIL: " + message)
    if WORK is not None:
        print(f"kept {WORK}")
    sys.exit(1)


def control(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(os.environ["LINLI_SIM_CONTROL"] + path, data=data,
                                     method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


def set_faults(rng):
    """A random mix for one round; returns a short description."""
    control("DELETE", "/faults")
    faults = []
    # Every request waits: a kill at a random moment is likely to land
    # while one is in flight (the simulator has claimed the key and
    # commits when the wait is over, whether the kiosk is still there).
    faults.append({"kind": "latency", "latency_ms": rng.randint(30, 400),
                   "method": "POST", "path": "/applications", "count": -1})
    if rng.random() < 0.5:
        faults.append({"kind": "drop-response", "method": "POST", "path": "/applications",
                       "count": rng.randint(1, 3)})
    if rng.random() < 0.2:
        faults.append({"kind": "drop-request", "method": "POST", "path": "/applications",
                       "count": 1})
    if rng.random() < 0.2:
        faults.append({"kind": "status", "status": 503, "code": "UPSTREAM_UNAVAILABLE",
                       "method": "POST", "path": "/applications", "count": 1})
    for fault in faults:
        control("POST", "/faults", fault)
    return "+".join(f["kind"] for f in faults)


def outbox_pending_keys(path):
    if not os.path.exists(path):
        return set()
    db = sqlite3.connect(path, timeout=10)
    try:
        return {row[0] for row in
                db.execute("SELECT idempotency_key FROM entries WHERE state = 'pending'")}
    except sqlite3.OperationalError:
        return set()  # killed before the schema was committed
    finally:
        db.close()


def sim_keys(kiosk_id):
    db = sqlite3.connect(os.environ["LINLI_SIM_DB"], timeout=10)
    try:
        return {row[0] for row in
                db.execute("SELECT key FROM idempotency_keys WHERE kiosk_id = ?", (kiosk_id,))}
    finally:
        db.close()


def read_events(log, events):
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            events.append(line.split())


def main():
    if len(sys.argv) != 2:
        print("usage: test-outbox-crash.py OUTBOX-DRIVER", file=sys.stderr)
        return 2
    driver = sys.argv[1]
    for name in ("LINLI_PLATFORM_URL", "LINLI_SIM_CONTROL", "LINLI_SIM_DB",
                 "LINLI_PLATFORM_KIOSK_ID"):
        if name not in os.environ:
            print(f"{name} is not set: run under tests/rigs/platform-rig.sh")
            return 1 if os.environ.get("CI") else 77
    kiosk_id = os.environ["LINLI_PLATFORM_KIOSK_ID"]

    seed = int(os.environ.get("OUTBOX_CRASH_SEED") or random.SystemRandom().randrange(2**32))
    print(f"seed {seed} (OUTBOX_CRASH_SEED={seed} replays this run), {COUNT} applications")
    rng = random.Random(seed)
    tag = f"crash-{seed:08x}"

    global WORK
    WORK = work = tempfile.mkdtemp(prefix="test-outbox-crash-")
    outbox = os.path.join(work, "outbox.sqlite")
    events = []
    kills = window_kills = in_window = rounds = 0
    finished = False
    started = time.monotonic()
    process = None
    try:
        while not finished and (kills < MIN_KILLS or window_kills < MIN_WINDOW_KILLS):
            rounds += 1
            if rounds > MAX_ROUNDS:
                fail(f"{MAX_ROUNDS} rounds without {MIN_KILLS} kills and "
                     f"{MIN_WINDOW_KILLS} in the window")
            faults = set_faults(rng)
            delay = rng.uniform(0.05, 2.0)
            log = os.path.join(work, f"round-{rounds}.log")
            with open(log, "w") as out:
                process = subprocess.Popen([driver, outbox, str(COUNT), tag],
                                           stdout=out, stderr=subprocess.STDOUT)
                try:
                    status = process.wait(timeout=delay)
                except subprocess.TimeoutExpired:
                    process.send_signal(signal.SIGKILL)
                    process.wait()
                    status = -signal.SIGKILL
                process = None
            read_events(log, events)
            if status == 0:
                finished = True
                print(f"round {rounds}: finished by itself ({faults})")
                break
            if status != -signal.SIGKILL:
                with open(log) as f:
                    print(f.read())
                fail(f"round {rounds}: the driver exited with {status}")
            kills += 1
            # Entries the platform holds the key of (done, or still being
            # done: it finishes without the kiosk) that the outbox still
            # holds: the window exactly-once is about.
            window = outbox_pending_keys(outbox) & sim_keys(kiosk_id)
            if window:
                window_kills += 1
                in_window += len(window)
            print(f"round {rounds}: killed after {delay * 1000:.0f} ms ({faults});"
                  f" {len(window)} in the window")

        if not finished:
            control("DELETE", "/faults")
            log = os.path.join(work, "final.log")
            with open(log, "w") as out:
                process = subprocess.Popen([driver, outbox, str(COUNT), tag],
                                           stdout=out, stderr=subprocess.STDOUT)
                status = process.wait(timeout=FINAL_TIMEOUT)
                process = None
            read_events(log, events)
            if status != 0:
                with open(log) as f:
                    print(f.read())
                fail(f"the last run exited with {status}")
    finally:
        if process is not None:
            process.kill()
            process.wait()
        try:
            control("DELETE", "/faults")
        except OSError:
            pass
    elapsed = time.monotonic() - started

    # 1. The simulator holds each application exactly once.
    db = sqlite3.connect(os.environ["LINLI_SIM_DB"], timeout=10)
    rows = db.execute("SELECT fields_json, idempotency_key FROM applications"
                      " WHERE kiosk_id = ? AND fields_json LIKE ?",
                      (kiosk_id, f"%{tag} #%")).fetchall()
    db.close()
    numbers = collections.Counter()
    keys = collections.Counter()
    for fields, key in rows:
        destination = json.loads(fields)["destination"]
        numbers[int(destination.rsplit("#", 1)[1])] += 1
        keys[key] += 1
    doubled = sorted(n for n, c in numbers.items() if c > 1)
    missing = sorted(set(range(1, COUNT + 1)) - set(numbers))
    extra = sorted(set(numbers) - set(range(1, COUNT + 1)))
    if doubled:
        fail(f"applications filed more than once: {doubled}")
    if missing:
        fail(f"applications lost: {missing}")
    if extra:
        fail(f"applications that were never asked for: {extra}")
    if len(rows) != COUNT or any(c > 1 for c in keys.values()):
        fail(f"{len(rows)} applications for {COUNT}, {len(keys)} keys")

    # 2. The driver never enqueued a number twice (with two keys).
    enqueued = collections.defaultdict(set)
    for event in events:
        if len(event) == 3 and event[0] == "enqueued":
            enqueued[int(event[1])].add(event[2])
    twice = sorted(n for n, k in enqueued.items() if len(k) > 1)
    if twice:
        fail(f"numbers enqueued twice: {twice}")
    if any(e and e[0] == "refused" for e in events):
        fail("the platform refused an entry")

    # 3. The outbox is empty, and counted every one.
    db = sqlite3.connect(outbox, timeout=10)
    left = db.execute("SELECT count(*) FROM entries").fetchone()[0]
    counters = dict(db.execute("SELECT name, value FROM counters"))
    db.close()
    if left != 0:
        fail(f"{left} entries left in the outbox")
    if counters.get("enqueued") != COUNT or counters.get("delivered") != COUNT:
        fail(f"outbox counters {counters}, expected {COUNT} enqueued and delivered")

    # Not vacuous: the kills did land where exactly-once is at stake.
    if kills < 10 or window_kills < 1:
        fail(f"only {kills} kills, {window_kills} in the window: "
             "the test did not exercise the outbox")

    replays = 0
    sim_log = os.path.join(os.environ.get("LINLI_PLATFORM_RIG_DIR", ""), "sim.log")
    if os.path.exists(sim_log):
        with open(sim_log, encoding="utf-8", errors="replace") as f:
            replays = sum(1 for line in f if "op=createApplication" in line and "replayed" in line)
    print(f"ok: {COUNT} applications exactly once after {kills} kills in {rounds} rounds"
          f" ({window_kills} kills with {in_window} entries in the window: at the platform"
          f" and still in the outbox), {replays} replays served, {elapsed:.1f} s; seed {seed}")
    for name in os.listdir(work):
        os.unlink(os.path.join(work, name))
    os.rmdir(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
