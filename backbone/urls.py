from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path, reverse

from backbone.accounts import languages
from backbone.api.urls import api


def _platform_admin_only(request) -> bool:
    """The Django admin belongs to the platform administrator alone."""
    return request.user.is_active and request.user.is_superuser


def _sign_in_through_backbone(request, extra_context=None):
    """The admin's own sign-in page would skip the second factor: the platform's
    administrators sign in where everyone does."""
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"))


admin.site.has_permission = _platform_admin_only
admin.site.login = _sign_in_through_backbone
admin.site.site_header = "Backbone platform administration"

urlpatterns = [
    path("", include("backbone.web.urls")),
    path("accounts/", include("backbone.accounts.urls")),
    path("i18n/setlang/", languages.choose, name="set_language"),
    path("notifications/", include("backbone.notifications.urls")),
    path("i/<slug:slug>/agenda/", include("backbone.agenda.urls")),
    path("i/<slug:slug>/framework/", include("backbone.frameworks.urls")),
    path("i/<slug:slug>/measurement/", include("backbone.measurement.web.urls")),
    path("i/<slug:slug>/scorecard/", include("backbone.dashboards.urls")),
    path("i/<slug:slug>/completeness/", include("backbone.measurement.completeness.urls")),
    path("i/<slug:slug>/activities/", include("backbone.activities.urls")),
    path("i/<slug:slug>/groups/", include("backbone.communication.urls")),
    path("i/<slug:slug>/updates/", include("backbone.updates.urls")),
    path("i/<slug:slug>/backbone/", include("backbone.workplan.urls")),
    path("i/<slug:slug>/advocacy/", include("backbone.advocacy.urls")),
    path("i/<slug:slug>/phases/", include("backbone.phases.urls")),
    path("i/<slug:slug>/decisions/", include("backbone.decisions.urls")),
    path("i/<slug:slug>/learning/", include("backbone.learning.urls")),
    path("i/<slug:slug>/reports/", include("backbone.reports.urls")),
    path("i/<slug:slug>/assessments/", include("backbone.assessments.urls")),
    path("i/<slug:slug>/network/", include("backbone.network.urls")),
    path("i/<slug:slug>/health/", include("backbone.health.urls")),
    path("i/<slug:slug>/power-map/", include("backbone.powermap.urls")),
    path("i/<slug:slug>/archive/", include("backbone.archive.urls")),
    path("i/<slug:slug>/audit/", include("backbone.audit.urls")),
    path("i/<slug:slug>/webhooks/", include("backbone.webhooks.urls")),
    path("i/", include("backbone.initiatives.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
    # In production the web server in front of Backbone serves MEDIA_ROOT at MEDIA_URL.

handler403 = "backbone.web.errors.permission_denied"
handler404 = "backbone.web.errors.page_not_found"
handler500 = "backbone.web.errors.server_error"
