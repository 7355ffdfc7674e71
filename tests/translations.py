"""What the translation tests share: the catalogues compiled before a page is read in Spanish
or French, and the messages a template marks, found as `makemessages` finds them."""

from __future__ import annotations

import ast
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
# Words of the interface in English that Spanish and French do not share: one of them left on
# a page means a text not translated.
ENGLISH_WORDS = frozenset(
    """the of and to your you this that with for yet not by is are was has have been will here
    there what when who which all each every comment comments update updates post posted answer
    answers answered round rounds goal goals strategy strategies since back write sign member
    members results send my open opens closes closed until anonymous news newer older endorse
    endorses endorsed endorsement endorsements draft published history partner partners read
    please choose optional required thank saved digest follow following edit share shared none
    nothing decision decisions meeting at from""".split()
)
# Words of that list that are also words of a language: "comment" is French for "how".
ALSO_IN = {"fr": frozenset({"comment"})}
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


# --- user-facing text in Python ---------------------------------------------------------

#: What marks a text for translation.
MARKERS = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "format_lazy",
}
#: Where Python hands a reader text: flash messages, refusals, and form fields' words.
MESSAGE_LEVELS = {"success", "error", "warning", "info", "debug"}
REFUSALS = {"ValidationError", "Refused", "IntakeRefused", "DeleteRefused", "EditConflict"}
FIELD_WORDS = {"label", "help_text", "empty_label"}
PROBLEM_WORDS = {"reason", "message", "text"}


def _is_sentence(node: ast.AST) -> bool:
    """Text of more than one word, or built text: a column's code is one word."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return " " in node.value.strip()
    return _is_text(node)


def _is_text(node: ast.AST) -> bool:
    """A literal sentence: a string with letters, an f-string, or one built from them with %,
    + or .format — not a call to one of the markers, whose result is already marked."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return _is_text(node.left)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr == "format" and _is_text(node.func.value)
    if isinstance(node, ast.IfExp):
        return _is_text(node.body) or _is_text(node.orelse)
    return False


def unmarked_python(source: str) -> list[tuple[int, str]]:
    """(line, text) of each sentence a reader would see that no marker wraps."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        owner = ""
        if isinstance(func, ast.Attribute):  # messages.error, problems.add, self.problems.add
            owner = getattr(func.value, "id", "") or getattr(func.value, "attr", "")
        said = []
        if owner == "messages" and name in MESSAGE_LEVELS and len(node.args) >= 2:
            said.append(node.args[1])
        if name in REFUSALS and node.args:
            said.append(node.args[0])
        said += [kw.value for kw in node.keywords if kw.arg in FIELD_WORDS]
        if name.endswith("Problem"):  # where is a column's code, why is a sentence
            said += [kw.value for kw in node.keywords if kw.arg in PROBLEM_WORDS]
            said += [a for a in node.args if _is_sentence(a)]
        if owner == "problems" and name == "add" and node.args:
            said.append(node.args[0])
        found += [
            (text.lineno, (ast.get_source_segment(source, text) or "")[:80])
            for text in said
            if _is_text(text)
        ]
    found += [
        (label.lineno, (ast.get_source_segment(source, label) or "")[:80])
        for label in _choice_labels(source)
        if _is_text(label)
    ]
    return sorted(found)


def _choice_labels(source: str) -> list[ast.expr]:
    """The labels of Django choices (`ACTIVE = "active", "Active"`): a select, a filter and a
    badge show them."""
    labels = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ClassDef):
            continue
        bases = [
            b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "") for b in node.bases
        ]
        if not any(base.endswith("Choices") for base in bases):
            continue
        labels += [
            statement.value.elts[-1]
            for statement in node.body
            if isinstance(statement, ast.Assign)
            and isinstance(statement.value, ast.Tuple)
            and len(statement.value.elts) > 1
        ]
    return labels
