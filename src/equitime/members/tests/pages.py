"""Checks that a page (ours, or one of allauth's that we restyle) sits in our
layout, is labelled, and keeps to the content security policy."""

import re
from html.parser import HTMLParser


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.h1: list[str] = []
        self.labels_for: set[str] = set()
        self.controls: list[dict] = []
        self.inline_scripts: list[dict] = []
        self.styled: list[str] = []
        self.event_handlers: list[str] = []
        self.images: list[dict] = []
        self._in_h1 = False
        self._in_label_without_for = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "style" in attributes:
            self.styled.append(tag)
        self.event_handlers += [name for name in attributes if name.startswith("on")]
        if tag == "h1":
            self._in_h1 = True
            self.h1.append("")
        elif tag == "label":
            if attributes.get("for"):
                self.labels_for.add(attributes["for"])
            else:
                self._in_label_without_for += 1
        elif tag in {"input", "select", "textarea"}:
            kind = attributes.get("type", "text")
            if kind not in {"hidden", "submit", "button"}:
                self.controls.append({**attributes, "_wrapped": self._in_label_without_for > 0})
        elif tag == "script" and not attributes.get("src"):
            self.inline_scripts.append(attributes)
        elif tag == "style":
            self.styled.append("style")
        elif tag == "img":
            self.images.append(attributes)

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False
        elif tag == "label" and self._in_label_without_for:
            self._in_label_without_for -= 1

    def handle_data(self, data):
        if self._in_h1:
            self.h1[-1] += data


def assert_in_our_layout(response, *, h1: str | None = None) -> _Page:
    """One labelled page in base.html: skip link, main landmark, one h1, every
    control labelled, no inline style or executable inline script."""
    html = response.content.decode()
    assert 'class="skip-link"' in html and '<main id="main"' in html, "not in base.html"
    assert 'class="site-footer"' in html
    page = _Page()
    page.feed(html)
    assert len(page.h1) == 1, f"expected one h1, found {page.h1}"
    heading = " ".join(page.h1[0].split())
    if h1 is not None:
        assert heading == h1, heading
    for control in page.controls:
        labelled = (
            control.get("id") in page.labels_for
            or control["_wrapped"]
            or control.get("aria-label")
            or control.get("aria-labelledby")
        )
        assert labelled, f"unlabelled control {control}"
    assert page.styled == [], "inline style breaks style-src 'self'"
    assert page.event_handlers == [], "inline event handlers break script-src 'self'"
    # Only data blocks may be inline: the CSP lets no inline code run.
    for script in page.inline_scripts:
        assert script.get("type") == "application/json", f"inline script {script}"
    policy = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    return page


def csp_allows_data_images(response) -> bool:
    policy = response.headers.get("Content-Security-Policy", "")
    match = re.search(r"img-src ([^;]*)", policy)
    return match is not None and "data:" in match.group(1).split()
