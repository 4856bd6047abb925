"""`tribuna export` and `tribuna import tribuna`: the whole site as JSON lines, restored exactly.

Format (version 1), one JSON object per line, UTF-8:
- line 1: {"format": "tribuna-export", "version": 1, "created": ISO date, "personal_data": bool,
  "models": [labels in the order they follow]};
- then one line per object, in that order and by primary key within a model:
  {"model": "discussion.comment", "pk": 12, "fields": {...}}, the fields as Django's serialisers
  write them, except that references to user accounts are written as the username (accounts
  themselves, with their passwords, are not exported: create them again with createsuperuser).

Without --with-personal-data, commenters' emails, IP addresses, networks and user agents are
blanked, notification addresses and subscriptions are left out, as are bans on an IP or email
address, and email and address values in the audit log are blanked.

Restoring keeps every primary key, so replies, anchors and history point where they did. An
object already present and identical is left alone (so a second restore changes nothing); one
present but different stops the restore before anything is written.
"""

from __future__ import annotations

import json
from datetime import datetime, time
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from tribuna.imports.files import read_bytes
from tribuna.imports.records import ImportFileError
from tribuna.imports.report import Report

FORMAT, VERSION = "tribuna-export", 1
MODELS = (
    "statements.body",
    "statements.statement",
    "statements.revision",
    "inline.inlinequestion",
    "discussion.thread",
    "discussion.comment",
    "discussion.vote",
    "notifications.address",
    "notifications.subscription",
    "antispam.ban",
    "moderation.moderationsettings",
    "moderation.report",
    "moderation.commenthistory",
    "moderation.auditentry",
    "imports.sourcerecord",
)
PERSONAL_FIELDS = {
    "discussion.comment": {"author_email": "", "ip_address": None, "ip_network": "", "user_agent": ""}
}
PERSONAL_MODELS = {"notifications.address", "notifications.subscription"}
PERSONAL_KEYS = ("email", "ip", "address", "user_agent")


def _models():
    return [apps.get_model(label) for label in MODELS]


def _user_fields(model) -> list[str]:
    user_model = get_user_model()
    return [f.name for f in model._meta.concrete_fields if f.is_relation and f.related_model is user_model]


class _Encoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts datetimes to milliseconds; a restore must give back every microsecond."""

    def default(self, o):
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def _scrub(value):
    """Audit before/after values without personal data: keys naming an email or address are blanked."""
    if isinstance(value, dict):
        return {
            k: ("" if any(p in k.lower() for p in PERSONAL_KEYS) else _scrub(v)) for k, v in value.items()
        }
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def serialise(obj, *, personal: bool, usernames: dict[int, str]) -> dict:
    row = serializers.serialize("python", [obj])[0]
    label = obj._meta.label_lower
    fields = row["fields"]
    for name in _user_fields(type(obj)):
        fields[name] = usernames.get(fields[name]) if fields[name] is not None else None
    if not personal:
        fields.update(PERSONAL_FIELDS.get(label, {}))
        if label == "moderation.auditentry":
            fields["before"], fields["after"] = _scrub(fields["before"]), _scrub(fields["after"])
    return json.loads(json.dumps({"model": label, "pk": row["pk"], "fields": fields}, cls=_Encoder))


def _included(obj, personal: bool) -> bool:
    label = obj._meta.label_lower
    if personal:
        return True
    if label in PERSONAL_MODELS:
        return False
    return not (label == "antispam.ban" and obj.kind in {"ip", "email"})


def export(path: Path, *, personal: bool) -> dict[str, int]:
    """Write the site to path; returns the number of objects per model."""
    usernames = dict(get_user_model().objects.values_list("pk", "username"))
    counts: dict[str, int] = {}
    with transaction.atomic(), path.open("w", encoding="utf-8") as out:  # one consistent snapshot
        header = {
            "format": FORMAT,
            "version": VERSION,
            "created": timezone.now().isoformat(),
            "personal_data": personal,
            "models": list(MODELS),
        }
        out.write(json.dumps(header) + "\n")
        for model in _models():
            label = model._meta.label_lower
            counts[label] = 0
            for obj in model._base_manager.order_by("pk").iterator(chunk_size=2000):
                if _included(obj, personal):
                    out.write(
                        json.dumps(
                            serialise(obj, personal=personal, usernames=usernames),
                            ensure_ascii=False,
                            separators=(",", ":"),
                        )
                        + "\n"
                    )
                    counts[label] += 1
    return counts


def restore(path: Path, *, dry_run: bool = False, max_bytes: int) -> Report:
    lines = read_bytes(path, max_bytes).decode("utf-8", errors="strict").splitlines()
    rows = _read(path, lines)
    report = Report(source="tribuna", file=str(path), dry_run=dry_run, kinds=MODELS)
    user_ids = dict(get_user_model().objects.values_list("username", "pk"))
    usernames = {pk: name for name, pk in user_ids.items()}
    by_model: dict[str, list[dict]] = {}
    for row in rows:
        by_model.setdefault(row["model"], []).append(row)
    with transaction.atomic():
        new: list[dict] = []
        conflicts = []
        for label, model_rows in by_model.items():
            model = apps.get_model(label)
            existing = model._base_manager.in_bulk([r["pk"] for r in model_rows])
            personal = _header_personal(lines)
            for row in model_rows:
                current = existing.get(row["pk"])
                if current is None:
                    new.append(row)
                    report.count(label, "created")
                elif serialise(current, personal=personal, usernames=usernames) == row:
                    report.count(label, "unchanged")
                else:
                    conflicts.append(f"{label} #{row['pk']}")
        if conflicts:
            raise ImportFileError(
                f"{path}: {len(conflicts)} objects already exist here with other content (e.g. "
                f"{', '.join(conflicts[:5])}); a Tribuna export restores into an empty site. Nothing was imported."
            )
        objects = []
        for row in new:
            fields = dict(row["fields"])
            for name in _user_fields(apps.get_model(row["model"])):
                if fields.get(name) is not None:
                    fields[name] = user_ids.get(fields[name])
                    if fields[name] is None:
                        report.note("references to user accounts not on this site, left empty")
            objects.append({"model": row["model"], "pk": row["pk"], "fields": fields})
        try:
            for deserialised in serializers.deserialize("python", objects):
                deserialised.save()
        except serializers.base.DeserializationError as exc:
            raise ImportFileError(
                f"{path}: an object could not be restored ({exc}). Nothing was imported."
            ) from exc
        _reset_sequences()
        if dry_run:
            transaction.set_rollback(True)
        elif report.changed:
            from tribuna.moderation.audit import log_action

            log_action("imports.restore", after=report.as_dict(), note=report.text())
    return report


def _header_personal(lines: list[str]) -> bool:
    return bool(json.loads(lines[0]).get("personal_data"))


def _read(path: Path, lines: list[str]) -> list[dict]:
    if not lines:
        raise ImportFileError(f"{path}: empty file, not a Tribuna export.")
    try:
        header = json.loads(lines[0])
    except json.JSONDecodeError as exc:
        raise ImportFileError(f"{path}: line 1 is not a Tribuna export header ({exc.msg}).") from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ImportFileError(f'{path}: not a Tribuna export (line 1 has no "format": "{FORMAT}").')
    if header.get("version") != VERSION:
        raise ImportFileError(
            f"{path}: Tribuna export version {header.get('version')!r}; this server reads {VERSION}."
        )
    rows = []
    for number, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if (
                not isinstance(row, dict)
                or row.get("model") not in MODELS
                or not isinstance(row.get("fields"), dict)
            ):
                raise ValueError("not an object of a known model")
        except ValueError as exc:
            raise ImportFileError(
                f"{path}: line {number} is not a Tribuna object ({exc}). Nothing was imported."
            ) from exc
        rows.append(row)
    return rows


def _reset_sequences() -> None:
    """PostgreSQL sequences must move past the restored primary keys (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), _models())
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
