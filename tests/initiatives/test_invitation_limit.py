"""Invitations are e-mails to people who never asked for them: one person sends so many an
hour, and the page says so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backbone.initiatives.models import Invitation

pytestmark = pytest.mark.integration


def test_invitations_are_limited_per_person_per_hour(cast, as_role, settings):
    settings.INVITATIONS_PER_HOUR = 2
    client = as_role("staff")
    url = f"/i/{cast.initiative.slug}/people/"
    for n in range(2):
        response = client.post(url, {"email": f"new{n}@example.org", "role": "evaluator"})
        assert response.status_code == 302
    response = client.post(url, {"email": "new9@example.org", "role": "evaluator"})
    assert response.status_code == 200
    assert "You have sent 2 invitations in the last hour" in response.content.decode()
    assert not Invitation.objects.filter(email="new9@example.org").exists()
    Invitation.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    response = client.post(url, {"email": "new9@example.org", "role": "evaluator"})
    assert response.status_code == 302
