"""Threads know the page they sit under (the spam filter reads its address and title)."""

import pytest

from tribuna.discussion.models import Thread

pytestmark = pytest.mark.django_db


def test_a_statement_thread_is_under_the_statement_page(thread, settings):
    assert thread.page() == (settings.BASE_URL + thread.statement.get_absolute_url(), thread.statement.title)


def test_an_embedded_thread_is_under_the_page_that_embeds_it():
    embedded = Thread.objects.create(key="post-7", title="A post", url="https://blog.example.org/post-7/")
    assert embedded.page() == ("https://blog.example.org/post-7/", "A post")
