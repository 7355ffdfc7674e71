"""Every destructive action asks first, and always the same way: the page that lists a thing
only links to the action; the action's own page (web/confirm.html, or a page extending it)
says what is lost and carries the one form that posts it.

The guard reads every template, so a new delete, remove, withdraw, revoke or close button
posted straight from a list fails here until it goes through a confirmation page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from backbone.web.confirm import Confirmation, confirm_page

ROOT = Path(__file__).resolve().parents[2] / "backbone"
CONFIRM_TEMPLATE = "web/confirm.html"
DESTRUCTIVE = re.compile(r"\b(delete|remove|withdraw|revoke|discard|erase|destroy|close)", re.I)

# Posted straight from their page on purpose, each with the reason it needs no confirmation.
REVERSIBLE = {
    # a period closed by mistake is reopened with the button that takes its place
    ("measurement/setup/_period_table.html", "close"),
}


@dataclass
class PostForm:
    template: str
    line: int
    words: list[str] = field(default_factory=list)  # action, buttons, hidden values, labels
    danger: bool = False


class _Forms(HTMLParser):
    """The POST forms of a template (and htmx elements that post or delete on their own)."""

    def __init__(self, template: str):
        super().__init__()
        self.template = template
        self.found: list[PostForm] = []
        self.current: PostForm | None = None
        self.in_button = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and (a.get("method", "").lower() == "post" or "hx-post" in a):
            self.current = PostForm(self.template, self.getpos()[0])
            self.current.words += [a.get("action", ""), a.get("hx-post", "")]
        elif tag != "form" and ("hx-delete" in a or "hx-post" in a):
            standalone = PostForm(self.template, self.getpos()[0], danger="hx-delete" in a)
            standalone.words += [a.get(k, "") for k in ("hx-post", "hx-delete", "aria-label")]
            self.found.append(standalone)
        if self.current is None:
            return
        if tag == "button" or (tag == "input" and a.get("type") in {"submit", "hidden"}):
            self.current.words += [a.get("value", ""), a.get("name", ""), a.get("aria-label", "")]
            self.current.danger |= "danger" in a.get("class", "").split()
            self.in_button = tag == "button"

    def handle_data(self, data):
        if self.current is not None and self.in_button:
            self.current.words.append(data)

    def handle_endtag(self, tag):
        if tag == "button":
            self.in_button = False
        if tag == "form" and self.current is not None:
            self.found.append(self.current)
            self.current = None


def _templates():
    """(name as Django loads it, path) of every template of the app."""
    for path in sorted(ROOT.glob("*/templates/**/*.html")):
        parts = path.relative_to(ROOT).parts
        yield "/".join(parts[2:]), path


def post_forms() -> list[PostForm]:
    found = []
    for name, path in _templates():
        parser = _Forms(name)
        parser.feed(path.read_text())
        found += parser.found
    return found


def destructive(form: PostForm) -> str | None:
    """The destructive word the form carries, or None."""
    for word in form.words:
        match = DESTRUCTIVE.search(word)
        if match:
            return match.group(1).lower()
    return "danger" if form.danger else None


@pytest.mark.unit
def test_guard_reads_the_templates():
    names = {name for name, _ in _templates()}
    assert CONFIRM_TEMPLATE in names and "base.html" in names
    assert any(destructive(f) for f in post_forms() if f.template == CONFIRM_TEMPLATE)


@pytest.mark.unit
def test_every_destructive_form_is_on_a_confirmation_page():
    unconfirmed = [
        f"{f.template}:{f.line} ({word})"
        for f in post_forms()
        if (word := destructive(f))
        and f.template != CONFIRM_TEMPLATE
        and (f.template, word) not in REVERSIBLE
    ]
    assert unconfirmed == [], "Ask first (backbone/web/confirm.py): " + ", ".join(unconfirmed)


@pytest.mark.unit
def test_reversible_exceptions_still_exist():
    found = {(f.template, destructive(f)) for f in post_forms()}
    assert REVERSIBLE <= found


@pytest.mark.unit
def test_guard_flags_a_destructive_form_posted_from_a_list():
    parser = _Forms("example/list.html")
    parser.feed(
        '<form method="post" action="/things/1/"><input type="hidden" name="action" '
        'value="delete"><button type="submit" class="link">Remove it</button></form>'
        '<form method="post"><button type="submit" class="danger">Go</button></form>'
        '<form method="post"><button type="submit">Save</button></form>'
    )
    assert [destructive(f) for f in parser.found] == ["delete", "danger", None]


@pytest.mark.integration
@pytest.mark.django_db
def test_confirm_page_posts_back_to_itself_with_its_fields(rf):
    request = rf.get("/i/riverton/things/?revoke=abc")
    request.user = AnonymousUser()
    response = confirm_page(
        request,
        Confirmation(
            question="Revoke the link “abc”?",
            explanation="It stops working at once.",
            button="Revoke the link",
            cancel_url="/i/riverton/things/",
            fields=(("revoke", "abc"),),
        ),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert '<form method="post" action="/i/riverton/things/"' in html
    assert '<input type="hidden" name="revoke" value="abc">' in html
    assert '<button type="submit" class="danger">Revoke the link</button>' in html
    assert '<a href="/i/riverton/things/">Cancel</a>' in html
