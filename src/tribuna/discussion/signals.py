"""Named life-cycle events of comments.

Sent inside the transaction that changes the comment, so receivers that write rows (the
notification outbox, the audit log) commit or roll back together with the change.
"""

from django.dispatch import Signal

comment_created = Signal()  # comment, notify ("none" | "replies" | "all"), owns_email (proved by the request)
comment_approved = Signal()  # comment, previous_status, by (user or None)
comment_status_changed = Signal()  # comment, previous_status, by
comment_edited = Signal()  # comment, previous_text, by
comment_deleted = Signal()  # comment, by
# Moderators' bulk actions (moderation.services.bulk) send one signal for many comments
# instead of the per-comment ones above, so a bulk action costs a bounded number of queries.
# Receivers of comment_status_changed / comment_approved / comment_deleted must also
# listen to these and handle the whole list at once (bulk_create, one UPDATE).
comments_bulk_status_changed = Signal()  # comments (list), previous_status (dict id->status), status, by
comments_bulk_deleted = Signal()  # comments (list, as they were before deletion), by
