"""What the kiosk's AT-SPI tests share: start the real linli-kiosk, find
screens by the window title and widgets by role and accessible name, report
in TAP, take screenshots. Runs inside Xvfb + a window manager +
dbus-run-session (run-ui-test.sh).
"""

import os
import subprocess
import sys
import time

import pyatspi

ARTIFACTS = "."
kiosk = None
steps = 0

# Roles a resident can act on: every one needs a name and a large target.
ACTIONABLE_ROLES = {
    "push button", "toggle button", "check box", "radio button", "entry",
    "password text", "combo box", "link", "menu item", "slider", "spin button",
    "list item", "page tab",
}


def start(binary, config, artifacts, extra_args=(), env=None):
    global kiosk, ARTIFACTS
    ARTIFACTS = artifacts
    os.makedirs(ARTIFACTS, exist_ok=True)
    kiosk = subprocess.Popen([binary, "--config", config, *extra_args], env=env)
    return kiosk


def fail(message):
    print(f"not ok - {message}", flush=True)
    screenshot("failure")
    if kiosk is not None and kiosk.poll() is None:
        kiosk.terminate()
    sys.exit(1)


def ok(message):
    global steps
    steps += 1
    print(f"ok {steps} - {message}", flush=True)


def done():
    print(f"1..{steps}", flush=True)


def screenshot(name):
    path = os.path.join(ARTIFACTS, f"{name}.png")
    xwd = subprocess.run(["xwd", "-root", "-silent"], capture_output=True, check=False)
    if xwd.returncode == 0:
        subprocess.run(["convert", "xwd:-", path], input=xwd.stdout, check=False)
        print(f"# screenshot {path}", flush=True)
    return path


def wait_for(what, predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if kiosk.poll() is not None:
            fail(f"the kiosk exited ({kiosk.returncode}) while waiting for {what}")
        try:
            result = predicate()
        except Exception:  # the tree changes under us while screens rebuild
            result = None
        if result:
            return result
        time.sleep(0.1)
    fail(f"timed out waiting for {what}")
    return None


def application():
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        if app is not None and app.name == "linli-kiosk":
            return app
    return None


def frame():
    app = application()
    if app is None:
        return None
    for child in app:
        if child is not None and child.getRoleName() == "frame":
            return child
    return None


def find(role, name):
    """The first accessible with this role and name, depth first."""
    root = frame()
    if root is None:
        return None
    return pyatspi.findDescendant(root, lambda a: a is not None and a.getRoleName() == role
                                  and a.name == name)


def find_all(role):
    root = frame()
    if root is None:
        return []
    return pyatspi.findAllDescendants(root, lambda a: a is not None and a.getRoleName() == role)


def actionable():
    """Every visible accessible a resident can act on (GTK 4.8 sets no
    "showing" state; screens not shown are hidden, so "visible" is exact)."""
    root = frame()
    if root is None:
        return []
    return pyatspi.findAllDescendants(
        root, lambda a: a is not None and a.getRoleName() in ACTIONABLE_ROLES
        and a.getState().contains(pyatspi.STATE_VISIBLE))


def focused():
    root = frame()
    if root is None:
        return None
    return pyatspi.findDescendant(
        root, lambda a: a is not None and a.getState().contains(pyatspi.STATE_FOCUSED))


def screen_is(title, timeout=10.0):
    wait_for(f"screen '{title}'", lambda: frame() is not None and frame().name == title, timeout)


def press(name):
    button = wait_for(f"button '{name}'", lambda: find("push button", name))
    button.queryAction().doAction(0)


def expect_label(text):
    wait_for(f"text '{text}'", lambda: find("label", text))


def expect_label_containing(fragment, timeout=10.0):
    return wait_for(f"text containing '{fragment}'",
                    lambda: next((a for a in find_all("label") if fragment in (a.name or "")),
                                 None), timeout)


def absent(role, name):
    return find(role, name) is None


def xdotool(*args):
    subprocess.run(["xdotool", *args], check=True)


def window_id():
    return subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(kiosk.pid)],
                          capture_output=True, text=True, check=True).stdout.split()[0]


def stop():
    """SIGTERM, as systemd stops it; the kiosk must exit cleanly."""
    kiosk.terminate()
    try:
        code = kiosk.wait(timeout=10)
    except subprocess.TimeoutExpired:
        fail("the kiosk did not stop on SIGTERM")
    if code != 0:
        fail(f"the kiosk exited with {code} on SIGTERM")


def platform_catalog():
    """GET /catalog from the simulated platform of tests/rigs/platform-rig.sh,
    over mutual TLS, so tests follow the simulator's seed."""
    import http.client
    import json
    import ssl
    import urllib.parse

    url = urllib.parse.urlsplit(os.environ["LINLI_PLATFORM_URL"])
    context = ssl.create_default_context(cafile=os.environ["LINLI_PLATFORM_CA"])
    context.load_cert_chain(os.environ["LINLI_PLATFORM_CERT"], os.environ["LINLI_PLATFORM_KEY"])
    connection = http.client.HTTPSConnection(url.hostname, url.port, context=context, timeout=10)
    connection.request("GET", url.path + "/catalog",
                       headers={"X-Linli-Kiosk-Id": os.environ["LINLI_PLATFORM_KIOSK_ID"],
                                "Accept": "application/json"})
    response = connection.getresponse()
    if response.status != 200:
        fail(f"GET /catalog answered {response.status}")
    return json.loads(response.read())


def ga467_reader(work):
    """Starts tests/rigs/ga467-sim.py on a pty in @work; returns (pty path,
    control fd): write "place resident\\n" (or elder, foreign…) or "lift\\n"."""
    import atexit

    sim = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "rigs", "ga467-sim.py")
    pty_link = os.path.join(work, "ga467")
    control = os.path.join(work, "ga467.ctl")
    os.mkfifo(control)
    reader = subprocess.Popen(["/usr/bin/python3", "-u", sim, "--link", pty_link,
                               "--control", control], stdout=subprocess.DEVNULL)
    atexit.register(reader.kill)
    # O_RDWR keeps the FIFO open between two writes (no end of input).
    control_fd = os.open(control, os.O_RDWR)
    for _ in range(50):
        if os.path.exists(pty_link):
            break
        time.sleep(0.1)
    return pty_link, control_fd


def kiosk_config(base, work, extra):
    """A copy of the test config @base in @work with @extra appended."""
    config = os.path.join(work, "kiosk.conf")
    with open(base, encoding="utf-8") as source, open(config, "w", encoding="utf-8") as target:
        target.write(source.read())
        target.write(extra)
    return config


def print_and_read(output):
    """Presses 打印 on the shown result, waits for 打印完成 and the file the
    cupsd rig's queue writes (@output, removed first), and returns its text
    (pdftotext -layout)."""
    if os.path.exists(output):
        os.remove(output)
    press("打印")
    expect_label_containing("打印完成", timeout=30)
    for _ in range(50):
        if os.path.exists(output) and os.path.getsize(output) > 0:
            break
        time.sleep(0.1)
    return subprocess.run(["pdftotext", "-layout", output, "-"], capture_output=True, text=True,
                          check=True).stdout


def scan_qr(path):
    """What a phone reads from the QR code in the screenshot @path."""
    result = subprocess.run(["zbarimg", "--quiet", "--raw", path], capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        fail(f"no QR code readable on the screen ({path})")
    return result.stdout.rstrip("\n")
