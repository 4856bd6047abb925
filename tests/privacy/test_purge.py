"""`tribuna purge` removes full IPs and user agents past the retention, and nothing else."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.utils import timezone

from tribuna.discussion.models import Comment

pytestmark = pytest.mark.django_db


def _comment(thread, days_old: int, ip: str = "203.0.113.9") -> Comment:
    comment = Comment.objects.create(
        thread=thread,
        author_name="Ada",
        author_email="ada@example.org",
        author_url="https://ada.example/",
        text="Some words",
        html="<p>Some words</p>",
        status=Comment.Status.APPROVED,
        ip_address=ip,
        ip_network="203.0.113.0/24",
        user_agent="Mozilla/5.0 (X11)",
        spam_reasons=["a reason"],
    )
    Comment.objects.filter(pk=comment.pk).update(created=timezone.now() - timedelta(days=days_old))
    comment.refresh_from_db()
    return comment


def test_it_removes_ips_and_user_agents_older_than_the_retention_and_nothing_else(thread, settings):
    settings.TRIBUNA_IP_RETENTION_DAYS = 30
    old = _comment(thread, days_old=31)
    recent = _comment(thread, days_old=29, ip="2001:db8::1")
    before_old, before_recent = model_to_dict(old), model_to_dict(recent)
    call_command("purge", verbosity=0)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.ip_address is None and old.user_agent == ""
    after_old = model_to_dict(old)
    changed = {key for key in before_old if before_old[key] != after_old[key]}
    assert changed == {"ip_address", "user_agent"}
    assert old.ip_network == "203.0.113.0/24"  # the truncated network is kept
    assert model_to_dict(recent) == before_recent


def test_the_retention_setting_moves_the_cutoff(thread, settings):
    comment = _comment(thread, days_old=10)
    settings.TRIBUNA_IP_RETENTION_DAYS = 14
    call_command("purge", verbosity=0)
    comment.refresh_from_db()
    assert comment.ip_address == "203.0.113.9"
    settings.TRIBUNA_IP_RETENTION_DAYS = 7
    call_command("purge", verbosity=0)
    comment.refresh_from_db()
    assert comment.ip_address is None


def test_a_dry_run_counts_and_changes_nothing(thread, capsys):
    comment = _comment(thread, days_old=400)
    _comment(thread, days_old=1)
    call_command("purge", dry_run=True)
    assert "Would remove IP addresses and user agents from 1 comment(s)" in capsys.readouterr().out
    comment.refresh_from_db()
    assert comment.ip_address == "203.0.113.9"
    call_command("purge")
    assert "Removed IP addresses and user agents from 1 comment(s)" in capsys.readouterr().out
    call_command("purge", verbosity=0)
    assert capsys.readouterr().out == ""
