"""The privacy notice is generated from the running configuration."""

import pytest

from tribuna.privacy.models import PrivacyContact
from tribuna.privacy.notice import build_notice, duration

pytestmark = pytest.mark.django_db


def test_it_states_the_configured_ip_retention(client, settings):
    settings.TRIBUNA_IP_RETENTION_DAYS = 30
    assert "30 days, then deleted" in client.get("/privacy/").content.decode()
    settings.TRIBUNA_IP_RETENTION_DAYS = 7
    page = client.get("/privacy/").content.decode()
    assert "7 days, then deleted" in page
    assert "30 days" not in page
    assert build_notice().ip_retention_days == 7


def test_it_gives_cookie_and_storage_lifetimes_from_the_settings(client, settings):
    settings.CSRF_COOKIE_AGE = 3600
    settings.TRIBUNA_EDIT_WINDOW = 600
    notice = build_notice()
    lifetimes = {item.name: item.lifetime for item in notice.browser}
    assert lifetimes["csrftoken"] == "1 hour"
    assert lifetimes["edit token"] == "10 minutes"
    assert {"csrftoken", "sessionid", "messages", "tribuna_addresses", "tribuna.name"} <= set(lifetimes)
    page = client.get("/privacy/").content.decode()
    assert "tribuna.name" in page and "local storage" in page and "page memory" in page


def test_it_lists_every_kind_of_stored_data():
    names = " ".join(item.name for item in build_notice().stored).lower()
    for kind in (
        "name",
        "email",
        "website",
        "ip address",
        "user agent",
        "text",
        "votes",
        "subscriptions",
        "reports",
    ):
        assert kind in names


def test_by_default_no_third_party_receives_anything(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "localhost"
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    settings.DATABASE_URL = "postgres://tribuna@localhost/tribuna"
    assert build_notice().recipients == []
    assert "no third party receives any of it" in client.get("/privacy/").content.decode()


def test_it_names_an_smtp_relay_on_another_host(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "smtp.relay.example.net"
    page = client.get("/privacy/").content.decode()
    assert "Email relay" in page and "smtp.relay.example.net" in page


def test_it_names_a_remote_cache_and_database(settings):
    settings.REDIS_URL = "redis://cache.internal.example:6379/1"
    settings.DATABASE_URL = "postgres://tribuna:secret@db.example.net:5432/tribuna"
    hosts = {r.name: r.host for r in build_notice().recipients}
    assert hosts == {"Cache server": "cache.internal.example", "Database server": "db.example.net"}


def test_the_file_email_backend_sends_nothing_anywhere(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_HOST = "smtp.example.net"  # left over, unused by the file backend
    assert build_notice().recipients == []


def test_the_operator_names_the_controller_in_settings_or_in_the_admin(client, settings):
    settings.TRIBUNA_PRIVACY_CONTROLLER = "Commission Secretariat"
    settings.TRIBUNA_PRIVACY_CONTACT = "privacy@commission.example"
    page = client.get("/privacy/").content.decode()
    assert "Commission Secretariat" in page and "mailto:privacy@commission.example" in page
    PrivacyContact(
        controller_name="The Board",
        contact_email="dpo@board.example",
        extra_text="## Legal basis\n\nLegitimate interest. <script>alert(1)</script>",
    ).save()
    page = client.get("/privacy/").content.decode()
    assert "The Board" in page and "dpo@board.example" in page and "Commission Secretariat" not in page
    assert "Legitimate interest." in page
    assert "<script>alert(1)" not in page


def test_the_contact_is_a_single_row():
    PrivacyContact(controller_name="First").save()
    PrivacyContact(controller_name="Second").save()
    assert PrivacyContact.objects.count() == 1
    assert PrivacyContact.current().controller_name == "Second"


def test_durations_read_naturally():
    assert duration(31449600) == "52 weeks"
    assert duration(43200) == "12 hours"
    assert duration(900) == "15 minutes"
    assert duration(90) == "90 seconds"
