"""Update pages live under /i/<initiative>/updates/."""

app_name = "updates"
urlpatterns: list = []
