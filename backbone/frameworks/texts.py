"""Text in framework and questionnaire files, in the reader's language.

Wherever such a file holds human text (a name, a summary, a question, a scale point's label…)
it is either a plain string, which is English, or a mapping of language to text such as
`{en: Common agenda, es: Agenda común, fr: Programme commun}`, where `en` is required and the
other languages optional. Keys, values and slugs are never translated, so answers given in
any language land in the same results. The stored data keeps the mappings; the text is
chosen when it is shown, by `text_in`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import translation

LANGUAGES = ("en", "es", "fr")
DEFAULT = "en"


def is_text_mapping(value: Any) -> bool:
    """A mapping of language codes to strings, with English: one text in several languages."""
    return (
        isinstance(value, Mapping)
        and DEFAULT in value
        and all(key in LANGUAGES and isinstance(text, str) for key, text in value.items())
    )


def _language(language: str | None) -> str:
    code = (language or translation.get_language() or DEFAULT).lower()
    return code.split("-")[0].split("_")[0]


def text_in(value: Any, language: str | None = None) -> str:
    """The text of `value` in `language` (the active language by default), else English.

    A plain string is returned as it is; None gives "".
    """
    if value is None:
        return ""
    if isinstance(value, Mapping):
        code = _language(language)
        return value.get(code) or value.get(DEFAULT) or next(iter(value.values()), "")
    return str(value)


def localized(data: Any, language: str | None = None) -> Any:
    """A copy of `data` with every text mapping in it replaced by its text in `language`."""
    if is_text_mapping(data):
        return text_in(data, language)
    if isinstance(data, Mapping):
        return {key: localized(value, language) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [localized(value, language) for value in data]
    return data
