"""Pre-moderation: site-wide and per-thread rules applied after screening.

Site-wide rules come from TRIBUNA_PREMODERATION, a comma-separated list of:
  all    hold every comment
  first  hold the first comment of an address with no approved comment yet
  links  hold comments that contain links
A thread's ModerationSettings add to these (hold all, first, links, suspect words) and may
set how many approved comments make an address trusted (TRIBUNA_AUTO_APPROVE_AFTER site-wide).

Rules can only make a verdict stricter, with one exception: a trusted address's held comment
is approved, unless it was held by "hold all" or a suspect word. Spam and discard verdicts
are never changed. A "hold" because the classifier is unsure stays a hold for unknown
authors: that is the case a moderator is for, so there is deliberately no switch to turn it off.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from tribuna.antispam.screen import APPROVE, HOLD, link_domains
from tribuna.discussion.models import Comment
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
        own = ModerationSettings.objects.filter(thread_id=thread.pk).first() if thread.pk else None
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
    approved = None
    if rules.hold_first:
        approved = approved_count(submission.email)
        if not approved:
            verdict.propose(HOLD, "first comment from this address")
    if verdict.action == HOLD and not firm and rules.auto_approve_after > 0 and submission.email:
        approved = approved_count(submission.email) if approved is None else approved
        if approved >= rules.auto_approve_after:
            verdict.action = APPROVE
            verdict.reasons.append(f"trusted address: {approved} approved comments")


def suspect_words(words: list[str], *texts: str) -> list[str]:
    haystack = " ".join(texts).lower()
    return [word for word in words if word in haystack]


def approved_count(email: str) -> int:
    if not email:
        return 0
    return Comment.objects.approved().filter(author_email=email.lower()).count()
