"""Learning from moderators: decisions become labelled examples, and enough new ones retrain.

Listens to the discussion's life-cycle signals instead of being called by moderation, so
every path that changes a comment's status by a person feeds the filter the same way.
"""

from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tribuna.antispam.models import ApiKey, SpamModelVersion, TrainingLabel

log = logging.getLogger(__name__)


def record_label(*, text: str, name: str = "", url: str = "", page: str = "", page_title: str = "",
                 is_spam: bool, source: str, api_key: ApiKey | None = None,
                 comment_id: int | None = None) -> TrainingLabel:
    return TrainingLabel.objects.create(
        text=text[:10_000], name=name[:200], url=url[:2048], page=page[:2048], page_title=page_title[:300],
        is_spam=is_spam, source=source, api_key=api_key, comment_id=comment_id,
    )


def on_status_changed(sender, comment, previous_status, by=None, **kwargs) -> None:
    """A person moved a comment to spam, or out of spam/pending into approved: that is a label."""
    if by is None or not comment.text:
        return
    if comment.status == "spam":
        is_spam = True
    elif comment.status == "approved" and previous_status in {"spam", "pending"}:
        is_spam = False
    else:
        return
    page, page_title = comment.thread.page()
    record_label(text=comment.text, name=comment.author_name, url=comment.author_url, page=page,
                 page_title=page_title, is_spam=is_spam, source=TrainingLabel.Source.MODERATOR, comment_id=comment.pk)


def on_bulk_status_changed(sender, comments, previous_status, status, by=None, **kwargs) -> None:
    """The bulk twin of on_status_changed: one INSERT for a whole moderation batch."""
    if by is None or status not in {"spam", "approved"}:
        return
    from tribuna.discussion.models import Thread

    chosen = [c for c in comments if c.text and (status == "spam" or previous_status.get(c.pk) in {"spam", "pending"})]
    threads = Thread.objects.in_bulk({c.thread_id for c in chosen})
    pages = {pk: thread.page() for pk, thread in threads.items()}
    labels = [
        TrainingLabel(text=c.text[:10_000], name=c.author_name[:200], url=c.author_url[:2048],
                      page=pages[c.thread_id][0][:2048], page_title=pages[c.thread_id][1][:300],
                      is_spam=status == "spam", source=TrainingLabel.Source.MODERATOR, comment_id=c.pk)
        for c in chosen
    ]
    TrainingLabel.objects.bulk_create(labels)


def _labels_for(api_key: ApiKey | None):
    """The shared model learns from every label; a key's model from that key's labels."""
    return TrainingLabel.objects.all() if api_key is None else TrainingLabel.objects.filter(api_key=api_key)


def new_labels_count(api_key: ApiKey | None = None) -> int:
    """Labels that came in after the active model (of the site, or of one key) was trained."""
    labels = _labels_for(api_key)
    trained = SpamModelVersion.objects.filter(api_key=api_key, is_active=True).values_list("created", flat=True)
    if trained:
        labels = labels.filter(created__gt=trained[0])
    return labels.count()


def train_site_model(*, api_key: ApiKey | None = None, dry_run: bool = False) -> SpamModelVersion | None:
    """Retrain on the shipped corpus plus the labels (weighted higher) and activate the model."""
    from tribuna.antispam import classifier, screen

    rows = list(_labels_for(api_key).values_list("id", "text", "name", "url", "page", "page_title", "is_spam"))
    if dry_run:
        return None
    samples = [classifier.Sample(text=t, name=n, url=u, page=p, title=pt) for _, t, n, u, p, pt, _ in rows]
    model = classifier.train_with_site_labels(samples, [int(s) for *_, s in rows])
    version = timezone.now().strftime("%Y%m%d%H%M%S") + "-" + secrets.token_hex(3)
    directory = settings.DATA_DIR / "models"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{version}.joblib"
    model.save(path)
    with transaction.atomic():
        SpamModelVersion.objects.filter(api_key=api_key).update(is_active=False)
        record = SpamModelVersion.objects.create(version=version, api_key=api_key, path=str(path),
                                                 labels=len(rows), is_active=True)
    if api_key is None:
        active = directory / "active.joblib"
        tmp = directory / f".{version}.tmp"
        tmp.write_bytes(path.read_bytes())
        tmp.replace(active)  # atomic: a reader sees the old or the new model, never half of one
        screen.reload_model()
    return record


def retrain_if_due() -> list[SpamModelVersion]:
    """The worker's scheduled job: retrain each model once enough new labels have come in."""
    trained = []
    for api_key in [None, *ApiKey.objects.filter(is_active=True, labels__isnull=False).distinct()]:
        if new_labels_count(api_key) >= settings.TRIBUNA_RETRAIN_AFTER_LABELS:
            log.info("retraining the spam model for %s", api_key or "this site")
            trained.append(train_site_model(api_key=api_key))
    return trained
