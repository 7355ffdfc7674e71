"""A French-speaking partner steward and a Spanish-speaking resident go through every page
their role reaches on the demo initiative, following its links, and meet no English word but
those the initiative wrote: its names, titles and texts, which are stored in the database and
set aside here, whatever page shows them."""

from __future__ import annotations

import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.apps import apps
from django.db import models
from django.urls import Resolver404, resolve

from backbone.initiatives.models import Membership
from backbone.initiatives.roles import Role
from tests.translations import ALSO_IN, ENGLISH_WORDS, compiled_catalogues

pytestmark = pytest.mark.integration

#: Pages of one kind read at most this many times (one goal's page stands for all goals').
PER_KIND = 2
#: Files, and links that act rather than show.
NOT_PAGES = re.compile(r"\.(csv|xlsx|pdf|json|png|svg|zip|xml|ics)$|/(export|download|sign-out)")
#: Not the interface's words: code, and what a person typed into a text box.
SKIPPED_TAGS = {"script", "style", "template", "code", "pre", "textarea"}
READ_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")
#: Codes (not_collected in a file, UPDATE in DHIS2, POST in HTTP): identifiers, not words.
CODE = re.compile(r"\b\w*_\w*\b|\b[A-Z]{2,}\b")


class PageText(HTMLParser):
    """The text a reader meets, one piece per text node or read attribute, and the links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self.links: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag in SKIPPED_TAGS:
            self._skipping += 1
        if tag == "a" and found.get("href"):
            self.links.append(found["href"])
        self.pieces += [found[a] for a in READ_ATTRIBUTES if found.get(a)]
        if tag == "input" and found.get("type") in ("submit", "button") and found.get("value"):
            self.pieces.append(found["value"])

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.pieces.append(" ".join(data.split()))


def written_by_people() -> tuple[str, list[str]]:
    """Every text stored in the database (names, titles, notes, answers): all of it as one
    text, to find a piece that is wholly part of one, and the short ones, to take them out
    of a piece that mixes them with the interface's words."""
    texts: set[str] = set()
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
            and not f.choices
        ]
        for row in model._default_manager.values_list(*fields) if fields else []:
            texts.update(" ".join(v.split()) for v in strings_in(row))
    texts.discard("")
    short = sorted((t for t in texts if len(t) <= 200), key=len, reverse=True)
    return "\n".join(texts), short


def strings_in(value) -> list[str]:
    """The strings of a row, those inside JSON (answers, framework texts) too."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return [s for v in value for s in strings_in(v)]
    return []


def english_in(piece: str, corpus: str, short: list[str], english: frozenset) -> list[str]:
    piece = CODE.sub(" ", piece)
    words = re.findall(r"[^\W\d_]+", piece)
    if not any(w.lower() in english for w in words):
        return []
    if piece.removesuffix("…").removesuffix("...").strip() in corpus:  # shown shortened
        return []
    for text in short:
        if text in piece:
            piece = piece.replace(text, " ")
    head, cut, tail = piece.partition("…")
    if cut:  # a text shown shortened ends the piece's head: take out its longest such end
        starts = [0] + [m.end() for m in re.finditer(r"\s", head)]
        start = next((i for i in starts if len(head[i:].strip()) > 8 and head[i:] in corpus), None)
        if start is not None:
            piece = head[:start] + " " + tail
    return [w for w in re.findall(r"[^\W\d_]+", piece) if w.lower() in english]


def kind_of(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def crawl(client, start: str, language: str) -> dict[str, list[str]]:
    """Each page reached from `start` within the initiative, with its pieces of text in which
    English was found."""
    corpus, short = written_by_people()
    english = ENGLISH_WORDS - ALSO_IN.get(language, frozenset())
    prefix = start
    queue, seen, kinds, found = deque([start]), {start}, Counter(), {}
    while queue:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        assert response.headers.get("Content-Language") == language, path
        page = PageText()
        page.feed(response.content.decode())
        pieces = sorted(
            {piece[:300] for piece in page.pieces if english_in(piece, corpus, short, english)}
        )
        if pieces:
            found[path] = pieces
        for href in page.links:
            link = urldefrag(href)[0]
            parts = urlsplit(link)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.netloc or not parts.path.startswith(prefix) or target in seen:
                continue
            if NOT_PAGES.search(parts.path):
                continue
            kind = kind_of(parts.path)
            if kind is None or kinds[kind] >= PER_KIND:
                continue
            kinds[kind] += 1
            seen.add(target)
            queue.append(target)
    assert len(seen) > 20, "the crawl stopped early: " + ", ".join(sorted(seen))
    return found


def reader(initiative, role: str, language: str):
    membership = (
        Membership.objects.filter(initiative=initiative, role=role)
        .select_related("person")
        .order_by("id")
        .first()
    )
    person = membership.person
    person.language = language
    person.save(update_fields=["language"])
    return person


@pytest.mark.parametrize(
    "role, language",
    [(Role.PARTNER_STEWARD, "fr"), (Role.COMMUNITY_MEMBER, "es"), (Role.BACKBONE_STAFF, "fr")],
    ids=["french-partner-steward", "spanish-resident", "french-backbone-staff"],
)
def test_every_page_a_reader_reaches_is_in_their_language(demo, client, role, language):
    compiled_catalogues()
    client.force_login(reader(demo, role, language))
    found = crawl(client, f"/i/{demo.slug}/", language)
    assert found == {}, "\n".join(
        f"{path}:\n  " + "\n  ".join(pieces) for path, pieces in found.items()
    )
