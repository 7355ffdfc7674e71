"""Policy and public will live under /i/<initiative>/advocacy/."""

app_name = "advocacy"
urlpatterns: list = []
