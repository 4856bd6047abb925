"""Write the audit log: who did what, when, to which object, with before and after."""

from __future__ import annotations

from tribuna.moderation.models import AuditEntry


def audit_entry(
    action: str, *, user=None, obj=None, before: dict | None = None, after: dict | None = None, note: str = ""
) -> AuditEntry:
    """An unsaved entry: log_action saves one, log_actions saves many in one insert."""
    return AuditEntry(
        action=action,
        user=user if getattr(user, "is_authenticated", False) else None,
        username=getattr(user, "username", "") or "",
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        before=before,
        after=after,
        note=note,
    )


def log_action(
    action: str, *, user=None, obj=None, before: dict | None = None, after: dict | None = None, note: str = ""
) -> AuditEntry:
    entry = audit_entry(action, user=user, obj=obj, before=before, after=after, note=note)
    entry.save()
    return entry


def log_actions(entries: list[AuditEntry]) -> None:
    AuditEntry.objects.bulk_create(entries, batch_size=200)
