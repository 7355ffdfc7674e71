"""Activity pages live under /i/<initiative>/activities/."""

app_name = "activities"
urlpatterns: list = []
