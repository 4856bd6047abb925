"""Proof of work against bots: ALTCHA challenges that the page's widget solves unseen.

A reader's browser spends a fraction of a second finding a number the server can check in
microseconds; a bot posting thousands of comments pays that for each one. No third party
serves or sees anything: the server signs its own challenges (altcha, PyPI) and the widget
(altcha, npm) is served from Tribuna's static files.

Challenges are deterministic (ALTCHA's "counter" mode): the server picks the number the
browser must find, below TRIBUNA_POW_MAX_NUMBER, so the worst case is bounded, and it signs
the derived key so verifying costs one HMAC, not a key derivation.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets
import time
from datetime import UTC, datetime
from enum import Enum

import altcha
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from tribuna.antispam.models import SpentChallenge

ALGORITHM = "PBKDF2/SHA-256"  # bundled with the widget and native to every browser's Web Crypto
MAX_PAYLOAD = 4000  # characters of a base64 solution; a real one is about 700


class Outcome(Enum):
    SOLVED = "solved"
    EXPIRED = "expired"
    REPLAYED = "replayed"
    INVALID = "invalid"


def _secret(purpose: str) -> str:
    return hashlib.sha256(f"tribuna.pow.{purpose}:{settings.SECRET_KEY}".encode()).hexdigest()


def new_challenge() -> dict:
    """A signed challenge, as the widget fetches it."""
    challenge = altcha.create_challenge(
        ALGORITHM,
        settings.TRIBUNA_POW_COST,
        counter=secrets.randbelow(settings.TRIBUNA_POW_MAX_NUMBER),
        expires_at=int(time.time()) + settings.TRIBUNA_POW_MAX_AGE,
        hmac_secret=_secret("challenge"),
        hmac_key_secret=_secret("key"),
    )
    return challenge.to_dict()


def _nonce_and_expiry(payload: str) -> tuple[str, int] | None:
    try:
        parameters = json.loads(base64.b64decode(payload, validate=True))["challenge"]["parameters"]
        nonce, expires = parameters["nonce"], parameters["expiresAt"]
    except (ValueError, KeyError, TypeError, binascii.Error):
        return None
    if not isinstance(nonce, str) or not 0 < len(nonce) <= 64 or type(expires) is not int:
        return None
    return nonce, expires


def verify(payload: str) -> Outcome:
    """Check a solution and spend it: the same solution never verifies twice."""
    if len(payload) > MAX_PAYLOAD:
        return Outcome.INVALID
    found = _nonce_and_expiry(payload)
    if found is None:
        return Outcome.INVALID
    result = altcha.verify_solution(payload, _secret("challenge"), hmac_key_secret=_secret("key"))
    if result.expired:
        return Outcome.EXPIRED
    if not result.verified:
        return Outcome.INVALID
    nonce, expires = found
    now = timezone.now()
    try:
        with transaction.atomic():
            SpentChallenge.objects.filter(expires__lt=now).delete()
            SpentChallenge.objects.create(nonce=nonce, expires=datetime.fromtimestamp(expires, tz=UTC))
    except IntegrityError:
        return Outcome.REPLAYED
    return Outcome.SOLVED
