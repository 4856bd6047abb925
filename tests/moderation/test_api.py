"""Readers' reports: POST /api/v1/comments/{id}/report."""

from __future__ import annotations

import pytest

from tribuna.moderation.models import AuditEntry, Report

pytestmark = pytest.mark.django_db


def report(api, comment_id: int, ip: str, **body):
    return api.post_json(f"/api/v1/comments/{comment_id}/report", {"reason": "abuse", **body}, REMOTE_ADDR=ip)


def test_a_report_is_accepted_and_listed_for_moderators(api, make_comment, mod_client):
    comment = make_comment("Reported once.", status="approved")
    response = report(api, comment.pk, "198.51.100.1", note="Not nice.")
    assert response.status_code == 202
    assert Report.objects.get().note == "Not nice."
    page = mod_client.get("/moderation/?tab=reported").content.decode()
    assert "Reported once." in page and "Not nice." in page
    assert 'Reported <span class="count">1</span>' in page


def test_reports_from_one_visitor_count_once(api, make_comment, settings):
    settings.TRIBUNA_REPORT_THRESHOLD = 2
    comment = make_comment(status="approved")
    for _ in range(3):
        assert report(api, comment.pk, "198.51.100.1").status_code == 202
    comment.refresh_from_db()
    assert comment.status == "approved" and Report.objects.count() == 1


def test_the_threshold_of_distinct_reports_hides_the_comment(api, make_comment, public):
    comment = make_comment("Enough readers object.", status="approved")
    for n in range(4):
        report(api, comment.pk, f"198.51.100.{n}")
    assert comment.pk in public.api_ids()
    assert report(api, comment.pk, "198.51.100.9").status_code == 202
    comment.refresh_from_db()
    assert comment.status == "pending"
    assert "reported by 5 readers" in comment.spam_reasons
    assert public.api_ids() == [] and public.count() == 0
    assert AuditEntry.objects.filter(action="discussion.comment.hidden_by_reports").exists()


def test_three_addresses_no_longer_hide_a_comment_but_put_it_in_the_queue(
    api, make_comment, public, mod_client
):
    """The attack: reports from 3 addresses hid a comment from everyone."""
    comment = make_comment("Three people dislike this.", status="approved")
    for n in range(3):
        assert report(api, comment.pk, f"198.51.100.{n}").status_code == 202
    assert comment.pk in public.api_ids()
    assert "Three people dislike this." in mod_client.get("/moderation/?tab=reported").content.decode()


def test_the_threshold_never_goes_below_five(settings, thread):
    from tribuna.moderation.services import report_threshold

    settings.TRIBUNA_REPORT_THRESHOLD = 2
    assert report_threshold(thread.pk) == 5


def test_the_threshold_scales_with_the_threads_readers(api, make_comment, thread):
    from tribuna.discussion.models import Vote
    from tribuna.moderation.services import report_threshold

    comment = make_comment("Popular thread.", status="approved")
    assert report_threshold(thread.pk) == 5
    Vote.objects.bulk_create([Vote(comment=comment, voter=f"voter-{n}", value=1) for n in range(120)])
    assert report_threshold(thread.pk) == 13  # 10% of 121 readers (120 voters, one commenting network)
    for n in range(12):
        report(api, comment.pk, f"198.51.100.{n}")
    comment.refresh_from_db()
    assert comment.status == "approved"
    report(api, comment.pk, "198.51.100.99")
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_reports_never_hide_a_staff_comment(api, make_comment, mod_client):
    comment = make_comment("The moderators answer here.", status="approved")
    comment.is_moderator = True
    comment.save(update_fields=["is_moderator"])
    for n in range(8):
        assert report(api, comment.pk, f"198.51.100.{n}").status_code == 202
    comment.refresh_from_db()
    assert comment.status == "approved"
    assert "The moderators answer here." in mod_client.get("/moderation/?tab=reported").content.decode()


def test_one_client_reporting_everything_is_rate_limited(api, make_comment, settings):
    settings.TRIBUNA_RATE_LIMIT = True
    comments = [make_comment(f"Comment {n} to report.", status="approved") for n in range(11)]
    codes = [report(api, c.pk, "198.51.100.1").status_code for c in comments]
    assert codes == [202] * 10 + [429]
    assert Report.objects.count() == 10


def test_reports_on_one_comment_are_rate_limited(api, make_comment, settings):
    settings.TRIBUNA_RATE_LIMIT = True
    settings.TRIBUNA_REPORT_LIMITS = {**settings.TRIBUNA_REPORT_LIMITS, "report-comment": (4, 3600)}
    comment = make_comment(status="approved")
    codes = [report(api, comment.pk, f"198.51.100.{n}").status_code for n in range(5)]
    assert codes == [202] * 4 + [429]


def test_a_bad_reason_is_a_400(api, make_comment):
    comment = make_comment(status="approved")
    response = report(api, comment.pk, "198.51.100.1", reason="boring")
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    response = report(api, comment.pk, "198.51.100.1", note="x" * 501)
    assert response.status_code == 400 and "note" in response.json()["errors"]


def test_hidden_comments_cannot_be_reported(api, make_comment):
    assert report(api, make_comment(status="pending").pk, "198.51.100.1").status_code == 404
    assert report(api, 999999, "198.51.100.1").status_code == 404


def test_a_report_needs_json_and_the_write_header(api, make_comment):
    comment = make_comment(status="approved")
    path = f"/api/v1/comments/{comment.pk}/report"
    assert api.post(path, {"reason": "spam"}).status_code in (400, 403, 415)  # a form body
    assert api.post(path, '{"reason": "spam"}', content_type="application/json").status_code == 403
    assert not Report.objects.exists()
