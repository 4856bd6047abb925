"""Pre-moderation: site-wide rules that can only make a screening verdict stricter.

Configured by TRIBUNA_PREMODERATION, a comma-separated list of:
  all    hold every comment
  first  hold the first comment of an address with no approved comment yet
  links  hold comments that contain links
"""

from __future__ import annotations

from django.conf import settings

from tribuna.antispam.screen import APPROVE, HOLD, link_domains


def apply_policy(thread, submission, verdict) -> None:
    if verdict.action != APPROVE:
        return
    rules = settings.TRIBUNA_PREMODERATION
    if "all" in rules:
        verdict.propose(HOLD, "every comment is held for moderation")
    elif "links" in rules and link_domains(submission.text):
        verdict.propose(HOLD, "comments with links are held for moderation")
    elif "first" in rules and not _known_author(submission.email):
        verdict.propose(HOLD, "first comment from this address")


def _known_author(email: str) -> bool:
    from tribuna.discussion.models import Comment

    return bool(email) and Comment.objects.approved().filter(author_email=email.lower()).exists()
