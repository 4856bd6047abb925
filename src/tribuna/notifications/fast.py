"""The per-message work of sending a fan-out, made cheap enough to hold the fan-out figure.

Everything here has a plain equivalent that is too slow. bench/bench_fanout.py (4,000
followers, real SMTP, this shared 2-core machine at load 10-13, runs back to back) measured
the worker's CPU per message and the messages sent per second, where a fan-out must reach
200/s:

* each email built in full (emails.py) and states written through the ORM: 2.1 ms, 96/s;
* copies (below), states through the ORM: 1.0 ms, 159/s;
* copies and the two state writes as prepared SQL (below): 0.55 ms, 224-248/s.

The email package's serialisation and header encoding are most of the first difference, and
compiling two ORM UPDATEs per message most of the second.

`Copies`: a comment email (follow-up, reply, body alert) differs between readers only in the
address, the Message-ID and the unsubscribe token. It is built once by emails.comment_email
with random placeholders in those three places, and a reader's bytes are those bytes with the
placeholders replaced. It refuses (returns None, and the caller builds the email in full)
unless every placeholder came through serialisation verbatim (no quoted-printable or base64
part, no encoded header) and the reader's address is one that every layer writes as it is.
The Date header and the MIME boundary are shared by the copies of one worker batch.

`StateWrites`: the 'handing' and 'sent' UPDATEs of delivery.py, written once as SQL.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.mail.message import sanitize_address
from django.db import connection
from django.utils import timezone

from tribuna.discussion.models import Comment
from tribuna.notifications import emails, tokens
from tribuna.notifications.models import Delivery

# Addresses that header, envelope and folding all write verbatim: no quoting or encoding.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9_+-]+(\.[A-Za-z0-9_+-]+)*@[a-z0-9-]+(\.[a-z0-9-]+)+", re.ASCII)


@dataclass(frozen=True)
class Wire:
    """A message as an SMTP client hands it over: envelope sender, recipients and bytes."""

    sender: str
    recipients: list[str]
    data: bytes


class Copies:
    def __init__(self, name: str, comment: Comment) -> None:
        self.scope = emails.unsubscribe_scope(name, comment)
        slot = secrets.token_hex(8)  # random, so no reader's text can contain a placeholder
        self.to, self.id = f"to{slot}@tribuna.invalid", f"id{slot}"
        # About as long as a real token, so the List-Unsubscribe header folds the same way.
        self.token = f"tok{slot}".ljust(90, "x")
        message = emails.comment_email(
            name, self.to, comment, message_id=self.id, unsubscribe_token=self.token
        )
        mime = message.message()
        data = mime.as_bytes(linesep="\r\n")  # type: ignore[call-arg]  # Django's SafeMIME classes take it
        # The token is in the header and once in each part's unsubscribe link.
        html = str(message.alternatives[0][0])
        written = 1 + message.body.count(self.token) + html.count(self.token)
        verbatim = all(
            part.get("Content-Transfer-Encoding", "7bit") in {"7bit", "8bit"} for part in mime.walk()
        )
        counts = (data.count(self.to.encode()), data.count(self.id.encode()), data.count(self.token.encode()))
        self.pieces: list[bytes] = []
        if verbatim and counts == (1, 1, written):
            self.sender = sanitize_address(message.from_email, message.encoding or settings.DEFAULT_CHARSET)
            placeholders = b"|".join(re.escape(p.encode()) for p in (self.to, self.id, self.token))
            self.pieces = re.split(b"(" + placeholders + b")", data)

    def for_reader(self, to: str, *, message_id: str) -> Wire | None:
        """The reader's bytes, or None where only building their email in full is safe."""
        if not self.pieces or not _PLAIN_ADDRESS.fullmatch(to):
            return None
        values = {
            self.to.encode(): to.encode(),
            self.id.encode(): message_id.encode(),
            self.token.encode(): tokens.unsubscribe_token(to, self.scope).encode(),
        }
        return Wire(self.sender, [to], b"".join(values.get(piece, piece) for piece in self.pieces))


class StateWrites:
    """A claimed row's move into the SMTP transaction and out of it as sent, each only while the
    claim still holds the row. The table and columns come from the model; every value is a parameter."""

    def __init__(self, token: str) -> None:
        self.token = token
        ops, meta = connection.ops, Delivery._meta
        table = ops.quote_name(meta.db_table)
        columns = {f.name: ops.quote_name(str(f.column)) for f in meta.concrete_fields}
        status, claim, pk = columns["status"], columns["claim"], columns["id"]
        sent_at, lease, error = columns["sent_at"], columns["lease_until"], columns["last_error"]
        where = f"WHERE {pk} = %s AND {claim} = %s"
        self.handing_sql = f"UPDATE {table} SET {status} = %s, {lease} = %s {where} AND {status} = %s"  # noqa: S608
        self.sent_sql = (
            f"UPDATE {table} SET {status} = %s, {sent_at} = %s, {lease} = NULL, {error} = '' "  # noqa: S608
            f"{where} AND {status} IN (%s, %s)"
        )

    def handing(self, row: Delivery, lease_until) -> bool:
        lease_until = connection.ops.adapt_datetimefield_value(lease_until)
        with connection.cursor() as cursor:
            cursor.execute(
                self.handing_sql,
                [Delivery.Status.HANDING, lease_until, row.pk, self.token, Delivery.Status.SENDING],
            )
            return cursor.rowcount == 1

    def sent(self, row: Delivery) -> None:
        # 'unknown' too: another worker may have judged the lease over while the server answered.
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                self.sent_sql,
                [
                    Delivery.Status.SENT,
                    now,
                    row.pk,
                    self.token,
                    Delivery.Status.HANDING,
                    Delivery.Status.UNKNOWN,
                ],
            )
