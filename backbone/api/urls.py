"""The REST API: one NinjaAPI; each area of the product adds its router.

Authentication is the signed-in session, or for measurement a partner's API token; every
endpoint asks backbone.permissions, so the API shows exactly what the pages show. Forbidden
reads answer 404, as pages do.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI

from backbone.agenda.api import router as agenda_router
from backbone.initiatives.api import router as initiatives_router
from backbone.measurement.api import router as measurement_router

api = NinjaAPI(
    title="Backbone API",
    version="1",
    description=(
        "Initiatives, partners, the common agenda and the shared measurement system of a "
        "Collective Impact initiative."
    ),
    urls_namespace="api",
)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": "Not allowed."}, status=403)


api.add_router("/", initiatives_router)
api.add_router("/", agenda_router)
api.add_router("/", measurement_router)
