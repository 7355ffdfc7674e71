"""Communication pages live under /i/<initiative>/groups/ (working groups and meetings)."""

app_name = "communication"
urlpatterns: list = []
