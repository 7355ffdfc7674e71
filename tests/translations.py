"""What the translation tests share: the catalogues compiled before a page is read in Spanish
or French, and the messages a template marks, found as `makemessages` finds them."""

from __future__ import annotations

import io
import re
import tokenize
from ast import literal_eval
from pathlib import Path

from django.core.management import call_command
from django.template.base import Lexer, TokenType
from django.utils import translation
from django.utils.translation import trans_real
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "backbone" / "locale"
LANGUAGES = ("es", "fr")
CALLS = {"gettext": 1, "pgettext": 2, "ngettext": 2, "npgettext": 3}


def compiled_catalogues() -> None:
    """Compile any catalogue newer than its .mo (`make install` does it; a bare pytest run
    may not have), and forget catalogues loaded before."""
    stale = any(
        not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
        for po in LOCALE.glob("*/LC_MESSAGES/django.po")
    )
    if stale:
        call_command("compilemessages", verbosity=0)
        trans_real._translations = {}
        trans_real._default = None
        translation.deactivate()


def template_messages(source: str) -> set[tuple[str | None, str, str | None]]:
    """(context, msgid, plural) of every message the template marks: `makemessages` turns
    the template into gettext calls with Django's `templatize`, and so does this."""
    found = set()
    code = templatize(source)
    tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    for i, tok in enumerate(tokens):
        if tok.type != tokenize.NAME or tok.string not in CALLS:
            continue
        if i + 1 >= len(tokens) or tokens[i + 1].string != "(":
            continue
        strings = []
        for later in tokens[i + 2 :]:
            if later.string == ")":
                break
            if later.type == tokenize.STRING:
                strings.append(literal_eval(later.string))
        strings = strings[: CALLS[tok.string]]
        if tok.string == "gettext":
            found.add((None, strings[0], None))
        elif tok.string == "pgettext":
            found.add((strings[0], strings[1], None))
        elif tok.string == "ngettext":
            found.add((None, strings[0], strings[1]))
        else:
            found.add((strings[0], strings[1], strings[2]))
    return found


# Attributes read out to people; the others (href, class, data-…) are for machines.
READ_ATTRIBUTES = re.compile(r"""\s(?:title|alt|placeholder|aria-label|data-label)="([^"]*)\"""")
TAG = re.compile(r"<[^>]*>")
ENTITY = re.compile(r"&[#\w]+;")
WORD = re.compile(r"[^\W\d_]{2,}")  # two letters or more, in any alphabet
NOT_TRANSLATED = {"Backbone", "CSV"}  # the product's name; a file format


def unmarked_text(source: str) -> list[str]:
    """Words a reader sees that the template writes in English outside `{% translate %}`
    and `{% blocktranslate %}`: its text nodes and the attributes read out to people. What
    the tags print (variables, translated messages) counts as marked."""
    kept = []
    inside = None  # "blocktranslate" or "comment" while inside either
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            if name in {"blocktranslate", "blocktrans", "comment"}:
                inside = name
            elif name in {"endblocktranslate", "endblocktrans", "endcomment"}:
                inside = None
            kept.append("\x00")
        elif token.token_type == TokenType.TEXT:
            kept.append("" if inside else token.contents)
        elif token.token_type == TokenType.VAR:
            kept.append("" if inside else "\x00")
    html = "".join(kept)
    spoken = READ_ATTRIBUTES.findall(html)
    # Scripts, styles and code to copy are not prose.
    html = re.sub(r"<(script|style|pre|code)\b.*?</\1>", " ", html, flags=re.S)
    text = ENTITY.sub(" ", TAG.sub(" ", html))
    return [
        word
        for chunk in [*spoken, text]
        for word in WORD.findall(chunk)
        if word not in NOT_TRANSLATED
    ]
