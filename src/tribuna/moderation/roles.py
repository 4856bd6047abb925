"""Roles as Django groups: administrator (superuser), moderator, editor."""

from __future__ import annotations

MODERATORS = "Moderators"
EDITORS = "Editors"

EDITOR_PERMISSIONS = [
    ("statements", "statement", ["add", "change", "view"]),
    ("statements", "body", ["add", "change", "view"]),
    ("statements", "revision", ["view"]),
]
MODERATOR_PERMISSIONS = [
    ("discussion", "comment", ["view", "change", "delete"]),
    ("discussion", "thread", ["view", "change"]),
    ("antispam", "ban", ["add", "change", "view", "delete"]),
]


def ensure_roles() -> None:
    """Create the groups with their permissions (idempotent; run by migrate and tests)."""
    from django.contrib.auth.models import Group, Permission

    for name, grants in ((EDITORS, EDITOR_PERMISSIONS), (MODERATORS, MODERATOR_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, model, actions in grants:
            codenames = [f"{action}_{model}" for action in actions]
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            )


def is_moderator(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff and (
        user.is_superuser or user.groups.filter(name=MODERATORS).exists()))


def is_editor(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff and (
        user.is_superuser or user.groups.filter(name=EDITORS).exists()))
