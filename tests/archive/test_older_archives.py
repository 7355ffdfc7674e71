"""An archive written before a model took a UUID still imports: its rows, named by their
old ids, are given fresh UUIDs."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from backbone.communication.models import Decision
from backbone.initiatives.models import Initiative

from .test_refusals import rewritten


def test_decisions_named_by_their_old_ids_import_with_fresh_uuids(demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "riverton.zip"
    call_command("export", demo.slug, out=str(path), stdout=StringIO())

    def before_decisions_had_uuids(data: dict) -> dict:
        rows = data["models"]["communication.Decision"]
        for number, row in enumerate(rows, start=1):
            row["id"] = number  # as the archive wrote a model without a UUID: its old id
        return data

    older = rewritten(path, tmp_path / "older.zip", data=before_decisions_had_uuids)
    call_command("import", str(older), "--as", "riverton-older", stdout=StringIO())

    copy = Initiative.objects.get(slug="riverton-older")
    original = Decision.objects.filter(initiative=demo)
    copied = Decision.objects.filter(initiative=copy)
    assert original.count() > 1
    assert sorted(copied.values_list("text", flat=True)) == sorted(
        original.values_list("text", flat=True)
    )
    uuids = set(copied.values_list("uuid", flat=True))
    assert len(uuids) == copied.count()
    assert not uuids & set(original.values_list("uuid", flat=True))
