"""Roles as Django groups: administrator (superuser), moderator, editor."""

from __future__ import annotations

MODERATORS = "Moderators"
EDITORS = "Editors"

EDITOR_PERMISSIONS = [
    ("statements", "statement", ["add", "change", "view"]),
    ("statements", "body", ["add", "change", "view"]),
    ("statements", "revision", ["view"]),
    ("inline", "inlinequestion", ["add", "change", "view", "delete"]),
]
MODERATOR_PERMISSIONS = [
    ("discussion", "comment", ["view", "change", "delete"]),
    ("discussion", "thread", ["view", "change"]),
    ("antispam", "ban", ["add", "change", "view", "delete"]),
    ("moderation", "auditentry", ["view"]),
    ("moderation", "report", ["view"]),
    ("moderation", "commenthistory", ["view"]),
    ("moderation", "moderationsettings", ["add", "change", "view"]),
]


def ensure_roles(**kwargs) -> None:
    """Create the groups with their permissions (idempotent; run after every migrate and by tests).

    Editors write and publish statements but cannot moderate; moderators moderate every
    thread but cannot change statements. Superusers are administrators and can do both.
    """
    from django.contrib.auth.models import Group, Permission

    for name, grants in ((EDITORS, EDITOR_PERMISSIONS), (MODERATORS, MODERATOR_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, model, actions in grants:
            codenames = [f"{action}_{model}" for action in actions]
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            )


def is_moderator(user) -> bool:
    """Checked by every moderation view and API endpoint, not only used to hide links."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and (user.is_superuser or user.groups.filter(name=MODERATORS).exists())
    )


def is_editor(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and (user.is_superuser or user.groups.filter(name=EDITORS).exists())
    )


def moderator_required(view):
    """Anonymous visitors, and staff whose session has not verified their TOTP device, go to the
    login page; signed-in users who do not moderate get 403."""
    from functools import wraps

    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied

    from tribuna.lib.twofactor import second_factor_ok

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated or not second_factor_ok(request.user):
            return redirect_to_login(request.get_full_path())
        if not is_moderator(request.user):
            raise PermissionDenied("Only moderators may moderate.")
        return view(request, *args, **kwargs)

    return wrapped
