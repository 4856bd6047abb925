"""The JSON API at /api/v1/, documented at /api/v1/openapi.json and /api/v1/docs."""

from __future__ import annotations

from django.http import JsonResponse
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from tribuna.discussion.api import router as discussion_router
from tribuna.inline.api import router as inline_router
from tribuna.lib.api_errors import ApiError
from tribuna.lib.errors import DomainError, InvalidInput, answer
from tribuna.moderation.api import router as moderation_router
from tribuna.notifications.api import router as notifications_router

VALIDATION_ERRORS = {
    "description": "The request's parameters or body do not fit: one message list per field.",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["errors"],
                "properties": {
                    "errors": {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    }
                },
            }
        }
    },
}


class TribunaAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """The generated document, plus the 400 that validation_error() may give any operation
        that takes parameters or a body, so every answer the API gives is documented."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for path_item in schema["paths"].values():
            for operation in path_item.values():
                responses = operation.setdefault("responses", {})
                documented = {str(status) for status in responses}  # ninja keys them by int
                if (operation.get("parameters") or operation.get("requestBody")) and "400" not in documented:
                    responses[400] = VALIDATION_ERRORS
        return schema


api = TribunaAPI(
    title="Tribuna API",
    version="1",
    description="Threads, comments, votes and counts. Writes need JSON and the header `X-Tribuna: 1`.",
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("/", discussion_router)
api.add_router("/", inline_router)
api.add_router("/", moderation_router)
api.add_router("/", notifications_router)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    """A service refused: its error's status, its message, and Retry-After when limited."""
    if isinstance(exc, InvalidInput) and exc.field:
        body: dict = {"errors": {exc.field: [exc.message]}}
    else:
        body = {"detail": exc.message}
    return answer(JsonResponse(body), exc)


@api.exception_handler(ApiError)
def api_error(request, exc: ApiError):
    return JsonResponse(exc.body(), status=exc.status)


@api.exception_handler(NinjaValidationError)
def validation_error(request, exc: NinjaValidationError):
    """Pydantic's errors, reshaped to {"errors": {field: [message]}} like the forms'."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        location = [
            str(part) for part in error.get("loc", ()) if part not in ("body", "payload", "query", "path")
        ]
        field = ".".join(location) or "body"
        message = error.get("msg", "Invalid value.")
        if error.get("type") == "json_invalid" or field == "body":
            message = "The body must be a JSON object."
        errors.setdefault(field, []).append(message)
    return JsonResponse({"errors": errors}, status=400)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if exc.status_code == 400:  # ninja could not parse the body: answered like every other 400
        return JsonResponse({"errors": {"body": ["The body must be a JSON object."]}}, status=400)
    return JsonResponse({"detail": str(exc)}, status=exc.status_code)
