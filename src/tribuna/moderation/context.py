"""`can_moderate` in every page's context, so the public pages can offer moderators their controls.

Lazy: the group lookup runs only on pages whose template asks.
"""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from tribuna.moderation.roles import is_moderator


def moderation(request) -> dict:
    return {"can_moderate": SimpleLazyObject(lambda: is_moderator(request.user))}
