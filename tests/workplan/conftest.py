"""The cast's initiative with a framework (so it has the six backbone roles) and a funder."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from backbone.frameworks.models import Framework


@pytest.fixture
def roles(cast) -> list[str]:
    call_command("load_frameworks", verbosity=0)
    cast.initiative.framework = Framework.objects.get(slug="collective-impact")
    cast.initiative.save()
    from backbone.workplan.services import backbone_roles

    return [r["key"] for r in backbone_roles(cast.initiative)]
