"""The site's URLs with the measurement API in place, for tests run before the router is
registered in backbone/api/urls.py (after that, the site's own URLs are used unchanged)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from ninja import NinjaAPI

from backbone import urls as site
from backbone.agenda.api import router as agenda_router
from backbone.api.urls import api as site_api
from backbone.initiatives.api import router as initiatives_router
from backbone.measurement.api import router as measurement_router


def registered() -> bool:
    return any(router is measurement_router for _, router in site_api._routers)


api = NinjaAPI(title="Backbone API", version="1", urls_namespace="api")


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": "Not allowed."}, status=403)


api.add_router("/", initiatives_router)
api.add_router("/", agenda_router)
api.add_router("/", measurement_router)

urlpatterns = [p for p in site.urlpatterns if str(p.pattern) != "api/"] + [path("api/", api.urls)]
