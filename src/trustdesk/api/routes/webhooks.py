"""The signed webhook channel for external chat platforms."""

from __future__ import annotations

import json
import re

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from trustdesk.api.routes.conversations import PROBLEM_RESPONSES, turn_response
from trustdesk.api.schemas import MessageAccepted, WebhookMessage
from trustdesk.api.state import get_state
from trustdesk.channels import webhook
from trustdesk.errors import InvalidEncoding, InvalidSignature, MalformedJson, ReplayedWebhook
from trustdesk.service import WebhookDeliveryInfo

router = APIRouter(prefix="/v1/webhooks", tags=["channels"])

_SOURCE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
_DELIVERY = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


@router.post(
    "/{source}",
    summary="Receive a signed message from an external chat platform.",
    responses={
        **PROBLEM_RESPONSES,
        401: {
            "description": "Bad signature or stale timestamp",
            "content": {"application/problem+json": {}},
        },
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": WebhookMessage.model_json_schema()}},
        }
    },
)
async def receive(source: str, request: Request) -> MessageAccepted:
    state = get_state(request)
    if not _SOURCE.match(source):
        raise InvalidSignature("unknown webhook source")
    body = await request.body()
    webhook.verify(
        state.settings.webhook.secret.get_secret_value().encode(),
        timestamp=request.headers.get(webhook.TIMESTAMP_HEADER),
        signature=request.headers.get(webhook.SIGNATURE_HEADER),
        body=body,
        tolerance_seconds=state.settings.webhook.tolerance_seconds,
    )
    delivery_id = request.headers.get(webhook.DELIVERY_HEADER, "")
    if not _DELIVERY.match(delivery_id):
        raise InvalidSignature(f"{webhook.DELIVERY_HEADER} header is missing or malformed")
    signature = request.headers[webhook.SIGNATURE_HEADER]
    try:
        decoded = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidEncoding() from exc
    try:
        msg = WebhookMessage.model_validate(json.loads(decoded))
    except json.JSONDecodeError as exc:
        raise MalformedJson() from exc
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from exc
    service = state.service
    if await run_in_threadpool(service.webhook_seen, source, delivery_id, signature):
        raise ReplayedWebhook(delivery_id)
    channel = f"webhook:{source}"
    cid = await run_in_threadpool(
        lambda: service.conversation_for_external(channel=channel, external_ref=msg.conversation)
    )
    result = await run_in_threadpool(
        lambda: service.post_message(
            cid,
            msg.text,
            channel=channel,
            delivery=WebhookDeliveryInfo(source, delivery_id, signature),
        )
    )
    return turn_response(result)
