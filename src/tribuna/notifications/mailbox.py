"""Reading the file email backend's directory, for the demo mailbox page.

Django's file backend writes one file per connection, the messages in it separated by a
line of 79 dashes.
"""

from __future__ import annotations

import email
from dataclasses import dataclass
from email.policy import default as default_policy
from pathlib import Path

from django.conf import settings

SEPARATOR = b"\n" + b"-" * 79 + b"\n"
LIMIT = 200
FILE_BACKENDS = ("tribuna.lib.mail.PrivateFileBackend", "django.core.mail.backends.filebased.EmailBackend")


@dataclass
class Mail:
    ref: str  # "<file name>/<index>"
    subject: str
    to: str
    date: str
    text: str


def directory() -> Path | None:
    if settings.EMAIL_BACKEND not in FILE_BACKENDS:
        return None
    return Path(settings.EMAIL_FILE_PATH)  # type: ignore[misc]  # parse_email_url sets it with the file backend


def _parse(ref: str, raw: bytes) -> Mail:
    message = email.message_from_bytes(raw.strip(b"\n"), policy=default_policy)
    body = message.get_body(preferencelist=("plain",))
    return Mail(
        ref=ref,
        subject=str(message.get("Subject", "")),
        to=str(message.get("To", "")),
        date=str(message.get("Date", "")),
        text=body.get_content() if body is not None else "",
    )


def _chunks(path: Path) -> list[bytes]:
    return [chunk for chunk in path.read_bytes().split(SEPARATOR) if chunk.strip()]


def messages() -> list[Mail]:
    """The newest messages first."""
    folder = directory()
    if folder is None or not folder.is_dir():
        return []
    found: list[Mail] = []
    for path in sorted(folder.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True):
        chunks = _chunks(path)
        for index in reversed(range(len(chunks))):
            found.append(_parse(f"{path.name}/{index}", chunks[index]))
            if len(found) >= LIMIT:
                return found
    return found


def message(name: str, index: int) -> Mail | None:
    folder = directory()
    if folder is None or "/" in name or not name.endswith(".log"):
        return None
    path = folder / name
    if not path.is_file():
        return None
    chunks = _chunks(path)
    if not 0 <= index < len(chunks):
        return None
    return _parse(f"{name}/{index}", chunks[index])
