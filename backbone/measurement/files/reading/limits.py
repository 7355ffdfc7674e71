"""How large a file and how long its reading may be, and sizes as people read them: the
upload form, the readers and the import all ask these."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ...problems import IntakeRefused, Problem


def max_upload_bytes() -> int:
    return int(getattr(settings, "BACKBONE_MAX_UPLOAD_MB", 50) * 1024 * 1024)


def reading_seconds() -> int:
    """How long one file may take to read and check before it is refused (a request held
    for minutes holds a server worker)."""
    return int(getattr(settings, "BACKBONE_UPLOAD_SECONDS", 180))


def size_text(size: int) -> str:
    """A size in KB or MB, its number as the reader's language writes it (10.5 MB, 10,5 MB)."""
    if size < 1024 * 1024:
        return f"{number_format(Decimal(f'{size / 1024:.0f}'), 0)} KB"
    return f"{number_format(Decimal(f'{size / (1024 * 1024):.1f}'), 1)} MB"


def check_size(size: int, file_name: str) -> None:
    limit = max_upload_bytes()
    if size > limit:
        raise IntakeRefused(
            [
                Problem(
                    _(
                        "the file is %(size)s; files up to %(limit)s are read — split it into "
                        "smaller files"
                    )
                    % {"size": size_text(size), "limit": size_text(limit)},
                    file_name,
                )
            ]
        )
