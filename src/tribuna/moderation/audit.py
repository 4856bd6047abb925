"""Write the audit log: who did what, when, to which object, with before and after."""

from __future__ import annotations

from tribuna.moderation.models import AuditEntry


def log_action(action: str, *, user=None, obj=None, before: dict | None = None, after: dict | None = None,
               note: str = "") -> AuditEntry:
    return AuditEntry.objects.create(
        action=action,
        user=user if getattr(user, "is_authenticated", False) else None,
        username=getattr(user, "username", "") or "",
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        before=before,
        after=after,
        note=note,
    )
