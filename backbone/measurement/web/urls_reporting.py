"""URLs of the measurement pages: reporting. Included by backbone/measurement/web/urls.py."""

from django.urls import path

from . import views_reporting as views

urlpatterns = [
    path("report/", views.report, name="report"),
    path(
        "report/<slug:indicator_code>/<str:period_code>/",
        views.report_form,
        name="report_form",
    ),
    path("submissions/", views.submissions, name="submissions"),
    path("submissions/<uuid:uuid>/", views.submission, name="submission"),
    path("submissions/<uuid:uuid>/submit/", views.submission_submit, name="submission_submit"),
    path("submissions/<uuid:uuid>/approve/", views.submission_approve, name="submission_approve"),
    path("submissions/<uuid:uuid>/return/", views.submission_return, name="submission_return"),
]
