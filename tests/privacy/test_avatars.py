"""Avatars drawn locally from a keyed hash: nothing fetched, nothing revealed."""

import pytest

from tribuna.discussion.models import Comment
from tribuna.privacy.avatars import avatar_url

pytestmark = pytest.mark.django_db


def test_the_avatar_url_carries_a_keyed_hash_not_the_address():
    url = avatar_url(Comment(author_email="ada@example.org", author_name="Ada"))
    assert url.startswith("/avatar/") and url.endswith(".svg")
    assert "ada" not in url
    assert url == avatar_url({"author_email": "ADA@example.org", "author_name": "Someone else"})
    assert url != avatar_url({"author_email": "", "author_name": "Ada"})


def test_the_avatar_is_an_svg_drawn_here(client):
    url = avatar_url({"author_email": "ada@example.org", "author_name": "Ada"})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "immutable" in response["Cache-Control"]
    svg = response.content.decode()
    assert svg.startswith("<svg") and "href" not in svg and "<script" not in svg
    assert client.get(url).content == response.content  # the same every time


def test_other_paths_are_not_avatars(client):
    assert client.get("/avatar/not-a-hash.svg").status_code == 404
    assert client.get("/avatar/" + "A" * 32 + ".svg").status_code == 404
