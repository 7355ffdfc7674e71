"""Completeness pages live under /i/<initiative>/completeness/."""

app_name = "completeness"
urlpatterns: list = []
