"""Dashboard pages live under /i/<initiative>/scorecard/."""

app_name = "dashboards"
urlpatterns: list = []
