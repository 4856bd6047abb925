"""Typed readers for configuration from the environment.

Every setting comes from the environment with a safe default; a malformed value stops the
process with ImproperlyConfigured instead of being silently ignored.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """A string, or the contents of the file named by NAME_FILE (for container secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0/true/false/yes/no/on/off, not {raw!r}")


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def parse_email_url(url: str) -> dict:
    """Turn EMAIL_URL into Django's EMAIL_* settings.

    Written here because the schemes we promise (smtp+tls, smtp+ssl, console, file) are
    not the ones dj-email-url understands, and the mapping is a dozen lines.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "file":
        return {
            "EMAIL_BACKEND": "tribuna.lib.mail.PrivateFileBackend",
            "EMAIL_FILE_PATH": unquote(parts.path) or "mail",
        }
    if scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme not in {"smtp", "smtp+tls", "smtp+ssl"}:
        raise ImproperlyConfigured(
            f"EMAIL_URL scheme must be smtp, smtp+tls, smtp+ssl, console, file or locmem, not {scheme!r}"
        )
    default_port = {"smtp": 25, "smtp+tls": 587, "smtp+ssl": 465}[scheme]
    try:
        port = parts.port or default_port
    except ValueError as exc:
        raise ImproperlyConfigured(f"EMAIL_URL has an invalid port: {url!r}") from exc
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": scheme == "smtp+tls",
        "EMAIL_USE_SSL": scheme == "smtp+ssl",
        "EMAIL_TIMEOUT": int(query.get("timeout", 10)),
    }
