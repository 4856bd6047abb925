import hashlib
import hmac

from django.test import RequestFactory

from tribuna.lib import http
from tribuna.lib.http import client_ip, ip_in_network, network_of, plain_network, rate_key_of


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


# --- IPv4 clients on a dual-stack bind arrive as IPv4-mapped IPv6 (::ffff:a.b.c.d) ---------------


def test_a_mapped_client_address_is_read_as_ipv4(settings):
    settings.TRIBUNA_TRUSTED_PROXIES = []
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="::ffff:198.51.100.7")) == "198.51.100.7"


def test_two_mapped_ipv4_clients_are_two_clients_for_limits_and_networks():
    assert rate_key_of("::ffff:198.51.100.7") == "198.51.100.7"
    assert rate_key_of("::ffff:198.51.100.7") != rate_key_of("::ffff:203.0.113.9")
    assert network_of("::ffff:198.51.100.7") == "198.51.100.0/24"


def test_an_ipv4_trusted_proxy_matches_when_it_connects_over_a_dual_stack_bind(settings):
    settings.TRIBUNA_TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = RequestFactory().get(
        "/", REMOTE_ADDR="::ffff:10.0.0.2", HTTP_X_FORWARDED_FOR="::ffff:203.0.113.9"
    )
    assert client_ip(request) == "203.0.113.9"


def test_a_mapped_trusted_proxy_network_matches_plain_ipv4(settings):
    settings.TRIBUNA_TRUSTED_PROXIES = ["::ffff:10.0.0.0/104"]
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(request) == "203.0.113.9"


def test_networks_given_mapped_are_kept_as_ipv4():
    assert plain_network("::ffff:198.51.100.0/120") == "198.51.100.0/24"
    assert plain_network("2001:db8::/64") == "2001:db8::/64"
    assert ip_in_network("::ffff:198.51.100.7", "198.51.100.0/24")
    assert not ip_in_network("::ffff:203.0.113.9", "198.51.100.0/24")


def test_keyed_hashes_stay_what_votes_bans_and_avatars_stored(settings):
    """Stored hashes (votes, reports, audit entries) must keep matching: the HMAC-SHA-256 of the value
    under "SECRET_KEY:purpose", first 32 hex digits."""
    settings.SECRET_KEY = "k" * 50
    expected = hmac.new(f"{'k' * 50}:vote".encode(), b"192.0.2.1", hashlib.sha256).hexdigest()[:32]
    assert http.keyed_hash("192.0.2.1", "vote") == expected
    avatar = hmac.new(f"{'k' * 50}:avatar".encode(), b"ann@example.org", hashlib.sha256).hexdigest()[:32]
    assert http.avatar_path(" Ann@Example.org ", "Ann") == f"/avatar/{avatar}.svg"
    settings.SECRET_KEY = "m" * 50  # a new key draws new avatars, remembered hashes or not
    assert http.avatar_path(" Ann@Example.org ", "Ann") != f"/avatar/{avatar}.svg"
