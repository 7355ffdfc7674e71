"""The report as a PDF, drawn by WeasyPrint from a print template of its own.

WeasyPrint fetches what a page links to. Here it may reach nothing outside this machine: the
fetcher serves the app's static files from disk (through the static-file finders, or the
collected files) and refuses every other URL, so a report renders the same offline, leaks
no reader's visit to any server, and a stray link in user text fetches nothing.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

#: The address the print template's relative links resolve against; never looked up.
BASE_URL = "https://report.invalid/"
_HOST = urlsplit(BASE_URL).netloc


class Refused(ValueError):
    """A URL the report may not fetch."""


def static_file(name: str) -> Path | None:
    """A static file on disk by its name under STATIC_URL ("reports/print.css"), or None."""
    try:
        found = finders.find(name)
        if found:
            return Path(found)
        if staticfiles_storage.exists(name):
            return Path(staticfiles_storage.path(name))
    except Exception:  # a name that climbs out of the static folders, or a storage off disk
        return None
    return None


class LocalFetcher(URLFetcher):
    """Serves static files from disk and `data:` URLs; refuses everything else."""

    def __init__(self):
        super().__init__(allowed_protocols=("https", "data"), allow_redirects=False)

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)  # decoded in memory, no network
        parts = urlsplit(url)
        static = settings.STATIC_URL
        if parts.scheme == "https" and parts.netloc == _HOST and parts.path.startswith(static):
            path = static_file(unquote(parts.path[len(static) :]))
            if path is not None and path.is_file():
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
        raise Refused(
            _("The report fetches no URL outside its own static files: %(url)s") % {"url": url}
        )


def render_pdf(document, *, template: str = "reports/print.html") -> bytes:
    html = render_to_string(template, {"doc": document, "initiative": document.initiative})
    return HTML(string=html, base_url=BASE_URL, url_fetcher=LocalFetcher()).write_pdf()
