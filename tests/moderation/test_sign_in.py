"""Signing in: lockouts per username and address together, and TOTP for staff who set it up."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def sign_in(client: Client, ip: str, password: str = PASSWORD, username: str = "moderator", **fields):
    return client.post("/admin/login/", {"username": username, "password": password, **fields}, REMOTE_ADDR=ip)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_wrong_passwords_from_five_addresses_do_not_lock_the_owner_out(moderator):
    """The attack: five wrong passwords from five IPs locked the username for everyone."""
    for n in range(5):
        sign_in(Client(), f"198.51.100.{n}", password="wrong password!")
    owner = Client()
    assert sign_in(owner, "203.0.113.50").status_code == 302
    assert signed_in(owner)


def test_five_failures_lock_that_username_from_that_address_only(moderator):
    attacker = Client()
    for _ in range(5):
        sign_in(attacker, "198.51.100.1", password="wrong password!")
    assert sign_in(attacker, "198.51.100.1").status_code == 429 and not signed_in(attacker)
    owner = Client()
    assert sign_in(owner, "203.0.113.50").status_code == 302 and signed_in(owner)


def test_behind_a_trusted_proxy_the_lockout_sees_the_client_not_the_proxy(moderator, settings):
    """The attack: behind a proxy the login limiter saw only the proxy's address, so it locked everyone."""
    settings.TRIBUNA_TRUSTED_PROXIES = ["10.0.0.0/8"]
    attacker = Client()
    for _ in range(5):
        attacker.post("/admin/login/", {"username": "moderator", "password": "wrong password!"},
                      REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")
    locked = attacker.post("/admin/login/", {"username": "moderator", "password": PASSWORD},
                           REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert locked.status_code == 429
    owner = Client()
    response = owner.post("/admin/login/", {"username": "moderator", "password": PASSWORD},
                          REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.50")
    assert response.status_code == 302 and signed_in(owner)


@pytest.fixture
def device(moderator):
    return TOTPDevice.objects.create(user=moderator, name="phone", confirmed=True)


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def test_staff_with_a_device_cannot_sign_in_with_the_password_alone(device):
    client = Client()
    response = sign_in(client, "203.0.113.5")
    assert response.status_code == 200 and not signed_in(client)
    assert "OTP token" in response.content.decode()


def test_staff_with_a_device_sign_in_with_the_code_and_reach_moderation_and_admin(device):
    client = Client()
    response = sign_in(client, "203.0.113.5", otp_device=device.persistent_id, otp_token=code(device))
    assert response.status_code == 302 and signed_in(client)
    assert client.get("/moderation/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused(device):
    client = Client()
    right = code(device)
    wrong = f"{(int(right) + 1) % 10 ** device.digits:0{device.digits}d}"
    response = sign_in(client, "203.0.113.5", otp_device=device.persistent_id, otp_token=wrong)
    assert response.status_code == 200 and not signed_in(client)


def test_a_session_without_the_second_factor_is_sent_back_to_sign_in(device):
    client = Client()
    client.force_login(device.user)  # a password-only session, e.g. from before the device was added
    assert client.get("/moderation/")["Location"].startswith("/admin/login/")
    assert client.get("/admin/").status_code == 302


def test_staff_without_a_device_still_sign_in_with_a_password(moderator):
    client = Client()
    assert sign_in(client, "203.0.113.5").status_code == 302
    assert client.get("/moderation/").status_code == 200


def test_the_totp_command_sets_up_a_device_that_signs_in(moderator, capsys):
    call_command("totp", "moderator")
    out = capsys.readouterr().out
    assert "otpauth://totp/" in out
    device = TOTPDevice.objects.get(user=moderator)
    client = Client()
    assert sign_in(client, "203.0.113.5").status_code == 200 and not signed_in(client)
    assert sign_in(client, "203.0.113.5", otp_device=device.persistent_id, otp_token=code(device)).status_code == 302


def test_the_totp_command_removes_devices_and_refuses_non_staff(moderator, outsider):
    from django.core.management.base import CommandError

    call_command("totp", "moderator", verbosity=0)
    call_command("totp", "moderator", "--remove")
    assert not TOTPDevice.objects.exists()
    with pytest.raises(CommandError):
        call_command("totp", "outsider")
