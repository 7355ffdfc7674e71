"""`{{ value|text_in }}`: framework or questionnaire text in the reader's language."""

from django import template

from backbone.frameworks import texts

register = template.Library()


@register.filter
def text_in(value, language=None):
    """A plain string as it is; a `{en: …, es: …, fr: …}` mapping in the active language (or
    the one given), falling back to English."""
    return texts.text_in(value, language)
