"""Learning from moderators: decisions become labelled examples, and enough new ones retrain.

Which decisions are labels is moderation's to say (moderation/learning.py listens to the
discussion's status signals); this module stores the labels and trains on them.
"""

from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tribuna.antispam import screen
from tribuna.antispam.models import ApiKey, SpamModelVersion, TrainingLabel

log = logging.getLogger(__name__)

# The longest value of each label field; longer input is cut, never refused.
LIMITS = {"text": 10_000, "name": 200, "url": 2048, "page": 2048, "page_title": 300}


def _fitted(label: TrainingLabel) -> TrainingLabel:
    for name, limit in LIMITS.items():
        setattr(label, name, getattr(label, name)[:limit])
    return label


def record_label(*, text: str, name: str = "", url: str = "", page: str = "", page_title: str = "",
                 is_spam: bool, source: str, api_key: ApiKey | None = None,
                 comment_id: int | None = None) -> TrainingLabel:
    label = TrainingLabel(text=text, name=name, url=url, page=page, page_title=page_title, is_spam=is_spam,
                          source=source, api_key=api_key, comment_id=comment_id)
    _fitted(label).save()
    return label


def record_labels(labels: list[TrainingLabel]) -> None:
    """Many labels in one INSERT (a moderator's bulk action)."""
    TrainingLabel.objects.bulk_create([_fitted(label) for label in labels])


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


def train_site_model(*, api_key: ApiKey | None = None) -> SpamModelVersion:
    """Retrain on the shipped corpus plus the labels (weighted higher) and activate the model."""
    from tribuna.antispam import classifier  # numpy and scikit-learn: loaded only to train

    rows = list(_labels_for(api_key).values_list("id", "text", "name", "url", "page", "page_title", "is_spam"))
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
