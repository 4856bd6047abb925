"""CORS answers exactly the configured embedding origins, and nobody else."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def preflight(client, origin: str, method: str = "POST"):
    return client.options(
        "/api/v1/comments",
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD=method,
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type, x-tribuna",
    )


def test_it_names_a_configured_origin_exactly_and_varies_on_origin(client, thread, blog):
    response = client.get("/api/v1/comments", {"thread": thread.key}, HTTP_ORIGIN=blog)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == blog
    assert "Origin" in response["Vary"]
    assert "Access-Control-Allow-Credentials" not in response


def test_it_never_answers_with_a_wildcard(client, thread, blog, stranger):
    for origin in (blog, stranger, "null", ""):
        response = client.get("/api/v1/comments", {"thread": thread.key}, HTTP_ORIGIN=origin)
        assert response.get("Access-Control-Allow-Origin") in (None, blog)


def test_it_gives_a_foreign_origin_no_cors_headers_but_still_varies(client, thread, blog, stranger):
    response = client.get("/api/v1/comments", {"thread": thread.key}, HTTP_ORIGIN=stranger)
    assert "Access-Control-Allow-Origin" not in response
    assert "Origin" in response["Vary"]


@pytest.mark.parametrize(
    "origin",
    [
        "https://blog.example.org.evil.com",
        "http://blog.example.org",
        "https://blog.example.org:8443",
        "https://blog.example.org/",
        "HTTPS://BLOG.EXAMPLE.ORG",
        "https://sub.blog.example.org",
    ],
)
def test_it_refuses_near_misses_of_a_configured_origin(client, blog, origin):
    response = preflight(client, origin)
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response


def test_it_refuses_the_preflight_of_a_foreign_origin(client, blog, stranger):
    response = preflight(client, stranger)
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response
    assert "Origin" in response["Vary"]


def test_it_allows_the_preflight_of_a_configured_origin_with_the_widget_headers(client, blog):
    response = preflight(client, blog, method="DELETE")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == blog
    allowed_headers = {h.strip().lower() for h in response["Access-Control-Allow-Headers"].split(",")}
    assert {"content-type", "x-tribuna", "x-edit-token"} <= allowed_headers
    assert "DELETE" in response["Access-Control-Allow-Methods"]


def test_it_refuses_every_origin_when_none_is_configured(client, settings):
    settings.TRIBUNA_ALLOWED_ORIGINS = []
    assert preflight(client, "https://blog.example.org").status_code == 403


def test_it_leaves_pages_outside_the_api_alone(client, blog):
    response = client.get("/embed.js", HTTP_ORIGIN=blog)
    assert "Access-Control-Allow-Origin" not in response
