"""Every operation of the API under schemathesis, on the demo initiative, with a token for each
role: no generated request makes the API fail (5xx), and every answer fits the schema.

The per-area files fuzz their operations against rows made for them, in depth; this one goes
wide: each operation, each caller, a few examples, on the demo's real rows. Path parameters
are drawn from identifiers the demo holds, so reads and writes reach real rows and not only
404s.
"""

from __future__ import annotations

import random
from collections import Counter

import pytest
import schemathesis
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from backbone.accounts.tokens import personal_token_create
from backbone.initiatives.models import Membership, Partner
from backbone.initiatives.roles import PartnerStatus
from backbone.measurement.tokens import token_create
from tests.measurement.exchange.test_schema import wsgi_app  # noqa: F401 (fixture)

pytestmark = pytest.mark.integration

EXAMPLES = 1
#: A person of each role the demo holds, by their role's name in the membership table.
ROLES = (
    "backbone_staff",
    "partner_steward",
    "partner_member",
    "funder",
    "evaluator",
    "community_member",
)


@pytest.fixture
def callers(demo) -> dict[str, dict[str, str]]:
    """An Authorization header per role: a personal token of the demo's first member in
    that role, and a partner's token."""
    headers = {}
    for role in ROLES:
        membership = Membership.objects.of(demo).filter(role=role).select_related("person").first()
        assert membership is not None, role
        _, raw = personal_token_create(person=membership.person, initiative=demo, name="fuzz")
        headers[role] = {"Authorization": f"Bearer {raw}"}
    partner = (
        Partner.objects.of(demo).filter(status=PartnerStatus.ACTIVE).select_related("organisation")
    ).first()
    steward = (
        Membership.objects.of(demo)
        .filter(role="partner_steward", organisation=partner.organisation)
        .first()
    )
    _, raw = token_create(partner=partner, name="fuzz", by=steward.person if steward else None)
    headers["partner_token"] = {"Authorization": f"Bearer {raw}"}
    return headers


@pytest.fixture
def identifiers(demo) -> dict[str, list[str]]:
    """Values the demo gives the path's parameters: every UUID its rows carry (a sample),
    indicator and period codes, organisation slugs, phase keys."""
    chooser = random.Random(7)
    uuids: list[str] = []
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        if "uuid" in names and "initiative" in names:
            found = list(model.objects.of(demo).values_list("uuid", flat=True)[:20])
            uuids += [str(u) for u in chooser.sample(found, min(len(found), 5))]
    codes = {
        "code": list(
            apps.get_model("measurement", "Indicator")
            .objects.of(demo)
            .values_list("code", flat=True)
        ),
        "period": list(
            apps.get_model("measurement", "Period")
            .objects.of(demo)
            .values_list("code", flat=True)[:10]
        ),
        "organisation": list(
            Partner.objects.of(demo).values_list("organisation__slug", flat=True)[:10]
        ),
    }
    return {"uuid": uuids, **codes}


def test_every_operation_for_every_role_fits_the_schema(
    demo,
    callers,
    identifiers,
    wsgi_app,  # noqa: F811
):
    """Valid requests (the per-area files send invalid ones too)."""
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 120
    failures: list = []
    answered: dict[str, Counter] = {who: Counter() for who in callers}
    for operation in operations:
        for who, headers in callers.items():
            _fuzz(operation, demo.slug, identifiers, headers, failures, answered[who], who)
    assert failures == []
    # every caller was let in and reached real rows: a token refused everywhere fits the
    # schema too, and would prove nothing
    for who, statuses in answered.items():
        assert sum(n for status, n in statuses.items() if status < 300) >= 20, (who, statuses)


def _fuzz(operation, slug, identifiers, headers, failures, answered, who) -> None:
    mode = GenerationMode.POSITIVE

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def check(data):
        path = {}
        for name in _path_names(operation.path):
            pool = identifiers.get(name) or identifiers["uuid"]
            path[name] = slug if name == "slug" else data.draw(st.sampled_from(pool))
        case = data.draw(operation.as_strategy(mode, path_parameters=path))
        response = case.call(headers=headers)
        answered[response.status_code] += 1
        if response.status_code >= 500:
            failures.append((who, operation.label, case.path_parameters, case.query, case.body))
            return
        try:
            case.validate_response(
                response, checks=[schemathesis.checks.response_schema_conformance]
            )
        except AssertionError as exc:  # schemathesis's failure groups are assertions
            failures.append((who, operation.label, str(exc)[:300]))

    try:
        check()
    except Exception as exc:  # noqa: BLE001 (an operation no example could be made for)
        if type(exc).__name__ != "Unsatisfiable":
            raise


def _path_names(path: str) -> list[str]:
    names, rest = [], path
    while "{" in rest:
        start = rest.index("{") + 1
        end = rest.index("}", start)
        names.append(rest[start:end])
        rest = rest[end + 1 :]
    return names
