"""The demo snapshot the suite restores for each test reads back exactly as it was built."""

import pytest
from django.db import connection

from backbone.accounts.models import Person
from backbone.initiatives.models import Initiative

pytestmark = pytest.mark.integration


def test_the_restored_demo_reads_back_row_for_row(db, demo_snapshot):
    initiative = demo_snapshot.restore()

    snapshot = demo_snapshot.current()
    assert snapshot.rows > 1000 and "Demo sign-ins" in snapshot.output
    assert initiative == Initiative.objects.get()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for t in snapshot.tables:
            cursor.execute(f"SELECT {', '.join(map(quote, t.columns))} FROM {quote(t.table)}")
            assert sorted(cursor.fetchall(), key=repr) == sorted(t.rows, key=repr), t.table


def test_rows_made_after_the_restore_take_new_ids(demo):
    newest = Person.objects.order_by("-pk").first()
    made = Person.objects.create_user(email="late@example.org", password="x", name="Late")
    assert made.pk > newest.pk
