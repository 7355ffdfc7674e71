"""Two-factor sign-in: set up with an authenticator app, asked after the password, recovery
codes that work once, wrong codes counted as failed sign-ins; required of the backbone staff
and data stewards of an initiative that asks it, and of the platform's administrators."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from backbone.accounts import two_factor
from backbone.initiatives import services
from backbone.initiatives.models import Membership
from backbone.initiatives.roles import Role

pytestmark = pytest.mark.integration

PASSWORD = "correct horse battery"
SECURITY = "/accounts/security/"
LOGIN = "/accounts/login/"


def code(device: TOTPDevice, ahead: int = 0) -> str:
    """The app's code now (or `ahead` steps on: a code is taken once)."""
    number = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    if ahead:
        number = totp(
            device.bin_key,
            step=device.step,
            t0=device.t0 - ahead * device.step,
            digits=device.digits,
        )
    return f"{number:0{device.digits}d}"


def set_up(client: Client, person) -> tuple[TOTPDevice, list[str]]:
    page = client.post(SECURITY, {"start": "1"}).content.decode()
    assert "<svg" in page and "Or type this key" in page
    device = two_factor.pending_setup(person)
    response = client.post(SECURITY, {"code": code(device)})
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())
    return TOTPDevice.objects.get(user=person, confirmed=True), codes


def password_step(email: str, **data) -> tuple[Client, object]:
    client = Client()
    response = client.post(LOGIN, {"username": email, "password": PASSWORD, **data})
    return client, response


def signed_in_as(client: Client):
    return client.get("/").context["user"]


def test_setting_up_shows_a_qr_code_and_key_then_recovery_codes(cast, as_role):
    client = as_role("staff")
    device, codes = set_up(client, cast.staff)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert two_factor.uses_two_factor(cast.staff)
    page = client.get(SECURITY).content.decode()
    assert "10 recovery codes left" in page


def test_a_wrong_code_does_not_turn_it_on(cast, as_role):
    client = as_role("staff")
    client.post(SECURITY, {"start": "1"})
    response = client.post(SECURITY, {"code": "000000"})
    assert "That code is not right" in response.content.decode()
    assert not two_factor.uses_two_factor(cast.staff)


def test_sign_in_asks_for_the_code_after_the_password(cast, as_role, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a person takes longer than the wait after a miss
    device, _ = set_up(as_role("staff"), cast.staff)
    client, response = password_step("staff@example.org", next="/i/riverton/")
    assert response.url == "/accounts/login/code/"
    assert not signed_in_as(client).is_authenticated  # not yet
    wrong = client.post("/accounts/login/code/", {"code": "123456"})
    assert "That code is not right" in wrong.content.decode()
    right = client.post("/accounts/login/code/", {"code": code(device, ahead=1)})
    assert right.url == "/i/riverton/"
    user = signed_in_as(client)
    assert user == cast.staff and user.is_verified()


def test_a_recovery_code_signs_in_once(cast, as_role):
    _, codes = set_up(as_role("staff"), cast.staff)
    client, _ = password_step("staff@example.org")
    response = client.post("/accounts/login/code/", {"code": codes[0].upper()}, follow=True)
    assert "You signed in with a recovery code; 9 are left" in response.content.decode()
    again, _ = password_step("staff@example.org")
    response = again.post("/accounts/login/code/", {"code": codes[0]})
    assert "That code is not right" in response.content.decode()


def test_five_wrong_codes_end_the_attempt_and_count_as_failed_sign_ins(cast, as_role, settings):
    settings.BACKBONE_SIGN_IN_FAILURES_PER_ACCOUNT = 8
    device, _ = set_up(as_role("staff"), cast.staff)
    client, _ = password_step("staff@example.org")
    for _ in range(4):
        client.post("/accounts/login/code/", {"code": "000000"})
    response = client.post("/accounts/login/code/", {"code": "000000"})
    assert response.url == LOGIN
    response = client.post("/accounts/login/code/", {"code": code(device, ahead=1)})
    assert response.url == LOGIN  # the attempt is over: the password again
    client, _ = password_step("staff@example.org")
    for _ in range(3):
        client.post("/accounts/login/code/", {"code": "000000"})
    _, response = password_step("staff@example.org")
    assert response.status_code == 429  # 5 + 3 wrong codes reached the account's limit


def test_the_code_step_lapses_after_five_minutes(cast, as_role):
    device, _ = set_up(as_role("staff"), cast.staff)
    client, _ = password_step("staff@example.org")
    session = client.session
    session["two_factor_pending"]["since"] = time.time() - 301
    session.save()
    response = client.post("/accounts/login/code/", {"code": code(device, ahead=1)})
    assert response.url == LOGIN
    assert not signed_in_as(client).is_authenticated


def test_an_initiative_requires_it_of_backbone_staff_and_data_stewards_only(cast, as_role):
    services.membership_grant(
        initiative=cast.initiative, person=cast.member_a, role=Role.DATA_STEWARD
    )
    cast.initiative.two_factor_required = True
    cast.initiative.save()
    for person in (cast.staff, cast.member_a, cast.steward_a, cast.funder):
        person.refresh_from_db()
    assert cast.staff.two_factor_required and cast.member_a.two_factor_required
    assert not cast.steward_a.two_factor_required and not cast.funder.two_factor_required

    staff = as_role("staff")
    response = staff.get("/i/riverton/")
    assert response.status_code == 302 and response.url == SECURITY
    page = staff.get(SECURITY).content.decode()
    assert "Your role requires it: set it up to continue." in page
    assert staff.get("/api/initiatives").status_code == 403
    assert as_role("steward_a").get("/i/riverton/").status_code == 200

    set_up(staff, cast.staff)
    assert staff.get("/i/riverton/").status_code == 200
    # a session signed in with the password alone is sent to sign in again with the code
    unverified = as_role("staff")
    response = unverified.get("/i/riverton/")
    assert response.url.startswith("/accounts/login/?next=/i/riverton/")


def test_leaving_the_role_or_the_rule_lifts_the_requirement(cast):
    cast.initiative.two_factor_required = True
    cast.initiative.save()
    cast.staff.refresh_from_db()
    assert cast.staff.two_factor_required
    Membership.objects.filter(person=cast.staff).delete()
    cast.staff.refresh_from_db()
    assert not cast.staff.two_factor_required

    cast.other_staff.refresh_from_db()
    assert not cast.other_staff.two_factor_required  # another initiative's staff
    cast.initiative.two_factor_required = False
    cast.initiative.save()


def test_the_platform_requires_it_of_its_administrators(cast, as_role, settings):
    settings.BACKBONE_ADMIN_TWO_FACTOR = True
    assert two_factor.required_of(cast.admin) and not two_factor.required_of(cast.staff)
    admin = as_role("admin")
    assert admin.get("/admin/").url == SECURITY


def test_turning_it_off_asks_first_and_is_refused_where_required(cast, as_role):
    client = as_role("staff")
    set_up(client, cast.staff)
    page = client.get("/accounts/security/turn-off/").content.decode()
    assert "Turn off two-factor sign-in?" in page
    client.post("/accounts/security/turn-off/")
    assert not two_factor.uses_two_factor(cast.staff)

    set_up(client, cast.staff)
    cast.initiative.two_factor_required = True
    cast.initiative.save()
    response = client.post("/accounts/security/turn-off/", follow=True)
    assert "Your role requires two-factor sign-in: it stays on." in response.content.decode()
    assert two_factor.uses_two_factor(cast.staff)


def test_the_admin_signs_in_through_backbones_own_sign_in(cast):
    response = Client().get("/admin/login/?next=/admin/initiatives/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/admin/initiatives/"
    chain = Client().get("/admin/", follow=True).redirect_chain
    assert chain[-1][0] == "/accounts/login/?next=/admin/"
