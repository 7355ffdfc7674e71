"""The REST API: one NinjaAPI; each area of the product adds its router.

Authentication, the same for every router (backbone.api.auth): a partner's or a personal API
token, or the signed-in session (CSRF on writes), or no one for what is public. Every
endpoint asks backbone.permissions, so the API shows exactly what the pages show. Forbidden
reads answer 404, as pages do. Error bodies and their schema: backbone.api.errors.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError

from backbone.activities.api import router as activities_router
from backbone.agenda.api import router as agenda_router
from backbone.dashboards.api import router as dashboards_router
from backbone.initiatives.api import router as initiatives_router
from backbone.measurement.api import router as measurement_router
from backbone.network.api import router as network_router
from backbone.webhooks.api import router as webhooks_router

from .auth import document_security
from .errors import Utf8JsonParser, document_errors, http_error_body


class BackboneAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        return document_security(document_errors(super().get_openapi_schema(**kwargs)))


api = BackboneAPI(
    title="Backbone API",
    version="1",
    description=(
        "Initiatives, partners, the common agenda and the shared measurement system of a "
        "Collective Impact initiative."
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
api.add_router("/", webhooks_router)
