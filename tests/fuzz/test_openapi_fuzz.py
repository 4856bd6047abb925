"""A bounded schemathesis run against the JSON API's own OpenAPI document.

Every operation gets FUZZ_EXAMPLES generated requests (more with the environment variable);
no answer may be a 500, and every answer must match what the document says: status code,
content type, headers and body schema.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

pytestmark = pytest.mark.slow

FUZZ_EXAMPLES = int(os.environ.get("TRIBUNA_FUZZ_EXAMPLES", "25"))
WRITE_HEADERS = {"X-Tribuna": "1"}

# A schema-valid request may still break a rule the document cannot express (the thread must
# exist and be open, a note at most 500 characters after cleaning, an email that takes mail):
# those get a precise 400 with the field's message, which this check would call a rejection.
RULES_THE_SCHEMA_CANNOT_STATE = [schemathesis.checks.positive_data_acceptance]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
# A body over the server's size limit is refused with 413 before the API reads it: a rejection too.
_rejection = schema.config.checks.negative_data_rejection
_rejection.expected_statuses = [*_rejection.expected_statuses, "413"]


@pytest.fixture
def site(db, thread, post_comment, request):
    """A thread with comments, so generated requests meet real rows as well as missing ones."""
    for n in range(4):
        post_comment(text=f"Comment number {n} for the fuzzer to vote on, report and page through.")
    request.getfixturevalue("connection_kept_open")  # after the test client's own requests
    return thread


@schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
@pytest.mark.django_db
def test_the_api_answers_every_generated_request_as_documented(case, site):
    case.call_and_validate(headers=WRITE_HEADERS, excluded_checks=RULES_THE_SCHEMA_CANNOT_STATE)


@pytest.mark.parametrize(
    "query", [{"limit": 2}, {"sort": "newest", "limit": 3}, {"sort": "best", "limit": 1}, {"passages": True}]
)
def test_a_real_threads_pages_match_the_documented_schema(site, query):
    """Generated thread keys rarely exist: read a real thread, first and second page."""
    operation = schema["/api/v1/comments"]["GET"]
    first = operation.Case(query={"thread": site.key, **query}).call_and_validate()
    assert first.status_code == 200
    cursor = first.json()["next"]
    if cursor:
        second = operation.Case(query={"thread": site.key, **query, "cursor": cursor}).call_and_validate()
        assert second.status_code == 200


def test_the_document_repeats_no_key(client):
    """Swagger UI (and any YAML reader) refuses a document with a key twice, e.g. a status as 400 and "400"."""
    import json

    def no_duplicates(pairs):
        keys = [key for key, _ in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=no_duplicates)
