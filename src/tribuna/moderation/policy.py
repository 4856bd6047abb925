"""Pre-moderation: site-wide and per-thread rules applied after screening.

Site-wide rules come from TRIBUNA_PREMODERATION, a comma-separated list of:
  all    hold every comment
  first  hold comments of anyone not known: a known commenter's request proves it owns
         its address (see lib.owned_addresses) and the address has an approved comment
  links  hold comments that contain links
A thread's ModerationSettings add to these (hold all, first, links, suspect words) and may
set how many approved comments make an address trusted (TRIBUNA_AUTO_APPROVE_AFTER site-wide).

Rules can only make a verdict stricter, with one exception: a trusted address's held comment
is approved, unless it was held by "hold all" or a suspect word. Trust and "known" need proof
of ownership, never a typed address alone: anyone can type anyone's address, and an answer
that differed for a known address would tell a stranger who has commented. Spam and discard verdicts
are never changed. A "hold" because the classifier is unsure stays a hold for unknown
authors: that is the case a moderator is for, so there is deliberately no switch to turn it off.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from tribuna.antispam.screen import APPROVE, HOLD, link_domains
from tribuna.discussion.models import Comment
from tribuna.discussion.services import is_verified
from tribuna.lib.sql import select
from tribuna.moderation.models import ModerationSettings


@dataclass
class Rules:
    hold_all: bool
    hold_first: bool
    hold_links: bool
    words: list[str]
    auto_approve_after: int

    @classmethod
    def for_thread(cls, thread) -> Rules:
        site = settings.TRIBUNA_PREMODERATION
        own = thread_settings(thread.pk) if thread.pk else None
        after = settings.TRIBUNA_AUTO_APPROVE_AFTER
        if own is not None and own.auto_approve_after is not None:
            after = own.auto_approve_after
        return cls(
            hold_all="all" in site or bool(own and own.hold_all),
            hold_first="first" in site or bool(own and own.hold_first),
            hold_links="links" in site or bool(own and own.hold_links),
            words=own.words if own else [],
            auto_approve_after=after,
        )


SETTINGS_FIELDS = ("id", "hold_all", "hold_first", "hold_links", "suspect_words", "auto_approve_after")


def thread_settings(thread_id: int) -> ModerationSettings | None:
    """The thread's own rules, read on every post: a statement built once (lib.sql) rather than
    compiled by the ORM each time (issue 14). tests/moderation/test_policy.py compares it with the queryset."""
    found = select(ModerationSettings, SETTINGS_FIELDS, "thread_id = %s", [thread_id])
    return found[0] if found else None


def on_comment_screened(sender, thread, submission, verdict, **kwargs) -> None:
    """Posting's hook (discussion.signals.comment_screened), connected in ModerationConfig.ready()."""
    apply_policy(thread, submission, verdict)


def apply_policy(thread, submission, verdict) -> None:
    if verdict.action not in (APPROVE, HOLD):
        return
    rules = Rules.for_thread(thread)
    firm = False  # held by a rule that trust does not lift
    if rules.hold_all:
        verdict.propose(HOLD, "every comment is held for moderation")
        firm = True
    found = suspect_words(rules.words, submission.text, submission.name)
    if found:
        verdict.propose(HOLD, "suspect words: " + ", ".join(found))
        firm = True
    if rules.hold_links and link_domains(submission.text):
        verdict.propose(HOLD, "comments with links are held for moderation")
    # Only an owner's own request counts its history: nothing is even looked up otherwise.
    approved = approved_count(submission.email) if submission.owns_email else 0
    if rules.hold_first and not approved and not submission.is_edit:
        verdict.propose(HOLD, "first comment from this address, or its owner not yet known on this device")
    if verdict.action == HOLD and not firm and rules.auto_approve_after > 0 and submission.email:
        if approved >= rules.auto_approve_after:
            verdict.action = APPROVE
            verdict.reasons.append(f"trusted address: {approved} approved comments")


def suspect_words(words: list[str], *texts: str) -> list[str]:
    haystack = " ".join(texts).lower()
    return [word for word in words if word in haystack]


def approved_count(email: str) -> int:
    """Approved comments of an address whose owner has proved owning it (forgotten again by erasure)."""
    if not email or not is_verified(email):
        return 0
    return Comment.objects.approved().filter(author_email=email.lower()).count()
