"""A bounded schemathesis run against the Akismet-compatible endpoints.

They are plain Django views (form bodies, plain-text answers), outside the JSON API's
document, so their contract is written here as OpenAPI, after the public Akismet API.
No answer may be a 500, and every answer must match this document.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from tests.fuzz.test_openapi_fuzz import FUZZ_EXAMPLES, RULES_THE_SCHEMA_CANNOT_STATE

pytestmark = pytest.mark.slow

FIELDS = (
    "api_key",
    "blog",
    "user_ip",
    "user_agent",
    "referrer",
    "permalink",
    "comment_type",
    "comment_author",
    "comment_author_email",
    "comment_author_url",
    "comment_content",
    "blog_lang",
    "blog_charset",
    "user_role",
    "is_test",
)
TEXT = {"content": {"text/plain": {"schema": {"type": "string"}}}}


def operation(summary: str) -> dict:
    return {
        "summary": summary,
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "required": ["api_key", "blog", "user_ip"],
                        "properties": {name: {"type": "string"} for name in FIELDS},
                    }
                }
            },
        },
        "responses": {"200": {"description": "valid / invalid, true / false, or thanks", **TEXT}},
    }


AKISMET = {
    "openapi": "3.0.3",
    "info": {"title": "Tribuna's Akismet-compatible service", "version": "1.1"},
    "paths": {
        "/1.1/verify-key": {"post": operation("Is the key valid?")},
        "/1.1/comment-check": {"post": operation("Is the comment spam?")},
        "/1.1/submit-spam": {"post": operation("A missed spam.")},
        "/1.1/submit-ham": {"post": operation("A false positive.")},
    },
}

# Akismet's protocol answers a missing key or field with 200 and a plain-text "invalid" or
# "Missing required field" (and X-akismet-debug-help), never a 4xx: clients depend on that.
AKISMET_ANSWERS_ERRORS_WITH_200 = schemathesis.checks.negative_data_rejection

schema = schemathesis.openapi.from_dict(AKISMET)
schema.app = get_wsgi_application()


@pytest.fixture
def api_key(db, request):
    from tribuna.antispam.models import ApiKey

    key = ApiKey.objects.create(key="fuzz-key-0123456789", site="https://blog.example.org")
    request.getfixturevalue("connection_kept_open")
    return key


@schema.parametrize()
@settings(
    max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
@pytest.mark.django_db
def test_the_akismet_endpoints_answer_every_generated_request_as_documented(case, api_key):
    if isinstance(case.body, dict) and case.operation.path != "/1.1/verify-key":
        case.body["api_key"] = api_key.key  # past the key check, into screening and learning
    case.call_and_validate(excluded_checks=[*RULES_THE_SCHEMA_CANNOT_STATE, AKISMET_ANSWERS_ERRORS_WITH_200])
