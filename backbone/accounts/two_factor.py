"""Two-factor sign-in: a code from an authenticator app (TOTP), with one-time recovery
codes for a lost phone, kept by django-otp.

Who must use it: the platform's administrators (BACKBONE_ADMIN_TWO_FACTOR), and the backbone
staff and data stewards of an initiative that requires it. Whether an initiative requires it
of a person is kept on the person (`Person.two_factor_required`), recomputed whenever a
membership or an initiative's rule changes, so no page pays a query to know it.
"""

from __future__ import annotations

from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Person

#: The roles an initiative's rule applies to: those who change what everyone reads.
GUARDED_ROLES = ("backbone_staff", "data_steward")
RECOVERY_CODES = 10
APP = "Authenticator app"
RECOVERY = "Recovery codes"


def required_of(person: Person) -> bool:
    """Whether `person` must sign in with a second factor: read from the person alone."""
    return person.two_factor_required or (
        person.is_superuser and settings.BACKBONE_ADMIN_TWO_FACTOR
    )


def _required_by_an_initiative(person: Person) -> bool:
    from backbone.initiatives.models import Membership

    return Membership.objects.filter(
        person=person, role__in=GUARDED_ROLES, initiative__two_factor_required=True
    ).exists()


def refresh_requirement(people) -> None:
    """Keep `two_factor_required` true to the memberships and rules of these people."""
    for person in people:
        required = _required_by_an_initiative(person)
        if person.two_factor_required != required:
            Person.objects.filter(pk=person.pk).update(two_factor_required=required)
            person.two_factor_required = required


def app_device(person: Person) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they set one up."""
    return TOTPDevice.objects.filter(user=person, confirmed=True).first()


def uses_two_factor(person: Person) -> bool:
    return app_device(person) is not None


@transaction.atomic
def start_setup(person: Person) -> TOTPDevice:
    """A new secret for an authenticator app, unconfirmed until a code from it is given."""
    TOTPDevice.objects.filter(user=person, confirmed=False).delete()
    return TOTPDevice.objects.create(user=person, name=APP, confirmed=False)


def pending_setup(person: Person) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=person, confirmed=False).first()


def secret_text(device: TOTPDevice) -> str:
    """The secret as an app asks for it when typed in, in groups of four."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The app's set-up link as a QR code, drawn in SVG here: no image leaves the site."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2)


@transaction.atomic
def confirm_setup(person: Person, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the app with a code it shows; replaces any earlier app and returns fresh
    recovery codes (shown once). None when the code is wrong."""
    if not device.verify_token(_digits(code)):
        return None
    TOTPDevice.objects.filter(user=person, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(person)


@transaction.atomic
def new_recovery_codes(person: Person) -> list[str]:
    """Ten new one-time codes; the earlier ones stop working."""
    StaticDevice.objects.filter(user=person).delete()
    device = StaticDevice.objects.create(user=person, name=RECOVERY)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(person: Person) -> int:
    return StaticToken.objects.filter(device__user=person).count()


def verified_device(person: Person, code: str):
    """The device that accepts `code` — the app's current code, or an unused recovery code
    (used up now) — or None. django-otp slows down repeated wrong codes per device."""
    code = code.strip().replace(" ", "").lower()
    with transaction.atomic():
        for device in devices_for_user(person, for_verify=True):
            token = _digits(code) if isinstance(device, TOTPDevice) else code
            if token and device.verify_token(token):
                return device
    return None


@transaction.atomic
def turn_off(person: Person) -> None:
    for device in devices_for_user(person, confirmed=None):
        device.delete()


def _digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())
