"""Choosing the interface language: the site's default, the browser's, or the reader's own choice."""

import json

import pytest

pytestmark = pytest.mark.django_db


def _html_tag(response) -> str:
    html = response.content.decode()
    return html[html.index("<html") : html.index(">", html.index("<html")) + 1]


def test_the_browsers_language_is_used_among_the_enabled_ones(client, statement):
    assert _html_tag(client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")) == '<html lang="de" dir="ltr">'
    assert _html_tag(client.get("/", HTTP_ACCEPT_LANGUAGE="ja")) == '<html lang="en" dir="ltr">'


def test_arabic_pages_are_laid_out_right_to_left(client, statement):
    assert (
        _html_tag(client.get(statement.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ar"))
        == '<html lang="ar" dir="rtl">'
    )


def test_the_switcher_remembers_the_readers_choice_without_javascript(client, statement):
    page = client.get("/").content.decode()
    assert 'action="/i18n/setlang/"' in page and '<option value="pt-br" lang="pt-br"' in page
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert _html_tag(client.get("/", HTTP_ACCEPT_LANGUAGE="de")) == '<html lang="fr" dir="ltr">'


def test_the_script_catalogue_is_served_per_language_and_cached(client):
    response = client.get("/i18n/fr.json")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and response["Access-Control-Allow-Origin"] == "*"
    assert client.get("/i18n/fr-ca.json").json()["language"] == "fr"
    catalogue = json.loads(response.content)
    assert catalogue["language"] == "fr" and isinstance(catalogue["catalog"], dict)
    assert client.get("/i18n/xx.json").status_code == 404


def test_a_site_can_narrow_its_languages(settings, client):
    settings.LANGUAGES = [("en", "English"), ("fr", "Français")]
    assert _html_tag(client.get("/", HTTP_ACCEPT_LANGUAGE="de")) == '<html lang="en" dir="ltr">'
    assert client.get("/i18n/de.json").status_code == 404
