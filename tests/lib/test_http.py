from django.test import RequestFactory

from tribuna.lib.http import client_ip, network_of, rate_key_of


def test_forwarded_for_is_ignored_without_trusted_proxies(settings):
    settings.TRIBUNA_TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(request) == "198.51.100.7"


def test_forwarded_for_is_believed_from_a_trusted_proxy(settings):
    settings.TRIBUNA_TRUSTED_PROXIES = ["127.0.0.1/32"]
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    # The rightmost hop that is not our proxy is the client; "1.2.3.4" could be spoofed.
    assert client_ip(request) == "203.0.113.9"


def test_networks_are_truncated():
    assert network_of("203.0.113.77") == "203.0.113.0/24"
    assert network_of("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"


def test_ipv6_clients_are_rate_limited_per_64():
    assert rate_key_of("2001:db8:1:2::1") == rate_key_of("2001:db8:1:2:ffff::9")
