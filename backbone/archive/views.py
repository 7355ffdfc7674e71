"""The backbone staff's download of their initiative's archive."""

from __future__ import annotations

import tempfile

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from backbone.permissions import initiative_for

from .export import initiative_export


@login_required
@require_GET
def download(request, slug):
    """Whoever may edit the initiative may take it whole, less what the pages refuse them
    (graph.WITHHELD). Written to a temporary file, not memory: an initiative with years of
    values makes an archive of many megabytes."""
    initiative = initiative_for(request.user, slug, "initiative.edit")
    file = tempfile.TemporaryFile()
    initiative_export(initiative=initiative, out=file, withhold=True)
    file.seek(0)
    name = f"{initiative.slug}-{timezone.localdate():%Y%m%d}.zip"
    return FileResponse(file, as_attachment=True, filename=name, content_type="application/zip")
