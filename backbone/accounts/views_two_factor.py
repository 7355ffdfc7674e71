"""Sign-in in two steps for those who use a second factor, and the page where anyone sets
one up, gets new recovery codes or turns it off.

After the right password, someone with an authenticator app is not signed in yet: the
session remembers who they are for five minutes and asks for a code. Wrong codes count as
failed sign-ins (so the sign-in limits apply to them too), and five end the attempt.
"""

from __future__ import annotations

import time

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from backbone.web.confirm import Confirmation, confirm_page

from . import two_factor
from .forms import SignInForm
from .models import Person
from .selectors import active_person

PENDING = "two_factor_pending"
PENDING_SECONDS = 5 * 60
TRIES = 5
BACKEND = "django.contrib.auth.backends.ModelBackend"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=gettext_lazy(
            "The six digits your authenticator app shows, or one of your recovery codes."
        ),
    )


class SetupCodeForm(CodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _("The six digits the app shows for Backbone.")


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        person = form.get_user()
        if not two_factor.uses_two_factor(person):
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "person": person.pk,
            "next": self.get_success_url(),
            "since": time.time(),
            "tries": 0,
        }
        return redirect("accounts:two_factor_code")


def _pending(request) -> tuple[Person | None, dict]:
    pending = request.session.get(PENDING) or {}
    if not pending or time.time() - pending["since"] > PENDING_SECONDS:
        return None, {}
    return active_person(pending["person"]), pending


def code(request):
    """The second step of signing in."""
    person, pending = _pending(request)
    if person is None:
        request.session.pop(PENDING, None)
        messages.info(request, _("Sign in again: the code was not given within five minutes."))
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verified_device(person, form.cleaned_data["code"])
        if device is not None:
            del request.session[PENDING]
            login(request, person, backend=BACKEND)
            otp_login(request, device)
            if device.name == two_factor.RECOVERY:
                left = two_factor.recovery_codes_left(person)
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code; %(left)s is left. Set up your app "
                        "again or make new codes on your security page.",
                        "You signed in with a recovery code; %(left)s are left. Set up your app "
                        "again or make new codes on your security page.",
                        left,
                    )
                    % {"left": left},
                )
            return redirect(pending["next"])
        user_login_failed.send(
            sender=__name__, credentials={"username": person.email}, request=request
        )
        pending["tries"] += 1
        if pending["tries"] >= TRIES:
            del request.session[PENDING]
            messages.error(request, _("Too many wrong codes: sign in again."))
            return redirect("accounts:login")
        request.session[PENDING] = pending
        form.add_error("code", _("That code is not right. Codes change every 30 seconds."))
    return render(request, "accounts/two_factor_code.html", {"form": form}, status=200)


@login_required
def security(request):
    """Set up an app (a secret and its QR code, confirmed by a code from the app), see how
    many recovery codes are left, make new ones, turn it off where it is not required."""
    person = request.user
    form = SetupCodeForm(request.POST or None)
    pending = two_factor.pending_setup(person)
    codes = None
    if request.method == "POST" and "start" in request.POST:
        pending = two_factor.start_setup(person)
        form = SetupCodeForm()
    elif request.method == "POST" and pending is not None and form.is_valid():
        codes = two_factor.confirm_setup(person, pending, form.cleaned_data["code"])
        if codes is None:
            form.add_error("code", _("That code is not right. Check the app shows this site."))
        else:
            otp_login(request, two_factor.app_device(person))
            pending = None
            messages.success(request, _("Two-factor sign-in is on."))
    context = {
        "section": "security",
        "uses": two_factor.uses_two_factor(person),
        "required": two_factor.required_of(person),
        "pending": pending,
        "secret": two_factor.secret_text(pending) if pending else "",
        "qr": two_factor.qr_svg(pending) if pending else "",
        "form": form,
        "codes": codes,
        "codes_left": two_factor.recovery_codes_left(person),
    }
    return render(request, "accounts/security.html", context)


@login_required
@require_POST
def recovery_codes(request):
    """New recovery codes, shown once; only from a session signed in with the second factor."""
    if not request.user.is_verified():
        messages.error(request, _("Sign in with your code first to make new recovery codes."))
        return redirect("accounts:security")
    codes = two_factor.new_recovery_codes(request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@login_required
def turn_off(request):
    """Asks first (GET); the confirmation's POST turns it off, unless a role requires it."""
    person = request.user
    if two_factor.required_of(person):
        messages.error(request, _("Your role requires two-factor sign-in: it stays on."))
        return redirect("accounts:security")
    if not person.is_verified():
        messages.error(request, _("Sign in with your code first to turn it off."))
        return redirect("accounts:security")
    if request.method == "POST":
        two_factor.turn_off(person)
        messages.success(request, _("Two-factor sign-in is off."))
        return redirect("accounts:security")
    confirmation = Confirmation(
        question=_("Turn off two-factor sign-in?"),
        explanation=_(
            "Your authenticator app and your recovery codes stop working: signing in will ask "
            "only for your password. You can set it up again at any time."
        ),
        button=_("Turn off two-factor sign-in"),
        cancel_url=reverse("accounts:security"),
    )
    return confirm_page(request, confirmation, section="security")
