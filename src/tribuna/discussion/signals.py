"""Named life-cycle events of comments.

Sent inside the transaction that changes the comment, so receivers that write rows (the
notification outbox, the audit log) commit or roll back together with the change.
"""

from django.dispatch import Signal

comment_created = Signal()  # comment, notify ("none" | "replies" | "all"), request_meta
comment_approved = Signal()  # comment, previous_status, by (user or None)
comment_status_changed = Signal()  # comment, previous_status, by
comment_edited = Signal()  # comment, previous_text, by
comment_deleted = Signal()  # comment, by
