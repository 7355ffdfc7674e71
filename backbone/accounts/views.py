"""Password reset, limited: so many e-mails an hour per account and per address, and a
reset that lifts the account's sign-in lockout."""

from __future__ import annotations

from datetime import timedelta

from axes.utils import reset as forget_failures
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpResponseRedirect
from django.urls import reverse

from backbone.web.errors import limit_reached

from .languages import in_language_of
from .limits import client_address, within_limit

HOUR = timedelta(hours=1)


class PersonPasswordResetForm(PasswordResetForm):
    """The reset e-mail written in the language its account holder chose, not in the one of
    whoever asked for it."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        with in_language_of(context.get("user")):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PersonPasswordResetForm

    def form_valid(self, form):
        if not within_limit(
            "reset-address",
            client_address(self.request) or "unknown",
            limit=settings.BACKBONE_RESETS_PER_ADDRESS,
            per=HOUR,
        ):
            return limit_reached(
                self.request,
                status=429,
                heading="Too many password resets",
                message="Too many password resets were asked for from your network in the "
                "last hour. Try again in an hour, or ask your initiative's backbone staff.",
                back=reverse("accounts:login"),
            )
        email = form.cleaned_data["email"].strip().lower()
        if not within_limit(
            "reset-account", email, limit=settings.BACKBONE_RESETS_PER_ACCOUNT, per=HOUR
        ):
            # The page says "sent" whether or not an e-mail went: whether an account
            # exists, or was just sent its links, stays unknown.
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        forget_failures(username=form.user.email)
        return response
