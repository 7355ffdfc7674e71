"""Links that leave the site (e-mails, files): the page's path under the site's address."""

from __future__ import annotations

from django.conf import settings


def site_url(path: str) -> str:
    """`path` under `BACKBONE_SITE_URL`; the path alone when the address is not set."""
    return getattr(settings, "SITE_URL", "").rstrip("/") + path
