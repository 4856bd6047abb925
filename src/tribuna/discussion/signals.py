"""What the discussion tells the apps built on it, and where they plug into posting.

discussion imports none of those apps (see docs/architecture.md): they connect to these
signals from their AppConfig.ready(), the way pretix's plugins answer its service signals.

Hooks into posting, sent before anything is stored; a receiver refuses a comment by raising
a tribuna.lib.errors.DomainError:
- comment_submitted(thread, submission): check and normalise what the submission carries
  (inline checks the passage anchor and replaces it with canonical selectors).
- comment_screened(thread, submission, verdict): the spam screen has judged a new or edited
  comment; receivers may make the verdict stricter (moderation's pre-moderation rules).

Life-cycle events, sent inside the transaction that changes the comment, so receivers that
write rows (the notification outbox, the audit log, spam labels) commit or roll back with it:
- comment_created(comment, notify, anchor, owns_email): notify is a Subscription mode or "none";
  anchor the submission's selectors or None (inline attaches them); owns_email whether the
  request proved its sender owns the comment's address (lib.owned_addresses).
- comment_approved(comment, previous_status, by): by is the moderator, or None.
- comment_status_changed(comment, previous_status, by).
- comments_bulk_status_changed(comments, previous_status, status, by): moderators' bulk actions
  send this once for many comments instead of the two above, so a bulk action costs a bounded
  number of queries; previous_status maps comment id to status. Receivers of the per-comment
  signals must listen to this one too.
"""

from django.dispatch import Signal

comment_submitted = Signal()
comment_screened = Signal()

comment_created = Signal()
comment_approved = Signal()
comment_status_changed = Signal()
comments_bulk_status_changed = Signal()
