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

from tribuna.antispam.models import ApiKey, SpamModelVersion, TrainingLabel

log = logging.getLogger(__name__)

# The longest value of each label field; longer input is cut, never refused.
LIMITS = {"text": 10_000, "name": 200, "url": 2048, "page": 2048, "page_title": 300}


def _fitted(label: TrainingLabel) -> TrainingLabel:
    for name, limit in LIMITS.items():
        setattr(label, name, getattr(label, name)[:limit])
    return label


def record_label(
    *,
    text: str,
    name: str = "",
    url: str = "",
    page: str = "",
    page_title: str = "",
    is_spam: bool,
    source: str,
    api_key: ApiKey | None = None,
    comment_id: int | None = None,
) -> TrainingLabel:
    label = TrainingLabel(
        text=text,
        name=name,
        url=url,
        page=page,
        page_title=page_title,
        is_spam=is_spam,
        source=source,
        api_key=api_key,
        comment_id=comment_id,
    )
    _fitted(label).save()
    return label


def record_labels(labels: list[TrainingLabel]) -> None:
    """Many labels in one INSERT (a moderator's bulk action)."""
    TrainingLabel.objects.bulk_create([_fitted(label) for label in labels])


def scope_labels(api_key: ApiKey | None):
    """What a scope learns from. The site: only its own moderators' decisions, so nothing sent through
    an Akismet key can move the site's verdicts. A key: only the labels sent with that key."""
    if api_key is None:
        return TrainingLabel.objects.filter(api_key__isnull=True, source=TrainingLabel.Source.MODERATOR)
    return TrainingLabel.objects.filter(api_key=api_key)


def _scope_name(api_key: ApiKey | None) -> str:
    return "this site" if api_key is None else f"key {api_key.pk} ({api_key.site})"


def new_labels_count(api_key: ApiKey | None = None) -> int:
    """Labels of the scope that came in after its last training run (activated or refused)."""
    labels = scope_labels(api_key)
    last = SpamModelVersion.objects.filter(api_key=api_key).values_list("created", flat=True).first()
    if last is not None:
        labels = labels.filter(created__gt=last)
    return labels.count()


def _job(api_key: ApiKey | None):
    """The scope's newest labels split into training and held-back ones, and the models now in use."""
    from tribuna.antispam import training  # numpy: loaded only to train, never by web processes
    from tribuna.antispam.classifier import Sample

    rows = list(
        scope_labels(api_key)
        .order_by("-id")
        .values_list("id", "text", "name", "url", "page", "page_title", "is_spam")[
            : settings.TRIBUNA_SPAM_MAX_LABELS
        ]
    )
    job = training.Job(samples=[], labels=[], held_samples=[], held_labels=[])
    for pk, text, name, url, page, title, is_spam in reversed(rows):
        sample = Sample(text=text, name=name, url=url, page=page, title=title)
        if pk % training.HELD_BACK_EVERY == 0:
            job.held_samples.append(sample)
            job.held_labels.append(int(is_spam))
        else:
            job.samples.append(sample)
            job.labels.append(int(is_spam))
    scopes = [api_key, None] if api_key is not None else [None]
    for scope in scopes:
        blob = (
            SpamModelVersion.objects.filter(api_key=scope, is_active=True)
            .values_list("model", flat=True)
            .first()
        )
        if blob:
            job.current.append(bytes(blob))
    return job


def train_scope(
    api_key: ApiKey | None = None, *, in_child: bool = True, activate_anyway: bool = False
) -> SpamModelVersion:
    """Retrain one scope's model; activate it unless it scores worse than the model it would replace.

    Either way the run is recorded; a refused run keeps no model and changes no verdict.
    ``activate_anyway`` is for a model that must go because labels it learnt from were erased:
    an author's erasure outranks a slightly better score.
    """
    from tribuna.antispam import training  # numpy: loaded only to train, never by web processes

    job = _job(api_key)
    result = training.run_in_child(job) if in_child else training.run(job)
    version = timezone.now().strftime("%Y%m%d%H%M%S") + "-" + secrets.token_hex(3)
    activate = activate_anyway or not result.is_worse
    fields = dict(
        version=version,
        api_key=api_key,
        labels=len(job.labels),
        held_back=len(job.held_labels),
        score=result.score,
        previous_score=result.previous_score,
        misjudged=result.comparison.misjudged if result.comparison else None,
        previous_misjudged=result.comparison.previous_misjudged if result.comparison else None,
        seconds=result.seconds,
    )
    with transaction.atomic():
        if not activate:
            record = SpamModelVersion.objects.create(**fields, outcome=SpamModelVersion.Outcome.REFUSED)
            log.warning(
                "spam model retrain for %s refused: it judges %d held-back labels worse beyond chance (%s; "
                "Brier %.4f, the active model's %.4f)",
                _scope_name(api_key),
                len(job.held_labels),
                result.comparison,
                result.score,
                result.previous_score,
            )
            return record
        replaced = list(
            SpamModelVersion.objects.select_for_update()
            .filter(api_key=api_key, is_active=True)
            .values_list("id", flat=True)
        )
        SpamModelVersion.objects.filter(id__in=replaced).update(is_active=False)
        record = SpamModelVersion.objects.create(
            **fields, model=result.model, is_active=True, outcome=SpamModelVersion.Outcome.ACTIVATED
        )
        # Keep the new model and the one it replaced (to roll back by hand); older bytes only take room.
        SpamModelVersion.objects.filter(api_key=api_key, model__isnull=False).exclude(
            id__in=[record.pk, *replaced]
        ).update(model=None)
    log.info(
        "spam model %s activated for %s (%d labels, %.1f s)",
        version,
        _scope_name(api_key),
        len(job.labels),
        result.seconds,
    )
    return record


def labels_erased_since_training(api_key: ApiKey | None = None) -> bool:
    """Whether labels the scope's last training read have since been erased (privacy erasure): the
    model still holds their word statistics, so the scope is due whatever the count of new labels."""
    last = (
        SpamModelVersion.objects.filter(api_key=api_key).values_list("created", "labels", "held_back").first()
    )
    if last is None:
        return False
    created, labels, held_back = last
    still_there = scope_labels(api_key).filter(created__lte=created).count()
    return min(still_there, settings.TRIBUNA_SPAM_MAX_LABELS) < labels + held_back


def scopes_with_new_labels(minimum: int = 1) -> list[ApiKey | None]:
    """The site (None) and every active key with at least ``minimum`` labels since their last training,
    or with labels erased since then."""
    keys = ApiKey.objects.filter(is_active=True, labels__isnull=False).distinct().order_by("pk")
    return [
        scope
        for scope in [None, *keys]
        if new_labels_count(scope) >= minimum or labels_erased_since_training(scope)
    ]


def retrain_if_due() -> list[SpamModelVersion]:
    """The worker's scheduled job: retrain each scope once enough new labels have come in."""
    trained = []
    for scope in scopes_with_new_labels(settings.TRIBUNA_RETRAIN_AFTER_LABELS):
        log.info("retraining the spam model for %s", _scope_name(scope))
        try:
            trained.append(train_scope(scope, activate_anyway=labels_erased_since_training(scope)))
        except Exception:  # noqa: BLE001 - one scope's failure must not keep the others from learning
            log.exception(
                "retraining the spam model for %s failed; its active model stays", _scope_name(scope)
            )
    return trained


def describe(record: SpamModelVersion) -> str:
    """One line on a training run, for `spam train` and `spam evaluate`."""
    scope = "site" if record.api_key_id is None else f"key {record.api_key_id}"
    if record.score is None:
        judged = "no held-back labels yet to compare"
    else:
        verdicts = (
            f"verdicts costing {record.misjudged} vs {record.previous_misjudged}, "
            if record.misjudged is not None and record.previous_misjudged is not None
            else ""
        )
        judged = (
            f"{verdicts}Brier {record.score:.4f} vs {record.previous_score:.4f} for the model it "
            f"{'replaced' if record.outcome == SpamModelVersion.Outcome.ACTIVATED else 'would replace'} "
            f"on {record.held_back} held-back labels"
        )
    took = f", {record.seconds:.1f} s" if record.seconds is not None else ""
    if record.outcome == SpamModelVersion.Outcome.REFUSED:
        return f"{scope}: NOT activated {record.version}: it scored worse ({judged}; {record.labels} labels{took})"
    return f"{scope}: activated {record.version} ({record.labels} labels, {judged}{took})"


def latest_runs() -> list[SpamModelVersion]:
    """The last training run of every scope that has one."""
    latest: dict[int | None, SpamModelVersion] = {}
    for record in SpamModelVersion.objects.defer("model").order_by("-created", "-id"):
        latest.setdefault(record.api_key_id, record)
    return sorted(latest.values(), key=lambda r: (r.api_key_id is not None, r.api_key_id or 0))
