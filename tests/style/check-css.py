#!/usr/bin/python3
"""Measure the kiosk's stylesheet for visual accessibility (issue 3, item 5).

Usage: check-css.py [--ui-dir DIR] [--list] [--no-self-check] STYLE.CSS

Python 3 standard library only. Exit status 0 when every check passes, 1
when one fails (each failure is printed with the rule and the widget path
it concerns), 2 on a usage error.

What is checked, in both themes -- the default one and high contrast (the
window carries the class `high-contrast`) -- at the reference layout
(1920x1080, text-size-1: the window's font-size is 32 px, the body size):

  contrast      every text colour against the background it sits on:
                WCAG 2.x contrast ratio >= 7:1 (1.4.6, AAA)
  non-text      the border of every actionable widget against the
                background around it >= 3:1 (1.4.11); a widget without a
                border needs its fill to do that
  focus         on every focusable widget, and on every surface one could
                sit on, keyboard focus draws a two-tone ring: two adjacent
                bands >= 9:1 apart (so one of them reaches 3:1 on any
                background: WCAG technique C40), and one band >= 5 px wide
                that is >= 3:1 against the background around the widget
                (2.4.7, 2.4.13); and no ancestor of the focused widget
                draws one (GTK 4.8 sets :focus-visible on every ancestor
                of the focus widget, :focus only on the widget itself)
  font-size     no declared font-size below the body size (a px size under
                the window's, an em/% below 1, smaller/x-small...), and no
                text whose computed size is below the window's
  line-height   every text element has a line-height that gives lines at
                least 1.3 times its font size ("normal" depends on the font
                and is refused; see "GTK 4.8 specifics" below)
  target        every actionable widget's minimum border box (min-width /
                min-height + padding + border) is at least 88 x 88 px; the
                ui suite measures the real extents over AT-SPI
  high-contrast in the high-contrast theme, every concrete colour that
                applies to any element comes from a high-contrast rule: no
                default-theme colour leaks into the dark theme
  surface       every actionable widget gets its background-color from this
                stylesheet (else the GTK theme's colour, which this script
                cannot see, would show)
  parse         only properties GTK 4.8 knows, only colours this script can
                measure (hex, rgb(), rgba(), a few names, @define-color,
                alpha(), mix()), no opacity/filter on content, no colour
                animation

How colour pairs are resolved
-----------------------------
A text colour is only meaningful against the background under it, which in
GTK is the element's own background-color or else that of the nearest
ancestor in the widget tree that paints one. The script therefore builds
element paths (window -> ... -> element), runs the CSS cascade on every
element of each path (selector matching with descendant and child
combinators, specificity, source order, !important, inheritance of color,
font-size and line-height), and composites the backgrounds from the window
down (rgba colours are alpha-composited over what lies under them; so is a
translucent text colour). The paths come from three places:

  1. every selector of the stylesheet: `window.linli .a11y-bar button.on
     label` becomes window.linli > box.a11y-bar > button.on > label. A
     compound with no element name (`.notice`) is tried both as a label and
     as a box; every element that is not a label also gets a label child
     (the text any container may hold). So each rule that sets a colour is
     checked against the background that applies to it, and each rule that
     sets a background-color is checked against the text colour that
     applies inside it. Every prefix of a path is a path too.
  2. the GtkBuilder files (--ui-dir): the real widget tree of every
     template, with the CSS node names GTK gives each class and the style
     classes of the template; a button with no child widget gets a label
     child (its text, from the "label" property or set in C). Templates that another template does not contain (pages,
     the accessibility bar, the timeout warning: the window adds them in C)
     hang directly under the window, which paints nothing between.
  3. C_BUILT below: widgets that C code builds without a template.

Each path is then evaluated in both themes and, for actionable widgets, in
the states :hover, :active, :checked and focused. Focus follows GTK 4.8:
the focus widget has :focus, :focus-visible (keyboard navigation) and
:focus-within, each ancestor :focus-visible and :focus-within; an entry
is an ancestor of its text child, which holds the focus.

Not seen: colours the GTK theme (Adwaita) gives to widgets this sheet does
not style -- hence the "surface" check --, icons and images, and text drawn
with markup colours.

GTK 4.8 specifics (measured on the running kiosk)
-------------------------------------------------
Focus rings are box-shadows with a spread and no blur. GTK 4.8 paints a
list of shadows in order, the last one on top (the reverse of the CSS spec),
so a yellow band inside a black one is written black (wider) first, yellow
last.

GTK 4.8 maps line-height to Pango: a unitless number multiplies the font's
natural line height (ascent + descent: about 1.44 em for Noto Sans CJK),
while a length or percentage is an absolute height, computed where it is
declared and inherited as that length (as in CSS). The script follows the
same rules: a length counts against the element's own font size, a unitless
factor f counts as at least f em.

Self-check
----------
After measuring the stylesheet, the script appends known-bad rules to a
copy of it (a grey button text, a thin one-colour focus ring, a small font,
a translucent card, ...) and fails if it does not notice each of them.
"""

import argparse
import collections
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET

BODY_PX = 32.0  # window font-size at the reference layout (text-size-1)
TEXT_RATIO = 7.0
NON_TEXT_RATIO = 3.0
TWO_TONE_RATIO = 9.0
FOCUS_BAND_PX = 5.0
LINE_HEIGHT = 1.3
TARGET_PX = 88.0

THEMES = (("default", False), ("high-contrast", True))

TEXT_TYPES = {"label", "text", "selection", "placeholder"}
ACTIONABLE = {"button", "checkbutton", "switch", "entry", "spinbutton", "row",
              "flowboxchild", "scale", "dropdown"}
# GTK 4.8 state flags under keyboard focus: the focus widget, and every
# ancestor of it. Entries give the focus to their text child, so the entry
# itself has only the ancestor's flags.
FOCUSED = ("focus", "focus-visible", "focus-within")
FOCUS_ANCESTOR = ("focus-visible", "focus-within")
HOLDS_FOCUS_IN_CHILD = {"entry", "spinbutton"}
EXTRA_STATES = ("hover", "active", "checked")

# Widgets built in C without a template (ui/linli-home-page.c create_tile ()).
C_BUILT = (
    "window.linli box.page.home grid button.tile.tile-x box label.tile-title",
    "window.linli box.page.home grid button.tile.tile-x box label.tile-detail",
    "window.linli box.page.home grid button.tile.tile-call-staff box label.tile-title",
    "window.linli box.page.home grid button.tile.tile-call-staff box label.tile-detail",
)

# GTK class -> CSS node name (gtk_widget_class_set_css_name in GTK 4.8).
GTK_NODES = {
    "GtkWindow": "window", "GtkApplicationWindow": "window",
    "GtkBox": "box", "GtkCenterBox": "box", "GtkGrid": "grid",
    "GtkLabel": "label", "GtkInscription": "label",
    "GtkButton": "button", "GtkToggleButton": "button", "GtkLinkButton": "button",
    "GtkMenuButton": "menubutton", "GtkCheckButton": "checkbutton",
    "GtkSwitch": "switch", "GtkEntry": "entry", "GtkPasswordEntry": "entry",
    "GtkSearchEntry": "entry", "GtkSpinButton": "spinbutton",
    "GtkText": "text", "GtkTextView": "textview",
    "GtkListBox": "list", "GtkListBoxRow": "row", "GtkFlowBox": "flowbox",
    "GtkFlowBoxChild": "flowboxchild", "GtkScale": "scale",
    "GtkDropDown": "dropdown", "GtkScrolledWindow": "scrolledwindow",
    "GtkViewport": "viewport", "GtkStack": "stack", "GtkOverlay": "overlay",
    "GtkRevealer": "revealer", "GtkFrame": "frame", "GtkImage": "image",
    "GtkPicture": "picture", "GtkVideo": "video", "GtkSeparator": "separator",
    "GtkProgressBar": "progressbar", "GtkLevelBar": "levelbar",
    "GtkSpinner": "spinner", "GtkDrawingArea": "drawingarea",
    "GtkAspectFrame": "aspectframe", "GtkExpander": "expander-widget",
}
GTK_TYPE_MACROS = {re.sub(r"(?<!^)([A-Z])", r"_\1", k[3:]).upper(): k for k in GTK_NODES}

# Properties GTK 4.8 parses (gtk/gtkcssstylepropertyimpl.c and
# gtkcssshorthandpropertyimpl.c); anything else makes it print a warning.
GTK_PROPERTIES = set("""
color -gtk-dpi font-size -gtk-icon-palette -gtk-icon-style
font-family font-style font-weight font-stretch font-kerning
font-variant-ligatures font-variant-position font-variant-caps
font-variant-numeric font-variant-alternates font-variant-east-asian
font-feature-settings font-variation-settings letter-spacing line-height
text-decoration-line text-decoration-color text-decoration-style
text-transform text-shadow box-shadow opacity filter transform
transform-origin min-width min-height caret-color -gtk-secondary-caret-color
margin-top margin-right margin-bottom margin-left
padding-top padding-right padding-bottom padding-left
border-top-width border-right-width border-bottom-width border-left-width
border-top-style border-right-style border-bottom-style border-left-style
border-top-color border-right-color border-bottom-color border-left-color
border-top-left-radius border-top-right-radius border-bottom-right-radius
border-bottom-left-radius outline-style outline-width outline-offset
outline-color background-clip background-origin background-size
background-position background-repeat background-image background-color
background-blend-mode border-image-source border-image-repeat
border-image-slice border-image-width -gtk-icon-source -gtk-icon-size
-gtk-icon-shadow -gtk-icon-transform -gtk-icon-filter border-spacing
transition-property transition-duration transition-timing-function
transition-delay animation-name animation-duration animation-timing-function
animation-iteration-count animation-direction animation-play-state
animation-delay animation-fill-mode
font margin padding border-width border-radius border-color border-style
border-image border-top border-right border-bottom border-left border
outline background transition animation text-decoration font-variant all
""".split())

NAMED_COLORS = {
    "transparent": (0, 0, 0, 0), "black": (0, 0, 0, 1), "white": (1, 1, 1, 1),
    "red": (1, 0, 0, 1), "yellow": (1, 1, 0, 1), "cyan": (0, 1, 1, 1),
    "blue": (0, 0, 1, 1), "lime": (0, 1, 0, 1), "magenta": (1, 0, 1, 1),
}
COLOR_PROPS = ("color", "background-color", "border-top-color", "border-right-color",
               "border-bottom-color", "border-left-color", "outline-color", "box-shadow",
               "text-shadow", "caret-color", "text-decoration-color")
SIDES = ("top", "right", "bottom", "left")


class Unmeasurable(Exception):
    """A value or selector this script cannot evaluate: fix the CSS or the script."""


Node = collections.namedtuple("Node", "type classes states")


def node(type_, classes=(), states=()):
    return Node(type_, frozenset(classes), frozenset(states))


def describe(path):
    out = []
    for n in path:
        out.append(n.type + "".join("." + c for c in sorted(n.classes))
                   + "".join(":" + s for s in sorted(n.states)))
    return " > ".join(out)


# ---------------------------------------------------------------- parsing

Compound = collections.namedtuple("Compound", "type classes states ids")
Selector = collections.namedtuple("Selector", "text parts spec")
Decl = collections.namedtuple("Decl", "value important")


class Rule:
    def __init__(self, selectors, decls, order, line):
        self.selectors, self.decls, self.order, self.line = selectors, decls, order, line


def blank_comments(text):
    """Replaces comments by spaces, keeping line numbers."""
    return re.sub(r"/\*.*?\*/", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)


def split_top(text, sep):
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def tokens(value):
    """Whitespace-separated tokens, keeping function calls whole."""
    out, depth, cur = [], 0, []
    for ch in value.strip():
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch.isspace() and depth == 0:
            if cur:
                out.append("".join(cur))
                cur = []
        else:
            cur.append(ch)
    if cur:
        out.append("".join(cur))
    return out


def parse_compound(text):
    m = re.match(r"(\*|[A-Za-z][\w-]*)?", text)
    type_ = m.group(1) if m.group(1) not in (None, "*") else None
    rest = text[m.end():]
    classes, states, ids = set(), set(), set()
    while rest:
        m = re.match(r"\.([\w-]+)|#([\w-]+)|:([\w-]+)(\([^)]*\))?", rest)
        if not m or rest.startswith("::"):
            raise Unmeasurable("cannot read selector part %r" % rest)
        if m.group(1):
            classes.add(m.group(1))
        elif m.group(2):
            ids.add(m.group(2))
        else:
            if m.group(3) == "not" or m.group(4):
                raise Unmeasurable("pseudo-class with arguments %r is not supported" % m.group(0))
            states.add(m.group(3))
        rest = rest[m.end():]
    return Compound(type_, frozenset(classes), frozenset(states), frozenset(ids))


def parse_selector(text):
    text = " ".join(text.split())
    parts, comb = [], None
    for m in re.finditer(r"\s*([>+~])\s*|\s+|([^\s>+~]+)", text):
        if m.group(1):
            comb = m.group(1)
        elif m.group(2):
            if comb in ("+", "~"):
                raise Unmeasurable("sibling combinators are not supported: %r" % text)
            parts.append((comb if parts else None, parse_compound(m.group(2))))
            comb = " "
        else:
            comb = comb if comb in (">", "+", "~") else " "
    if not parts:
        raise Unmeasurable("empty selector")
    spec = (sum(len(c.ids) for _, c in parts),
            sum(len(c.classes) + len(c.states) for _, c in parts),
            sum(1 for _, c in parts if c.type))
    return Selector(text, tuple(parts), spec)


def box4(vals):
    if len(vals) == 1:
        return vals * 4
    if len(vals) == 2:
        return [vals[0], vals[1], vals[0], vals[1]]
    if len(vals) == 3:
        return [vals[0], vals[1], vals[2], vals[1]]
    return vals[:4]


BORDER_STYLES = {"none", "hidden", "solid", "dashed", "dotted", "double", "groove", "ridge",
                 "inset", "outset"}


def is_color_token(tok):
    return (tok.startswith("#") or tok.startswith("@") or tok.lower() in NAMED_COLORS
            or re.match(r"(rgba?|alpha|mix|shade|lighter|darker)\(", tok) is not None
            or tok.lower() == "currentcolor")


def expand(prop, value):
    """Shorthands -> longhands (only those this script evaluates in detail)."""
    toks = tokens(value)
    if prop in ("padding", "margin"):
        return [("%s-%s" % (prop, s), v) for s, v in zip(SIDES, box4(toks))]
    if prop in ("border-width", "border-style", "border-color"):
        what = prop.split("-")[1]
        return [("border-%s-%s" % (s, what), v) for s, v in zip(SIDES, box4(toks))]
    if prop == "border" or prop in ("border-" + s for s in SIDES):
        width, style, color = "medium", "none", "currentColor"
        for t in toks:
            if t.lower() in BORDER_STYLES:
                style = t
            elif is_color_token(t):
                color = t
            else:
                width = t
        sides = SIDES if prop == "border" else (prop.split("-")[1],)
        out = []
        for s in sides:
            out += [("border-%s-width" % s, width), ("border-%s-style" % s, style),
                    ("border-%s-color" % s, color)]
        return out
    if prop == "outline":
        width, style, color = "medium", "none", "currentColor"
        for t in toks:
            if t.lower() in BORDER_STYLES:
                style = t
            elif is_color_token(t):
                color = t
            else:
                width = t
        return [("outline-width", width), ("outline-style", style), ("outline-color", color)]
    if prop == "background":
        color, image = "transparent", "none"
        for t in toks:
            if is_color_token(t):
                color = t
            elif re.match(r"(url|linear-gradient|radial-gradient|image|cross-fade)\(", t):
                image = t
        return [("background-color", color), ("background-image", image)]
    if prop in ("font", "all"):
        raise Unmeasurable("use longhands (font-size, line-height...) instead of %r" % prop)
    return [(prop, value)]


class Sheet:
    def __init__(self, text, name="style.css"):
        self.name = name
        self.rules = []
        self.defines = {}
        self.problems = []  # (check, message)
        self.font_sizes = []  # (line, selector text, value)
        self._parse(blank_comments(text))

    def _line(self, text, pos):
        return text.count("\n", 0, pos) + 1

    def _parse(self, text):
        pos, order = 0, 0
        while True:
            m = re.compile(r"\s*").match(text, pos)
            pos = m.end()
            if pos >= len(text):
                break
            line = self._line(text, pos)
            if text.startswith("@define-color", pos):
                end = text.index(";", pos)
                name, value = text[pos + len("@define-color"):end].split(None, 1)
                self.defines[name] = value.strip()
                pos = end + 1
                continue
            if text.startswith("@", pos):
                head = re.compile(r"@([\w-]+)").match(text, pos).group(1)
                if head != "keyframes":
                    self.problems.append(("parse", "line %d: @%s is not supported" % (line, head)))
                semi, open_ = text.find(";", pos), text.find("{", pos)
                if open_ < 0 or 0 <= semi < open_:  # a statement such as @import
                    pos = semi + 1 if semi >= 0 else len(text)
                    continue
                end, depth = open_, 0
                while True:
                    if text[end] == "{":
                        depth += 1
                    elif text[end] == "}":
                        depth -= 1
                        if depth == 0:
                            break
                    end += 1
                self._check_keyframes(text[open_ + 1:end], line)
                pos = end + 1
                continue
            open_ = text.find("{", pos)
            close = text.find("}", open_)
            if open_ < 0 or close < 0:
                self.problems.append(("parse", "line %d: unterminated rule" % line))
                break
            prelude, body = text[pos:open_].strip(), text[open_ + 1:close]
            pos = close + 1
            try:
                selectors = [parse_selector(s) for s in split_top(prelude, ",")]
            except Unmeasurable as e:
                self.problems.append(("parse", "line %d: %s" % (line, e)))
                continue
            decls = {}
            for raw in split_top(body, ";"):
                if not raw.strip():
                    continue
                if ":" not in raw:
                    self.problems.append(("parse", "line %d: bad declaration %r" % (line, raw.strip())))
                    continue
                prop, value = raw.split(":", 1)
                prop, value = prop.strip().lower(), value.strip()
                important = value.endswith("!important")
                if important:
                    value = value[:-len("!important")].strip()
                if prop not in GTK_PROPERTIES:
                    self.problems.append(("parse", "line %d: GTK 4.8 has no property %r" % (line, prop)))
                    continue
                if prop in ("opacity", "filter") and value not in ("1", "none"):
                    self.problems.append(("parse", "line %d: %s: %s makes contrast unmeasurable"
                                          % (line, prop, value)))
                try:
                    for p, v in expand(prop, value):
                        decls[p] = Decl(v, important)
                except Unmeasurable as e:
                    self.problems.append(("parse", "line %d: %s" % (line, e)))
                if prop == "font-size":
                    self.font_sizes.append((line, prelude, value))
            rule = Rule(selectors, decls, order, line)
            order += 1
            self.rules.append(rule)
            for p, d in decls.items():
                if p in COLOR_PROPS and p != "box-shadow" and p != "text-shadow":
                    try:
                        self.color(d.value)
                    except Unmeasurable as e:
                        self.problems.append(("parse", "line %d: %s: %s" % (line, p, e)))

    def _check_keyframes(self, body, line):
        for prop in ("color", "background", "opacity", "filter", "box-shadow", "border", "outline"):
            if re.search(r"(^|[\s;{])%s[\w-]*\s*:" % prop, body):
                self.problems.append(("parse", "line %d: @keyframes animate %s: contrast would "
                                      "change over time" % (line, prop)))

    def color(self, value, depth=0):
        """RGBA (floats 0..1), or the keywords 'inherit' / 'currentcolor'."""
        v = value.strip()
        low = v.lower()
        if low in ("inherit", "currentcolor", "initial", "unset"):
            return "inherit" if low in ("inherit", "unset") else "currentcolor"
        if low in NAMED_COLORS:
            return NAMED_COLORS[low]
        if v.startswith("@"):
            if v[1:] not in self.defines or depth > 10:
                raise Unmeasurable("unknown colour %s" % v)
            return self.color(self.defines[v[1:]], depth + 1)
        m = re.fullmatch(r"#([0-9a-fA-F]{3,8})", v)
        if m:
            h = m.group(1)
            if len(h) in (3, 4):
                h = "".join(c * 2 for c in h)
            if len(h) not in (6, 8):
                raise Unmeasurable("bad colour %s" % v)
            a = int(h[6:8], 16) / 255 if len(h) == 8 else 1.0
            return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255, a)
        m = re.fullmatch(r"(rgba?|alpha|mix)\((.*)\)", v, flags=re.S)
        if m:
            args = [a.strip() for a in split_top(m.group(2), ",")]
            if m.group(1) == "alpha" and len(args) == 2:
                c = self.color(args[0], depth + 1)
                if isinstance(c, str):
                    raise Unmeasurable("alpha() of %s" % args[0])
                return c[:3] + (c[3] * float(args[1]),)
            if m.group(1) == "mix" and len(args) == 3:
                a, b, f = self.color(args[0], depth + 1), self.color(args[1], depth + 1), float(args[2])
                if isinstance(a, str) or isinstance(b, str):
                    raise Unmeasurable("mix() of a keyword")
                return tuple(x * (1 - f) + y * f for x, y in zip(a, b))
            if m.group(1) in ("rgb", "rgba"):
                if len(args) == 1:  # rgb(r g b / a)
                    args = [a for a in re.split(r"[\s/]+", args[0]) if a]
                if len(args) not in (3, 4):
                    raise Unmeasurable("bad colour %s" % v)
                ch = [float(a[:-1]) / 100 if a.endswith("%") else float(a) / 255 for a in args[:3]]
                alpha = 1.0
                if len(args) == 4:
                    alpha = float(args[3][:-1]) / 100 if args[3].endswith("%") else float(args[3])
                return tuple(max(0.0, min(1.0, c)) for c in ch) + (max(0.0, min(1.0, alpha)),)
        raise Unmeasurable("cannot measure colour %r (use #rrggbb, rgb() or rgba())" % v)


# ---------------------------------------------------------------- colour maths

def linear(c):
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(rgb):
    r, g, b = (linear(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a, b):
    la, lb = luminance(a), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def over(top, under):
    """Alpha-composites top over an opaque colour."""
    a = top[3]
    return tuple(t * a + u * (1 - a) for t, u in zip(top[:3], under[:3])) + (1.0,)


def hexc(c):
    s = "#%02x%02x%02x" % tuple(round(x * 255) for x in c[:3])
    return s if len(c) < 4 or c[3] >= 0.999 else "%s@%.2f" % (s, c[3])


# ---------------------------------------------------------------- cascade

def compound_matches(c, n):
    return ((c.type is None or c.type == n.type) and c.classes <= n.classes
            and c.states <= n.states and not c.ids)


def selector_matches(sel, path):
    parts = sel.parts

    def m(pi, ni):
        if not compound_matches(parts[pi][1], path[ni]):
            return False
        if pi == 0:
            return True
        if parts[pi][0] == ">":
            return ni > 0 and m(pi - 1, ni - 1)
        return any(m(pi - 1, k) for k in range(ni - 1, -1, -1))

    return m(len(parts) - 1, len(path) - 1)


def parse_length(value, font_px, root_px, allow_number=False):
    v = value.strip().lower()
    if v in ("0", "none", "auto"):
        return 0.0
    if v in ("thin", "medium", "thick"):
        return {"thin": 1.0, "medium": 3.0, "thick": 5.0}[v]
    m = re.fullmatch(r"(-?[\d.]+)(px|em|rem|pt|%)?", v)
    if not m:
        raise Unmeasurable("cannot read length %r" % value)
    n, unit = float(m.group(1)), m.group(2)
    if unit == "px":
        return n
    if unit == "em":
        return n * font_px
    if unit == "rem":
        return n * root_px
    if unit == "pt":
        return n * 96 / 72
    if unit == "%":
        return n / 100 * font_px
    if n == 0 or allow_number:
        return n
    raise Unmeasurable("length %r has no unit" % value)


class Style:
    """Computed values of one element, with the rule each came from."""


class Cascade:
    def __init__(self, sheet):
        self.sheet = sheet
        self.cache = {}

    def winners(self, path):
        out = {}
        for rule in self.sheet.rules:
            best = None
            for sel in rule.selectors:
                if (best is None or sel.spec > best.spec) and selector_matches(sel, path):
                    best = sel
            if best is None:
                continue
            for prop, decl in rule.decls.items():
                key = (decl.important, best.spec, rule.order)
                if prop not in out or key >= out[prop][0]:
                    out[prop] = (key, decl.value, rule, best)
        return out

    def style(self, path):
        path = tuple(path)
        if path in self.cache:
            return self.cache[path]
        parent = self.style(path[:-1]) if len(path) > 1 else None
        w = self.winners(path)
        s = Style()
        s.path, s.winners, s.parent = path, w, parent
        root_px = self.style(path[:1]).font_px if parent else None

        def val(prop):
            return w[prop][1] if prop in w else None

        # font-size (relative to the parent's)
        fs = val("font-size")
        if fs is None or fs.strip().lower() == "inherit":
            if parent is None:
                raise Unmeasurable("the window sets no font-size")
            s.font_px = parent.font_px
        else:
            low = fs.strip().lower()
            base = parent.font_px if parent else BODY_PX
            if low == "larger":
                s.font_px = base * 1.2
            elif low == "smaller":
                s.font_px = base / 1.2
            elif re.fullmatch(r"[a-z-]+", low):
                raise Unmeasurable("font-size keyword %r" % fs)
            else:
                s.font_px = parse_length(fs, base, root_px or base)
        root_px = root_px or s.font_px
        # line-height: a number is inherited as a factor, a length as a length
        lh = val("line-height")
        if lh is None or lh.strip().lower() == "inherit":
            s.line_height = parent.line_height if parent else None
        else:
            low = lh.strip().lower()
            if low == "normal":
                s.line_height = ("normal", 0)
            elif re.fullmatch(r"[\d.]+", low):
                s.line_height = ("factor", float(low))
            else:
                s.line_height = ("px", parse_length(lh, s.font_px, root_px))
        # color (inherited)
        c = val("color")
        col = self.sheet.color(c) if c is not None else "inherit"
        if isinstance(col, str):
            if parent is None:
                raise Unmeasurable("the window sets no color")
            s.color, s.color_rule = parent.color, parent.color_rule
        else:
            s.color, s.color_rule = col, w["color"][2]
        # background (not inherited)
        b = val("background-color")
        bg = self.sheet.color(b) if b is not None else NAMED_COLORS["transparent"]
        if bg == "inherit":
            bg = parent.bg if parent else NAMED_COLORS["transparent"]
        elif bg == "currentcolor":
            bg = s.color
        s.bg = bg
        s.bg_rule = w["background-color"][2] if b is not None and bg[3] > 0 else None
        if parent is None:
            if bg[3] < 0.999:
                raise Unmeasurable("the window's background-color must be opaque")
            s.eff_bg = bg
        else:
            s.eff_bg = over(bg, parent.eff_bg)
        # box model
        s.padding = [parse_length(val("padding-" + d) or "0", s.font_px, root_px) for d in SIDES]
        s.border = []
        for d in SIDES:
            width = parse_length(val("border-%s-width" % d) or "0", s.font_px, root_px)
            style = (val("border-%s-style" % d) or "none").lower()
            bc = val("border-%s-color" % d)
            bcol = self.sheet.color(bc) if bc is not None else "currentcolor"
            if isinstance(bcol, str):
                bcol = s.color
            if style in ("none", "hidden"):
                width = 0.0
            s.border.append((width, bcol, w.get("border-%s-color" % d, (None, None, None))[2]))
        s.min_w = parse_length(val("min-width") or "0", s.font_px, root_px)
        s.min_h = parse_length(val("min-height") or "0", s.font_px, root_px)
        s.box_shadow = val("box-shadow") or "none"
        s.outline = (val("outline-style") or "none", val("outline-width") or "medium",
                     val("outline-color") or "currentColor", val("outline-offset") or "0")
        self.cache[path] = s
        return s


def ring_bands(sheet, s):
    """The focus ring outside the border box: [(colour, width_px)], outermost last."""
    bands, covered = [], 0.0
    if s.outline[0].lower() not in ("none", "hidden"):
        off = parse_length(s.outline[3], s.font_px, s.font_px)
        width = parse_length(s.outline[1], s.font_px, s.font_px)
        col = sheet.color(s.outline[2])
        if isinstance(col, str):
            col = s.color
        if off >= 0 and width > 0:
            bands.append((col, off, off + width))
    shadows = []
    if s.box_shadow.strip().lower() != "none":
        for part in split_top(s.box_shadow, ","):
            toks = tokens(part)
            if "inset" in toks:
                continue
            col = [t for t in toks if is_color_token(t)]
            lens = [parse_length(t, s.font_px, s.font_px) for t in toks if not is_color_token(t)]
            if len(lens) < 2 or not col:
                raise Unmeasurable("cannot read box-shadow %r" % part)
            blur = lens[2] if len(lens) > 2 else 0.0
            spread = lens[3] if len(lens) > 3 else 0.0
            c = sheet.color(col[0])
            if isinstance(c, str):
                c = s.color
            if lens[0] == 0 and lens[1] == 0 and blur == 0 and spread > 0:
                shadows.append((c, spread))
    # GTK 4.8 paints the shadows in list order, so the LAST one is on top
    # (the CSS spec has the first on top): each shadow shows only beyond
    # the spread of those listed after it.
    painted = sorted(bands, key=lambda b: b[1])
    for c, spread in reversed(shadows):
        if spread > covered:
            painted.append((c, covered, spread))
            covered = spread
    painted.sort(key=lambda b: (b[1], b[2]))
    return [(c, hi - lo) for c, lo, hi in painted]


# ---------------------------------------------------------------- element paths

def path_from_selector_text(text):
    """A path with explicit element names (used for C_BUILT)."""
    sel = parse_selector(text)
    return tuple(node(c.type or "box", c.classes, c.states) for _, c in sel.parts)


def paths_from_selector(sel):
    parts = list(sel.parts)
    first = parts[0][1]
    if first.type == "window":
        root = node("window", (first.classes | {"linli"}) - {"high-contrast"}, first.states)
        parts = parts[1:]
    else:
        root = node("window", {"linli"})
    prefix = [root]
    for _, c in parts[:-1]:
        prefix.append(node(c.type or "box", c.classes, c.states))
    out = []
    if parts:
        c = parts[-1][1]
        for t in ([c.type] if c.type else ["label", "box"]):
            out.append(tuple(prefix) + (node(t, c.classes, c.states),))
    else:
        out.append((root,))
    return out


def scan_c_types(ui_dir):
    """Parent classes and CSS names of the program's own widget types."""
    parents, css_names = {}, {}
    for f in sorted(glob.glob(os.path.join(ui_dir, "*.c"))):
        with open(f, encoding="utf-8") as fh:
            src = fh.read()
        for m in re.finditer(r"G_DEFINE_(?:FINAL_)?TYPE(?:_WITH_PRIVATE|_WITH_CODE)?\s*\(\s*(\w+)\s*,"
                             r"\s*\w+\s*,\s*(\w+)", src):
            macro = m.group(2)
            if macro.startswith("GTK_TYPE_"):
                parent = GTK_TYPE_MACROS.get(macro[len("GTK_TYPE_"):], "Gtk?")
            else:  # LINLI_TYPE_FOO_BAR -> LinliFooBar
                prefix, _, rest = macro.partition("_TYPE_")
                parent = prefix.title() + "".join(w.title() for w in rest.split("_"))
            parents[m.group(1)] = parent
            cm = re.search(r'gtk_widget_class_set_css_name\s*\([^,]+,\s*"([\w-]+)"', src)
            if cm:
                css_names[m.group(1)] = cm.group(1)
    return parents, css_names


def ui_paths(ui_dir):
    templates = {}
    for f in sorted(glob.glob(os.path.join(ui_dir, "*.ui"))):
        try:
            tree = ET.parse(f)
        except ET.ParseError as e:
            raise Unmeasurable("%s: %s" % (f, e))
        for t in tree.getroot().iter("template"):
            templates[t.get("class")] = (t.get("parent"), t)
    c_parents, css_names = scan_c_types(ui_dir)
    used = set()
    for _, t in templates.values():
        for o in t.iter("object"):
            used.add(o.get("class"))

    def css_name(gtype, depth=0):
        if depth > 20:
            return "widget"
        if gtype in css_names:
            return css_names[gtype]
        if gtype in GTK_NODES:
            return GTK_NODES[gtype]
        if gtype in templates:
            return css_name(templates[gtype][0], depth + 1)
        if gtype in c_parents:
            return css_name(c_parents[gtype], depth + 1)
        return "widget"

    def contributions(gtype, elem):
        elems = [elem] if elem is not None else []
        gt, seen = gtype, set()
        while gt in templates and gt not in seen:
            seen.add(gt)
            elems.append(templates[gt][1])
            gt = templates[gt][0]
        return elems

    def walk(gtype, elem, prefix):
        elems = contributions(gtype, elem)
        classes, children, props = set(), [], {}
        for e in elems:
            for st in e.findall("style"):
                classes |= {c.get("name") for c in st.findall("class")}
            for p in e.findall("property"):
                props[p.get("name")] = p.text
            for ch in e.findall("child"):
                if ch.get("internal-child"):
                    continue
                children += ch.findall("object")
        n = node(css_name(gtype), classes)
        if n.type == "window":
            n = node("window", classes | {"linli"})
        path = prefix + (n,)
        yield path
        if n.type in ("button", "checkbutton") and not children:
            yield path + (node("label"),)  # its label, from "label" or set in C
        for o in children:
            yield from walk(o.get("class"), o, path)

    window = node("window", {"linli"})
    out = []
    for cls, (parent, t) in templates.items():
        if cls in used:
            continue
        if css_name(parent) == "window":
            out += [p for p in walk(cls, None, ())]
        else:
            out += [p for p in walk(cls, None, (window,))]
    return out


def with_theme(path, hc):
    root = path[0]
    classes = set(root.classes) | {"linli", "text-size-1"}
    if hc:
        classes.add("high-contrast")
    else:
        classes.discard("high-contrast")
    return (node(root.type, classes, root.states),) + tuple(path[1:])


def add_state(path, i, state):
    n = path[i]
    return path[:i] + (node(n.type, n.classes, n.states | {state}),) + path[i + 1:]


def focus(path, i):
    """path with its element i focused from the keyboard (GTK 4.8 flags)."""
    own = FOCUS_ANCESTOR if path[i].type in HOLDS_FOCUS_IN_CHILD else FOCUSED
    out = []
    for k, n in enumerate(path):
        extra = own if k == i else FOCUS_ANCESTOR if k < i else ()
        out.append(node(n.type, n.classes, n.states | set(extra)))
    return tuple(out)


def is_focused(path):
    n = path[-1]
    if n.type in HOLDS_FOCUS_IN_CHILD:
        return "focus-within" in n.states
    return "focus" in n.states


def build_paths(sheet, ui_dir):
    real = set()
    for rule in sheet.rules:
        for sel in rule.selectors:
            for p in paths_from_selector(sel):
                real.add(p)
                if p[-1].type not in TEXT_TYPES:
                    real.add(p + (node("label"),))
    for text in C_BUILT:
        real.add(path_from_selector_text(text))
    if ui_dir:
        try:
            real |= set(ui_paths(ui_dir))
        except Unmeasurable as e:
            sheet.problems.append(("parse", str(e)))
    # every prefix is an element too
    for p in list(real):
        for k in range(1, len(p)):
            real.add(p[:k])
    # state variants of the innermost actionable element
    variants = set()
    for p in real:
        idx = [i for i, n in enumerate(p) if n.type in ACTIONABLE]
        if not idx:
            continue
        i = idx[-1]
        for st in EXTRA_STATES:
            variants.add(add_state(p, i, st))
        variants.add(focus(p, i)[:i + 1])
    return real | variants


# ---------------------------------------------------------------- checks

class Report:
    def __init__(self):
        self.problems = collections.OrderedDict()  # key -> (check, message)
        self.minimum = {}  # (theme, kind) -> (ratio, text)
        self.pairs = {}  # (theme, kind, fg, bg) -> (ratio, example)

    def fail(self, check, key, message):
        self.problems.setdefault((check, key), (check, message))

    def measure(self, theme, kind, value, fg, bg, example):
        k = (theme, kind, hexc(fg), hexc(bg))
        self.pairs.setdefault(k, (value, example))
        cur = self.minimum.get((theme, kind))
        if cur is None or value < cur[0]:
            self.minimum[(theme, kind)] = (value, "%s on %s (%s)" % (hexc(fg), hexc(bg), example))


def rule_ref(rule, sel=None):
    if rule is None:
        return "(no rule: the GTK theme's value)"
    return "line %d `%s`" % (rule.line, sel.text if sel else rule.selectors[0].text)


def check_paths(sheet, paths, report):
    cascade = Cascade(sheet)
    body = None
    surfaces = set()
    for theme, hc in THEMES:
        for raw in sorted(paths, key=lambda p: (len(p), describe(p))):
            path = with_theme(raw, hc)
            try:
                s = cascade.style(path)
            except Unmeasurable as e:
                report.fail("parse", ("style", describe(path), str(e)), "%s: %s" % (describe(path), str(e)))
                continue
            body = body or cascade.style(path[:1]).font_px
            where = describe(path)
            subject = path[-1]
            outside = s.parent.eff_bg if s.parent else s.eff_bg
            if subject.type in TEXT_TYPES:
                fg = over(s.color, s.eff_bg)
                r = ratio(fg, s.eff_bg)
                report.measure(theme, "text", r, fg, s.eff_bg, where)
                if r < TEXT_RATIO:
                    bg_from = next((x.bg_rule for x in reversed(_chain(s)) if x.bg_rule), None)
                    report.fail("contrast", (theme, hexc(fg), hexc(s.eff_bg), rule_ref(s.color_rule)),
                                "%s: text %s on %s is %.2f:1, needs %.0f:1 (colour from %s, background "
                                "from %s)" % (where, hexc(fg), hexc(s.eff_bg), r, TEXT_RATIO,
                                             rule_ref(s.color_rule), rule_ref(bg_from)))
                # font size and line height
                if s.font_px + 1e-6 < body:
                    report.fail("font-size", (where,), "%s: text is %.1f px, below the body size "
                                "%.0f px" % (where, s.font_px, body))
                lh = s.line_height
                if lh is None or lh[0] == "normal":
                    report.fail("line-height", (theme, "missing"), "%s: no line-height (GTK's "
                                "'normal' depends on the font): set one >= %.1f" % (where, LINE_HEIGHT))
                else:
                    f = lh[1] if lh[0] == "factor" else lh[1] / s.font_px
                    if f + 1e-6 < LINE_HEIGHT:
                        report.fail("line-height", (where,), "%s: line height %.2f x its %.1f px "
                                    "font, needs >= %.1f" % (where, f, s.font_px, LINE_HEIGHT))
            if s.bg_rule is not None and subject.type not in ACTIONABLE | TEXT_TYPES:
                surfaces.add(raw)
            if subject.type in ACTIONABLE:
                check_actionable(sheet, theme, path, s, outside, report)
            if hc:
                check_hc_origin(cascade, path, report)
    # Focus rings on every focusable kind of widget, on every surface.
    for theme, hc in THEMES:
        for raw in sorted(surfaces | {(node("window", {"linli"}),)}, key=describe):
            for t in sorted(ACTIONABLE):
                probe = with_theme(focus(raw + (node(t),), len(raw)), hc)
                s = cascade.style(probe)
                check_focus(sheet, theme, probe, s, s.parent.eff_bg, report)
                check_focus_ancestors(sheet, cascade, probe, report)
    return body


def _chain(s):
    out = []
    while s is not None:
        out.append(s)
        s = s.parent
    return list(reversed(out))


def check_actionable(sheet, theme, path, s, outside, report):
    where = describe(path)
    if is_focused(path):
        check_focus(sheet, theme, path, s, outside, report)
    # boundary against the surroundings (WCAG 1.4.11)
    visible = [b for b in s.border if b[0] > 0]
    if visible:
        for width, col, rule in visible:
            c = over(col, outside)
            r = ratio(c, outside)
            report.measure(theme, "border", r, c, outside, where)
            if r < NON_TEXT_RATIO:
                report.fail("non-text", (theme, hexc(c), hexc(outside), rule_ref(rule)),
                            "%s: border %s on %s is %.2f:1, needs %.0f:1 (%s)"
                            % (where, hexc(c), hexc(outside), r, NON_TEXT_RATIO, rule_ref(rule)))
    else:
        r = ratio(s.eff_bg, outside)
        report.measure(theme, "border", r, s.eff_bg, outside, where)
        if r < NON_TEXT_RATIO:
            report.fail("non-text", (theme, where), "%s: no border, and its fill %s on %s is "
                        "%.2f:1, needs %.0f:1" % (where, hexc(s.eff_bg), hexc(outside), r, NON_TEXT_RATIO))
    if s.bg_rule is None and "background-color" not in s.winners:
        report.fail("surface", (path[-1].type, tuple(sorted(path[-1].classes))),
                    "%s: no background-color from this stylesheet (the GTK theme's would show, "
                    "unmeasured)" % where)
    # target size (a lower bound; the ui suite measures the real extents)
    h = s.min_h + s.padding[0] + s.padding[2] + s.border[0][0] + s.border[2][0]
    w = s.min_w + s.padding[1] + s.padding[3] + s.border[1][0] + s.border[3][0]
    if h + 1e-6 < TARGET_PX or w + 1e-6 < TARGET_PX:
        report.fail("target", tuple((n.type, n.classes) for n in path),
                    "%s: minimum size %.0f x %.0f px, needs %.0f x %.0f px (min-width/min-height "
                    "+ padding + border)" % (where, w, h, TARGET_PX, TARGET_PX))


def check_focus(sheet, theme, path, s, outside, report):
    where = describe(path)
    try:
        bands = ring_bands(sheet, s)
    except Unmeasurable as e:
        report.fail("focus", (where, str(e)), "%s: %s" % (where, e))
        return
    bands = [(over(c, outside), w) for c, w in bands]
    ok_two_tone = any(ratio(a[0], b[0]) >= TWO_TONE_RATIO for a, b in zip(bands, bands[1:]))
    visible = [(ratio(c, outside), c, w) for c, w in bands if w + 1e-6 >= FOCUS_BAND_PX]
    best = max(visible, default=(0.0, None, 0.0), key=lambda x: x[0])
    if best[1] is not None:
        report.measure(theme, "focus", best[0], best[1], outside, where)
    if not ok_two_tone or best[0] < NON_TEXT_RATIO:
        desc = ", ".join("%s %.0fpx" % (hexc(c), w) for c, w in bands) or "none"
        report.fail("focus", (theme, desc, hexc(outside)),
                    "%s: focus ring [%s] on %s: needs two adjacent bands >= %.0f:1 apart and one "
                    "band >= %.0f px at >= %.0f:1 against the background" % (
                        where, desc, hexc(outside), TWO_TONE_RATIO, FOCUS_BAND_PX, NON_TEXT_RATIO))


def check_focus_ancestors(sheet, cascade, path, report):
    for k in range(1, len(path) - 1):
        s = cascade.style(path[:k + 1])
        try:
            bands = ring_bands(sheet, s)
        except Unmeasurable:
            bands = []
        if bands:
            where = describe(path[:k + 1])
            report.fail("focus", ("ancestor", where), "%s: draws a focus ring because a widget "
                        "inside it has the focus (%s); GTK 4.8 sets :focus-visible on every "
                        "ancestor, so select the focus widget with :focus:focus-visible"
                        % (where, describe(path[-1:])))


def check_hc_origin(cascade, path, report):
    s = cascade.style(path)
    for prop in COLOR_PROPS:
        if prop not in s.winners:
            continue
        _, value, rule, sel = s.winners[prop]
        v = value.strip().lower()
        if v in ("inherit", "currentcolor", "transparent", "none", "unset", "initial"):
            continue
        if any("high-contrast" in c.classes for _, c in sel.parts):
            continue
        report.fail("high-contrast", (rule.line, prop),
                    "%s: in high contrast, %s: %s still comes from the default theme (%s); add a "
                    "window.linli.high-contrast rule for it" % (describe(path), prop, value,
                                                                rule_ref(rule, sel)))


def check_font_declarations(sheet, body, report):
    for line, prelude, value in sheet.font_sizes:
        v = value.strip().lower()
        m = re.fullmatch(r"([\d.]+)(px|pt|em|rem|%)", v)
        small = v in ("xx-small", "x-small", "small", "smaller")
        if m:
            n, unit = float(m.group(1)), m.group(2)
            px = {"px": n, "pt": n * 96 / 72}.get(unit)
            rel = {"em": n, "rem": n, "%": n / 100}.get(unit)
            small = small or (px is not None and px + 1e-6 < body) or (rel is not None and rel < 1)
        if small:
            report.fail("font-size", (line,), "line %d `%s`: font-size %s is below the body size "
                        "(%.0f px, 1em)" % (line, prelude, value, body))


def run_checks(css_text, ui_dir):
    sheet = Sheet(css_text)
    report = Report()
    paths = build_paths(sheet, ui_dir)
    for check, message in sheet.problems:
        report.fail(check, (message,), message)
    try:
        body = check_paths(sheet, paths, report)
    except Unmeasurable as e:
        report.fail("parse", (str(e),), str(e))
        body = BODY_PX
    if body is not None and body + 1e-6 < BODY_PX:
        report.fail("font-size", ("body",), "the window's font-size is %.1f px, below the reference "
                    "%.0f px" % (body, BODY_PX))
    check_font_declarations(sheet, body or BODY_PX, report)
    return report, len(paths)


# Known-bad additions: each must make the named check fail.
MUTATIONS = (
    ("contrast", "grey button text (#888888 on #ffffff)",
     "window.linli button { color: #888888; }"),
    ("contrast", "a translucent card (rgba over the scrim)",
     "window.linli .timeout-card { background-color: rgba(255, 255, 255, 0.3); }"),
    ("contrast", "a label in the dark bar taking the page's text colour",
     "window.linli .a11y-bar label { color: #1b1b1b; }"),
    ("non-text", "a pale button border", "window.linli button { border-color: #eeeeee; }"),
    ("focus", "a thin one-colour focus ring",
     "window.linli *:focus:focus-visible { box-shadow: 0 0 0 2px #000000 !important; }"),
    ("focus", "a ring in the CSS spec's shadow order (GTK 4.8 paints the last on top)",
     "window.linli *:focus:focus-visible "
     "{ box-shadow: 0 0 0 5px #ffd400, 0 0 0 10px #000000 !important; }"),
    ("focus", "a ring on every ancestor of the focus widget",
     "window.linli box:focus-visible { box-shadow: 0 0 0 5px #ffd400, 0 0 0 10px #000000; }"),
    ("font-size", "small print", ".place { font-size: 0.8em; }"),
    ("line-height", "tight lines", "window.linli label { line-height: 1.1em; }"),
    ("target", "a small button", "window.linli button { min-height: 1em; min-width: 1em; }"),
    ("high-contrast", "a bright panel with no high-contrast counterpart",
     "window.linli .sentinel-panel { background-color: #fafafa; color: #000000; }"),
    ("parse", "an unknown property", "window.linli { colour: #000000; }"),
)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("css")
    ap.add_argument("--ui-dir", help="directory of the GtkBuilder .ui files (and their .c files)")
    ap.add_argument("--list", action="store_true", help="print every measured pair")
    ap.add_argument("--no-self-check", action="store_true")
    args = ap.parse_args()
    with open(args.css, encoding="utf-8") as f:
        css = f.read()

    report, n_paths = run_checks(css, args.ui_dir)
    print("check-css: %s, %d element paths x %d themes" % (args.css, n_paths, len(THEMES)))
    if args.list:
        for (theme, kind, fg, bg), (r, example) in sorted(report.pairs.items()):
            print("  %-13s %-6s %s on %s  %5.2f:1  %s" % (theme, kind, fg, bg, r, example))
    for theme, _ in THEMES:
        for kind, need in (("text", TEXT_RATIO), ("border", NON_TEXT_RATIO), ("focus", NON_TEXT_RATIO)):
            m = report.minimum.get((theme, kind))
            if m:
                print("  %-13s minimum %-6s %5.2f:1 (needs %.0f:1): %s" % (theme, kind, m[0], need, m[1]))
    failed = bool(report.problems)
    for check, message in report.problems.values():
        print("FAIL [%s] %s" % (check, message))

    if not args.no_self_check:
        for check, what, extra in MUTATIONS:
            bad, _ = run_checks(css + "\n" + extra + "\n", args.ui_dir)
            new = [p for k, p in bad.problems.items() if k not in report.problems and p[0] == check]
            if new:
                print("  self-check: %s -> caught by [%s]" % (what, check))
            else:
                failed = True
                print("FAIL [self-check] the checker did not notice %s (%s)" % (what, extra))
    print("check-css: %s" % ("FAILED" if failed else "all checks passed"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
