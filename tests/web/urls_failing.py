"""The site's addresses plus one that fails, to see the 500 page."""

from django.urls import path

from backbone.urls import handler403, handler404, handler500, urlpatterns  # noqa: F401


def fails(request):
    raise RuntimeError("a fault in a view")


urlpatterns = [path("fails/", fails), *urlpatterns]
