"""Moderators' decisions become labels, and retraining builds and activates a site model."""

import pytest

from tribuna.antispam import learning
from tribuna.antispam.models import SpamModelVersion, TrainingLabel
from tribuna.discussion import services
from tribuna.discussion.models import Comment

pytestmark = pytest.mark.django_db


def make_comment(thread, status="pending", text="Is the archive open on Sundays too?"):
    comment = Comment.objects.create(thread=thread, author_name="A", text=text, html=f"<p>{text}</p>", status=status)
    if status == "approved":
        services.count_visible(comment, +1)
    return comment


def test_marking_spam_by_a_person_records_a_spam_label(thread, moderator):
    comment = make_comment(thread, status="approved", text="Great deals on watches at my shop")
    services.set_status(comment, "spam", by=moderator)
    label = TrainingLabel.objects.get()
    assert label.is_spam and label.comment_id == comment.pk and label.source == "moderator"


def test_a_label_remembers_the_page_its_comment_was_under(thread, moderator, settings):
    comment = make_comment(thread, status="approved", text="Great deals on watches at my shop")
    services.set_status(comment, "spam", by=moderator)
    label = TrainingLabel.objects.get()
    assert label.page == settings.BASE_URL + thread.statement.get_absolute_url()
    assert label.page_title == thread.statement.title


def test_approving_a_held_comment_records_a_ham_label(thread, moderator):
    comment = make_comment(thread)
    services.set_status(comment, "approved", by=moderator)
    assert TrainingLabel.objects.get().is_spam is False


def test_automatic_changes_are_not_labels(thread):
    comment = make_comment(thread)
    services.set_status(comment, "approved", by=None)
    assert not TrainingLabel.objects.exists()


def test_retraining_activates_a_new_model_that_knows_the_sites_labels(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    for i in range(12):
        learning.record_label(text=f"Visit the tulip bulb wholesale portal number {i}", is_spam=True,
                              source="moderator")
    record = learning.train_site_model()
    assert record.is_active and record.labels == 12
    assert (tmp_path / "models" / "active.joblib").exists()
    assert learning.new_labels_count() == 0
    assert SpamModelVersion.objects.filter(is_active=True).count() == 1


def test_a_bulk_spam_action_records_one_label_per_comment(thread, moderator):
    from tribuna.moderation.services import bulk

    comments = [make_comment(thread, text=f"Cheap watches outlet number {i}") for i in range(3)]
    bulk("spam", [c.pk for c in comments], moderator)
    assert sorted(TrainingLabel.objects.values_list("comment_id", "is_spam")) == [(c.pk, True) for c in comments]
    assert set(TrainingLabel.objects.values_list("page_title", flat=True)) == {thread.statement.title}


def test_spam_train_command_activates_a_model(settings, tmp_path, capsys):
    from django.core.management import call_command

    settings.DATA_DIR = tmp_path
    learning.record_label(text="Discount watches at the outlet", is_spam=True, source="moderator")
    call_command("spam", "train", "--dry-run")
    assert "1 site labels (1 new)" in capsys.readouterr().out
    assert not SpamModelVersion.objects.exists()
    call_command("spam", "train")
    assert SpamModelVersion.objects.get().is_active


def test_a_keys_labels_train_its_own_model_and_the_shared_one(settings, tmp_path):
    from tribuna.antispam.models import ApiKey

    settings.DATA_DIR = tmp_path
    settings.TRIBUNA_RETRAIN_AFTER_LABELS = 2
    key = ApiKey.objects.create(key="a" * 32, site="https://blog.example.org")
    for text in ("Tulip bulbs wholesale, best price", "Tulip bulbs outlet, order today"):
        learning.record_label(text=text, is_spam=True, source="akismet", api_key=key)
    trained = learning.retrain_if_due()
    assert sorted(str(m.api_key_id) for m in trained) == sorted(["None", str(key.pk)])
    assert learning.new_labels_count(key) == 0 and learning.retrain_if_due() == []
