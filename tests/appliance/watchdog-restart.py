#!/usr/bin/python3 -u
# SPDX-License-Identifier: GPL-3.0-or-later
"""A stand-in for systemd's supervision of linli-kiosk.service.

Binds a NOTIFY_SOCKET datagram socket (SO_PASSCRED, so every message
carries its sender's pid, as systemd sees it), sets WATCHDOG_USEC as the
unit's WatchdogSec=3s does, and runs the real kiosk. WATCHDOG_PID is left
unset: sd_watchdog_enabled(3) then applies the watchdog to whoever reads
it (under systemd it names cage, the kiosk's parent; the unit test covers
that case).

1. READY=1 arrives, then WATCHDOG=1 about every WATCHDOG_USEC/2.
2. The kiosk is SIGSTOPped (a hung main loop): no ping for WATCHDOG_USEC,
   so the supervisor "times out", kills it and starts it again after the
   unit's RestartSec=500ms, like Restart=always.
3. The kiosk is SIGKILLed (it crashed): its exit is seen and it is
   restarted the same way.
Figures (not assertions): time from the hang and from the kill to READY=1
of the new kiosk; the issue's target is 5 s. Each wait is bounded (30 s)
only to keep a broken kiosk from hanging the test.

Usage (inside a display and a D-Bus session, see watchdog-restart.sh):
    watchdog-restart.py KIOSK CONFIG
"""
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

WATCHDOG_USEC = 3_000_000  # WatchdogSec=3s in linli-kiosk.service
RESTART_SEC = 0.5  # RestartSec=500ms
BOUND = 30.0


def log(*args):
    print("watchdog-restart:", *args, flush=True)


class Supervisor:
    def __init__(self, kiosk, config, directory):
        self.kiosk, self.config = kiosk, config
        self.path = os.path.join(directory, "notify")
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
        self.sock.bind(self.path)
        self.proc = None

    def start(self):
        env = dict(os.environ)
        env.update(NOTIFY_SOCKET=self.path, WATCHDOG_USEC=str(WATCHDOG_USEC))
        env.pop("WATCHDOG_PID", None)
        self.proc = subprocess.Popen([self.kiosk, "--config", self.config], env=env,
                                     stdout=subprocess.DEVNULL, start_new_session=True)
        return time.monotonic()

    def stop(self):
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        self.proc = None

    def receive(self, timeout):
        """One message (pid, set of assignments) or None after timeout."""
        self.sock.settimeout(max(timeout, 0.001))
        try:
            data, ancdata, _, _ = self.sock.recvmsg(4096, socket.CMSG_SPACE(12))
        except socket.timeout:
            return None
        pid = None
        for level, kind, payload in ancdata:
            if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                pid = struct.unpack("iII", payload[:12])[0]
        return pid, set(data.decode().split("\n"))

    def wait_for(self, assignment, bound=BOUND):
        """Waits for a message containing assignment; returns (time, pid)."""
        deadline = time.monotonic() + bound
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise SystemExit(f"FAIL: the kiosk exited ({self.proc.returncode}) "
                                 f"before {assignment}")
            message = self.receive(min(0.2, deadline - time.monotonic()))
            if message is not None and assignment in message[1]:
                return time.monotonic(), message[0]
        raise SystemExit(f"FAIL: no {assignment} within {BOUND:.0f} s")

    def pings(self, seconds):
        """The times of WATCHDOG=1 messages during the next seconds."""
        times, end = [], time.monotonic() + seconds
        while time.monotonic() < end:
            message = self.receive(end - time.monotonic())
            if message is not None and "WATCHDOG=1" in message[1]:
                times.append(time.monotonic())
        return times


def main():
    kiosk, config = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory(prefix="linli-notify-") as directory:
        sup = Supervisor(kiosk, config, directory)
        try:
            return run(sup)
        finally:
            sup.stop()


def run(sup):
    started = sup.start()
    ready, pid = sup.wait_for("READY=1")
    log(f"READY=1 from pid {pid} {1000 * (ready - started):.0f} ms after start")
    if pid != sup.proc.pid:
        raise SystemExit(f"FAIL: READY=1 came from pid {pid}, not the kiosk {sup.proc.pid}")

    interval = WATCHDOG_USEC / 1e6
    times = sup.pings(2 * interval)
    gaps = [b - a for a, b in zip(times, times[1:])]
    log(f"{len(times)} WATCHDOG=1 in {2 * interval:.0f} s; gaps "
        + ", ".join(f"{g:.2f}" for g in gaps) + " s")
    if len(times) < 3 or max(gaps) >= interval:
        raise SystemExit("FAIL: the kiosk does not ping regularly within WATCHDOG_USEC")

    # A hung main loop: the process is there, its pings are not.
    os.kill(sup.proc.pid, signal.SIGSTOP)
    hung = time.monotonic()
    late = sup.pings(interval)
    if late and late[-1] - hung > 0.05:
        raise SystemExit(f"FAIL: {len(late)} pings from a stopped kiosk")
    detected = time.monotonic()
    log(f"no WATCHDOG=1 for {interval:.0f} s after SIGSTOP: watchdog timeout, restarting")
    sup.stop()
    time.sleep(RESTART_SEC)
    sup.start()
    back, _ = sup.wait_for("READY=1")
    log(f"FIGURE hung kiosk back on screen (READY=1) {back - hung:.2f} s after the hang "
        f"(detection {detected - hung:.2f} s, restart to READY {back - detected:.2f} s)")
    if not sup.pings(interval):
        raise SystemExit("FAIL: the restarted kiosk does not ping")

    # A crash: the kiosk is gone, systemd sees the main process exit.
    killed = time.monotonic()
    os.kill(sup.proc.pid, signal.SIGKILL)
    sup.proc.wait()
    sup.proc = None
    time.sleep(RESTART_SEC)
    sup.start()
    back, _ = sup.wait_for("READY=1")
    log(f"FIGURE killed kiosk back on screen (READY=1) {back - killed:.2f} s after the kill")
    log("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
