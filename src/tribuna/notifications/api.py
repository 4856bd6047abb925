"""POST /api/v1/subscriptions: follow a thread without commenting.

The answer is the same 202 whether the address is new, unconfirmed or long confirmed, so the
endpoint cannot be used to learn which addresses are known.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from tribuna.discussion.models import Thread
from tribuna.lib.api_errors import ApiError, require_json_write
from tribuna.lib.http import client_ip
from tribuna.lib.owned_addresses import owns
from tribuna.lib.pagekeys import thread_key
from tribuna.notifications import services
from tribuna.notifications.forms import ACCEPTED, SubscribeForm

router = Router(tags=["subscriptions"])


class SubscriptionIn(Schema):
    thread: str = Field(max_length=300)
    email: str = Field(max_length=254)
    mode: str = "all"


class AcceptedOut(Schema):
    detail: str


class ErrorsOut(Schema):
    errors: dict[str, list[str]]


@router.post(
    "/subscriptions",
    response={202: AcceptedOut, 400: ErrorsOut, 403: AcceptedOut, 404: AcceptedOut, 429: AcceptedOut},
)
def create_subscription(request: HttpRequest, payload: SubscriptionIn):
    """Follow a thread ("all": every new comment; "replies": replies to your comments)."""
    require_json_write(request)
    form = SubscribeForm({"email": payload.email, "mode": payload.mode})
    if not form.is_valid():
        raise ApiError(400, errors={field: [str(e) for e in errs] for field, errs in form.errors.items()})
    thread = Thread.objects.filter(key=thread_key(payload.thread)).first()
    if thread is None:
        raise ApiError(404, _("Unknown thread."))
    ip = client_ip(request)
    services.check_ip_rate(ip)
    email = form.cleaned_data["email"]
    services.subscribe(thread, email, form.cleaned_data["mode"], ip=ip, owner=owns(request, email))
    return Status(202, {"detail": ACCEPTED})
