from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import languages, views, views_tokens, views_two_factor

app_name = "accounts"
urlpatterns = [
    path("login/", views_two_factor.SignInView.as_view(), name="login"),
    path("login/code/", views_two_factor.code, name="two_factor_code"),
    path("security/", views_two_factor.security, name="security"),
    path("security/recovery-codes/", views_two_factor.recovery_codes, name="recovery_codes"),
    path("security/turn-off/", views_two_factor.turn_off, name="two_factor_off"),
    path("language/", languages.save, name="language"),
    path("tokens/", views_tokens.personal_tokens, name="personal_tokens"),
    path(
        "tokens/<uuid:token>/revoke/",
        views_tokens.personal_token_revoke_view,
        name="personal_token_revoke",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
