"""One place that knows how an htmx request is told apart and answered with a partial."""

from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def template_for(request: HttpRequest, full: str, partial: str) -> str:
    """The partial for an htmx swap, the whole page otherwise."""
    return partial if is_htmx(request) else full
