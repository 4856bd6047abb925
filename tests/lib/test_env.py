import pytest
from django.core.exceptions import ImproperlyConfigured

from tribuna.lib.env import env_bool, env_int, parse_email_url


def test_email_url_schemes_map_to_django_settings():
    tls = parse_email_url("smtp+tls://user:p%40ss@mail.example.org:2525")
    assert tls["EMAIL_HOST"] == "mail.example.org" and tls["EMAIL_PORT"] == 2525
    assert tls["EMAIL_USE_TLS"] and not tls["EMAIL_USE_SSL"]
    assert tls["EMAIL_HOST_PASSWORD"] == "p@ss"
    assert parse_email_url("smtp+ssl://h")["EMAIL_PORT"] == 465
    assert parse_email_url("console://")["EMAIL_BACKEND"].endswith("console.EmailBackend")


def test_unknown_email_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured, match="scheme"):
        parse_email_url("pigeon://coop")


def test_bad_booleans_and_integers_are_refused(monkeypatch):
    monkeypatch.setenv("X_BOOL", "maybe")
    monkeypatch.setenv("X_INT", "ten")
    with pytest.raises(ImproperlyConfigured):
        env_bool("X_BOOL")
    with pytest.raises(ImproperlyConfigured):
        env_int("X_INT", 1)
