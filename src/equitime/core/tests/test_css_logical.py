"""Every side our styles name is a logical one, so an Arabic page (``dir="rtl"``)
mirrors itself: ``margin-inline-start`` rather than ``margin-left``,
``text-align: start`` rather than ``left``, ``inset-inline-end`` rather than
``right``. A physical side is allowed only where the allowlist below says why.

The scan reads every stylesheet under ``src/equitime/*/static``, the inline
``style`` attributes of the templates (the CSP forbids them, so there should
be none) and the scripts that set a style."""

import re
from pathlib import Path

import pytest

import equitime

PACKAGE = Path(equitime.__file__).resolve().parent
STYLESHEETS = sorted(PACKAGE.glob("*/static/**/*.css"))
SCRIPTS = sorted(PACKAGE.glob("*/static/**/*.js"))
TEMPLATES = sorted(PACKAGE.rglob("templates/**/*.html"))

SIDE = r"(?:left|right)"
# Property names that name a physical side.
PHYSICAL_PROPERTY = re.compile(
    rf"^(?:{SIDE}"
    rf"|(?:margin|padding|border|scroll-margin|scroll-padding)-{SIDE}(?:-[a-z]+)?"
    rf"|border-(?:top|bottom)-{SIDE}-radius)$"
)
# Values that name one, for the properties where that matters.
PHYSICAL_VALUE = {
    "text-align": re.compile(rf"^{SIDE}\b"),
    "text-align-last": re.compile(rf"^{SIDE}\b"),
    "float": re.compile(rf"^{SIDE}\b"),
    "clear": re.compile(rf"^{SIDE}\b"),
    "justify-self": re.compile(rf"\b{SIDE}\b"),
    "justify-items": re.compile(rf"\b{SIDE}\b"),
    "justify-content": re.compile(rf"\b{SIDE}\b"),
    "background-position": re.compile(rf"\b{SIDE}\b"),
    "background-position-x": re.compile(r".+"),
    "transform-origin": re.compile(rf"\b{SIDE}\b"),
}

# Physical sides kept on purpose: (property, value) -> why.
ALLOWED = {
    ("border-right", "2px solid currentColor"): (
        "a down-pointing caret (the account menu's, the filters'): two sides of a "
        "square turned 45 degrees, a shape that points down in either direction"
    ),
}

DECLARATION = re.compile(r"(?:^|[{;])\s*(-?[a-z][a-z-]*)\s*:\s*([^;{}]+?)\s*(?=[;}])")
COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def declarations(css: str) -> list[tuple[str, str]]:
    return [(p.lower(), v.strip()) for p, v in DECLARATION.findall(COMMENT.sub("", css))]


def _top_level_split(value: str, separator: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in value:
        depth += char == "("
        depth -= char == ")"
        if char == separator and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def physical(prop: str, value: str) -> str | None:
    """Why the declaration names a physical side, or None."""
    if PHYSICAL_PROPERTY.match(prop):
        return "a physical side in its name"
    pattern = PHYSICAL_VALUE.get(prop)
    if pattern is not None and pattern.search(value):
        return "a physical side in its value"
    words = _top_level_split(value.replace("!important", "").strip(), " ")
    words = [w for w in words if w]
    four_sides = {"margin", "padding", "inset", "scroll-margin", "scroll-padding"}
    if prop in four_sides and len(words) == 4 and words[1] != words[3]:
        return "four values with different left and right"
    if prop == "border-radius" and "/" not in value and len(set(words)) > 1:
        return "corners named by position (use border-start-start-radius...)"
    if prop == "box-shadow":
        for shadow in _top_level_split(value, ","):
            lengths = [m for w in shadow.split() if (m := re.match(r"^-?[\d.]+", w))]
            if lengths and float(lengths[0].group()) != 0:
                return "a shadow thrown to one side"
    return None


def faults(css: str) -> list[str]:
    return [
        f"{prop}: {value} ({why})"
        for prop, value in declarations(css)
        if (why := physical(prop, value)) and (prop, value) not in ALLOWED
    ]


def test_the_scan_finds_stylesheets():
    assert any(path.name == "equitime.css" for path in STYLESHEETS)


@pytest.mark.parametrize(
    "path", STYLESHEETS, ids=[str(p.relative_to(PACKAGE)) for p in STYLESHEETS]
)
def test_stylesheets_name_no_physical_side(path):
    assert faults(path.read_text(encoding="utf-8")) == [], (
        f"{path.relative_to(PACKAGE)}: use the logical property (inline-start/end, "
        "text-align: start/end, inset-inline-*), or add it to ALLOWED with a reason"
    )


def test_every_allowed_side_is_still_used():
    """An allowlist entry whose declaration is gone is removed with it."""
    used = {d for path in STYLESHEETS for d in declarations(path.read_text(encoding="utf-8"))}
    assert set(ALLOWED) <= used


@pytest.mark.parametrize(
    ("css", "expected"),
    [
        pytest.param(".a { margin-left: 1rem; }", 1, id="margin-left"),
        pytest.param(".a { padding-right: 0 }", 1, id="padding-right"),
        pytest.param(".a { border-left-color: red; }", 1, id="border-left-color"),
        pytest.param(".a { position: absolute; left: 0; right: 0; }", 2, id="offsets"),
        pytest.param(".a { text-align: right; }", 1, id="text-align"),
        pytest.param(".a { float: left; }", 1, id="float"),
        pytest.param(".a { margin: 0 0 0 1rem; }", 1, id="four-values"),
        pytest.param(".a { border-radius: 6px 0 0 6px; }", 1, id="corners"),
        pytest.param(".a { box-shadow: inset 4px 0 0 #fff; }", 1, id="side-shadow"),
        pytest.param(".a { border-top-left-radius: 4px; }", 1, id="corner"),
        pytest.param(".a:hover { margin: 0 1rem; padding: 1px 2px 3px 2px; }", 0, id="symmetric"),
        pytest.param(".a { margin-inline-start: 1rem; text-align: start; }", 0, id="logical"),
        pytest.param(".a { box-shadow: 0 1px 2px rgb(0 0 0 / 6%); }", 0, id="shadow-below"),
        pytest.param("/* margin-left: 1rem; */ .a { top: 0; }", 0, id="comment"),
    ],
)
def test_the_scan_knows_a_physical_side(css, expected):
    assert len(faults(css)) == expected


INLINE_STYLE = re.compile(r"""\sstyle\s*=\s*["']([^"']*)["']""")


def test_templates_have_no_inline_physical_side():
    found = [
        f"{path.relative_to(PACKAGE)}: {fault}"
        for path in TEMPLATES
        for style in INLINE_STYLE.findall(path.read_text(encoding="utf-8"))
        for fault in faults("{" + style + "}")
    ]
    assert found == []


SCRIPT_SIDE = re.compile(
    r"\.style\.(?:left|right|(?:margin|padding|border)(?:Left|Right)\w*|textAlign|cssFloat)\b"
    r"|setProperty\(\s*[\"'](?:left|right|(?:margin|padding|border)-(?:left|right)[\w-]*)[\"']"
)


def test_scripts_set_no_physical_side():
    found = [
        f"{path.relative_to(PACKAGE)}: {match.group()}"
        for path in SCRIPTS
        for match in SCRIPT_SIDE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_pictures_keep_their_own_direction():
    """The charts and the network picture are drawn in their own left-to-right
    coordinates; in an Arabic page their text would otherwise inherit ``rtl``
    and anchor to the other side (equitime.css says more)."""
    css = (PACKAGE / "core/static/equitime/equitime.css").read_text(encoding="utf-8")
    assert re.search(r"\.chart, \.network-chart__svg \{ direction: ltr; \}", css)
