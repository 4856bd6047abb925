"""Request helpers: the client address, and the network we keep instead of it."""

from __future__ import annotations

import functools
import hmac
import ipaddress

import orjson
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse


def plain_ip(address: str) -> str:
    """The address as Tribuna keeps it: an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, what a
    dual-stack `[::]` bind reports for IPv4 clients) becomes the IPv4 address it carries.

    Without this every IPv4 client would fall in the one IPv6 /64 `::/64` and share one vote,
    one report, one posting limit and one ban. Anything that is not an address comes back as is.
    """
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ip)


def client_ip(request: HttpRequest) -> str:
    """The client's address: X-Forwarded-For is believed only from a configured trusted proxy.

    Walks the forwarded chain from the right and returns the first hop that is not one of
    our proxies, so a client cannot spoof its address by sending the header itself.
    """
    remote = plain_ip(request.META.get("REMOTE_ADDR", "") or "0.0.0.0")
    trusted = settings.TRIBUNA_TRUSTED_PROXIES
    if not trusted or not in_networks(remote, trusted):
        return remote
    forwarded = [
        hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()
    ]
    for hop in reversed(forwarded):
        if not _valid_ip(hop):
            break
        if not in_networks(hop, trusted):
            return plain_ip(hop)
    return remote


def signed_in_user(request: HttpRequest):
    """The account signed in on the request, or None. Accounts sign in only through sessions, so a request
    without the session cookie is answered without building the lazy user (the authentication and
    two-factor middlewares' work: about 3% of an anonymous post, issue 14)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def is_staff_session(request: HttpRequest) -> bool:
    """Whether a staff member's session sent the request."""
    user = signed_in_user(request)
    return user is not None and user.is_staff


def is_loopback(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return (mapped or ip).is_loopback


def forwarded_scheme(environ: dict, scheme: str) -> str:
    """X-Forwarded-Proto's scheme if the request came through a trusted proxy, else `scheme`."""
    proto = environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip().lower()
    if proto in ("http", "https") and in_networks(
        environ.get("REMOTE_ADDR", ""), settings.TRIBUNA_TRUSTED_PROXIES
    ):
        return proto
    return scheme


def _valid_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def ip_in_network(address: str, network: str) -> bool:
    """Whether the address lies in the network, either given IPv4-mapped or plain."""
    try:
        ip = ipaddress.ip_address(plain_ip(address))
        net = ipaddress.ip_network(plain_network(network), strict=False)
    except ValueError:
        return False
    return ip in net


def plain_network(network: str) -> str:
    """A network as Tribuna keeps it: `::ffff:a.b.c.d/120` becomes `a.b.c.d/24`."""
    try:
        net = ipaddress.ip_network(network.strip(), strict=False)
    except ValueError:
        return network
    mapped = net.network_address.ipv4_mapped if net.version == 6 else None
    if mapped is not None and net.prefixlen >= 96:
        return str(ipaddress.ip_network(f"{mapped}/{net.prefixlen - 96}", strict=False))
    return str(net)


def in_networks(address: str, networks: list[str]) -> bool:
    return any(ip_in_network(address, net) for net in networks)


def network_of(address: str) -> str:
    """The /24 of an IPv4 address or the /64 of an IPv6 one: what rate limits and bans key on."""
    try:
        ip = ipaddress.ip_address(plain_ip(address))
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 64
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def rate_key_of(address: str) -> str:
    """Per-IPv4 address, per IPv6 /64: one household's allocation counts as one client."""
    try:
        ip = ipaddress.ip_address(plain_ip(address))
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def keyed_hash(value: str, purpose: str) -> str:
    """A keyed hash for long-term identity (votes, bans) without keeping the raw value."""
    return _keyed_hash(settings.SECRET_KEY, purpose, value)


def _keyed_hash(secret: str, purpose: str, value: str) -> str:
    return hmac.digest(f"{secret}:{purpose}".encode(), value.encode(), "sha256").hex()[:32]


def avatar_path(email: str, name: str) -> str:
    """Where a commenter's avatar is drawn (privacy.avatars serves it): a keyed hash of the address,
    or of the name for a commenter without one, so the picture says nothing about either."""
    return _avatar_path(settings.SECRET_KEY, (email or name or "").strip().lower())


# A cold page draws every comment's avatar and a thread's regulars recur: remembering the hashes
# of recent commenters spares most of them (the key is part of the cache key, so a new one applies).
@functools.lru_cache(maxsize=4096)
def _avatar_path(secret: str, who: str) -> str:
    return f"/avatar/{_keyed_hash(secret, 'avatar', who)}.svg"


def cached_json(request: HttpRequest, etag: str, build) -> HttpResponse:
    """A JSON response keyed by an ETag that names the data's version.

    304 when the client has it; otherwise the encoded body from the cache, built (and
    cached) only on a miss. The ETag must change whenever the data does.
    """
    response = cached_response(request, etag)
    if response is None:
        body = orjson.dumps(build())
        cache.set(_body_key(etag), body, timeout=300)
        response = _json_response(body, etag)
    return response


def cached_response(request: HttpRequest, etag: str) -> HttpResponse | None:
    """304 if the client has this version, the cached bytes if we do, else None."""
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
        response["ETag"] = etag
        response["Cache-Control"] = "no-cache"
        return response
    body = cached_body(etag)
    return None if body is None else _json_response(body, etag)


def cached_body(etag: str) -> bytes | None:
    """The encoded JSON cached under an ETag by ``cached_json``, or None."""
    return cache.get(_body_key(etag))


def _body_key(etag: str) -> str:
    return f"json:{etag}"


def _json_response(body: bytes, etag: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response
