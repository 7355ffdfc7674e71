"""The backbone's work plan and funding live under /i/<initiative>/backbone/."""

app_name = "workplan"
urlpatterns: list = []
