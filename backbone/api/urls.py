"""The REST API: one NinjaAPI; each area of the product adds its router.

Authentication, the same for every router (backbone.api.auth): a partner's or a personal API
token, or the signed-in session (CSRF on writes), or no one for what is public. Every
endpoint asks backbone.permissions, so the API shows exactly what the pages show. Forbidden
reads answer 404, as pages do. Error bodies and their schema: backbone.api.errors.
"""

import copy

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError

from backbone.activities.api import router as activities_router
from backbone.advocacy.api import router as advocacy_router
from backbone.agenda.api import router as agenda_router
from backbone.assessments.api import router as assessments_router
from backbone.communication.api import router as communication_router
from backbone.dashboards.api import router as dashboards_router
from backbone.decisions.api import router as decisions_router
from backbone.health.api import router as health_router
from backbone.initiatives.api import router as initiatives_router
from backbone.learning.api import router as learning_router
from backbone.measurement.api import router as measurement_router
from backbone.measurement.api.submissions import router as review_router
from backbone.measurement.completeness.api import router as completeness_router
from backbone.network.api import router as network_router
from backbone.phases.api import router as phases_router
from backbone.powermap.api import router as powermap_router
from backbone.reports.api import router as reports_router
from backbone.updates.api import router as updates_router
from backbone.webhooks.api import router as webhooks_router
from backbone.workplan.api import router as workplan_router

from .auth import document_security
from .errors import Utf8JsonParser, document_errors, http_error_body


class BackboneAPI(NinjaAPI):
    """The schema is built once per process (every router is registered at import): building
    it walks every operation's pydantic models, seconds for each request of it otherwise."""

    _schemas: dict[str, dict] = {}

    def get_openapi_schema(self, **kwargs):
        key = repr(sorted((name, repr(value)) for name, value in kwargs.items()))
        if key not in self._schemas:
            built = super().get_openapi_schema(**kwargs)
            self._schemas[key] = document_security(document_errors(built))
        return copy.deepcopy(self._schemas[key])


api = BackboneAPI(
    title="Backbone API",
    version="1",
    description=(
        "Initiatives, partners, the common agenda and the shared measurement system of a "
        "Collective Impact initiative, under the same rules as the pages.\n\n"
        "## Getting a token\n"
        "- **A partner's token** (`bbk_…`): a partner steward makes it on the partner's "
        "*API tokens* page; it acts as a member of that organisation.\n"
        "- **A personal token** (`bbp_…`): made on `/accounts/tokens/`; it acts as you, with "
        "your roles.\n"
        "- **The browser's session**: signed in, the `sessionid` cookie is used; writes also "
        "need the `X-CSRFToken` header matching the `csrftoken` cookie.\n\n"
        "A token works in its own initiative only; the token is shown once, when it is made.\n\n"
        "## Sending it\n"
        "`Authorization: Bearer <token>` on every request.\n\n"
        "## Pagination\n"
        "Lists take `limit` (1–500, 100 by default) and `offset` (how many to skip) and answer "
        '`{"items": […], "count": N}`: `count` is the total; the next page is '
        "`offset + limit`, until it reaches `count`.\n\n"
        "## Errors\n"
        "Every error body has `detail`.\n"
        "- **401**: no valid token (unknown or revoked), or no one where signing in is needed.\n"
        "- **403**: you may see the initiative but not do this: a write your roles do not "
        "allow, or an area for some roles only.\n"
        "- **404**: not found, or not yours to see: forbidden reads answer 404, like the pages; "
        "a token asking about another initiative too.\n"
        "- **409**: a conflict: the row was saved since you read its `revision` (the body "
        "carries it as it now stands), or a delete the data refuses.\n"
        "- **422**: a parameter or the body does not validate, or the rules refuse it; "
        "`detail` lists what is wrong where (`loc`) and why (`msg`)."
    ),
    urls_namespace="api",
    parser=Utf8JsonParser(),
)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": "Not allowed."}, status=403)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    return api.create_response(request, http_error_body(exc), status=exc.status_code)


api.add_router("/", initiatives_router)
api.add_router("/", agenda_router)
api.add_router("/", measurement_router)
api.add_router("/", dashboards_router)
api.add_router("/", activities_router)
api.add_router("/", network_router)
api.add_router("/", assessments_router)
api.add_router("/", health_router)
api.add_router("/", powermap_router)
api.add_router("/", review_router)
api.add_router("/", completeness_router)
api.add_router("/", learning_router)
api.add_router("/", reports_router)
api.add_router("/", advocacy_router)
api.add_router("/", updates_router)
api.add_router("/", workplan_router)
api.add_router("/", phases_router)
api.add_router("/", communication_router)
api.add_router("/", decisions_router)
api.add_router("/", webhooks_router)
