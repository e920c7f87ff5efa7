"""The signed webhook channel: signatures, replay window, replays."""

from __future__ import annotations

import json
import time
import uuid

import httpx
import pytest

from tests.conftest import LiveServer
from trustdesk.channels import webhook
from trustdesk.errors import InvalidSignature, StaleTimestamp

SECRET = b"test-webhook-secret-0123"


def test_sign_and_verify_roundtrip() -> None:
    body = b'{"conversation":"c1","text":"hi"}'
    sig = webhook.sign(SECRET, 1_700_000_000, body)
    assert sig.startswith("v1=") and len(sig) == 67
    assert (
        webhook.verify(
            SECRET,
            timestamp="1700000000",
            signature=sig,
            body=body,
            tolerance_seconds=300,
            now=1_700_000_100,
        )
        == 1_700_000_000
    )


@pytest.mark.parametrize(
    ("ts", "sig_for", "now", "error"),
    [
        ("1700000000", b"other body", 1_700_000_000, InvalidSignature),
        ("1700000000", None, 1_700_000_000, InvalidSignature),
        ("17e8", b"body", 1_700_000_000, InvalidSignature),
        ("1700000000", b"body", 1_700_000_301, StaleTimestamp),
        ("1700000400", b"body", 1_700_000_000, StaleTimestamp),
    ],
)
def test_verify_refuses(ts: str, sig_for: bytes | None, now: float, error: type[Exception]) -> None:
    sig = webhook.sign(SECRET, 1_700_000_000, sig_for) if sig_for is not None else None
    with pytest.raises(error):
        webhook.verify(
            SECRET, timestamp=ts, signature=sig, body=b"body", tolerance_seconds=300, now=now
        )


def test_wrong_secret_is_refused() -> None:
    body = b"x"
    sig = webhook.sign(b"another-secret-entirely", 1_700_000_000, body)
    with pytest.raises(InvalidSignature):
        webhook.verify(
            SECRET,
            timestamp="1700000000",
            signature=sig,
            body=body,
            tolerance_seconds=300,
            now=1_700_000_000,
        )


def _post(
    server: LiveServer,
    body: bytes,
    *,
    ts: int | None = None,
    delivery: str | None = None,
    secret: bytes = SECRET,
    signature: str | None = None,
) -> httpx.Response:
    ts = int(time.time()) if ts is None else ts
    headers = {
        "content-type": "application/json",
        webhook.TIMESTAMP_HEADER: str(ts),
        webhook.SIGNATURE_HEADER: signature or webhook.sign(secret, ts, body),
        webhook.DELIVERY_HEADER: delivery or uuid.uuid4().hex,
    }
    return httpx.post(f"{server.url}/v1/webhooks/acme", content=body, headers=headers, timeout=10)


def test_signed_delivery_is_answered_and_redacted(live_server: LiveServer) -> None:
    ext = f"ext-{uuid.uuid4().hex[:8]}"
    body = json.dumps(
        {"conversation": ext, "text": "card 4111 1111 1111 1111 lost, when will my card arrive"}
    ).encode()
    r = _post(live_server, body)
    assert r.status_code == 200, r.text
    first = r.json()
    assert "<CREDIT_CARD ****1111>" in first["redacted_text"]
    body2 = json.dumps({"conversation": ext, "text": "thanks"}).encode()
    second = _post(live_server, body2).json()
    assert second["conversation_id"] == first["conversation_id"]


def test_bad_signature_is_401(live_server: LiveServer) -> None:
    body = json.dumps({"conversation": "ext-1", "text": "hi"}).encode()
    r = _post(live_server, body, secret=b"not-the-shared-secret")
    assert r.status_code == 401
    assert r.json()["type"].endswith("/webhook-signature")


def test_stale_timestamp_is_401(live_server: LiveServer) -> None:
    body = json.dumps({"conversation": "ext-1", "text": "hi"}).encode()
    r = _post(live_server, body, ts=int(time.time()) - 301)
    assert r.status_code == 401
    assert r.json()["type"].endswith("/webhook-stale")


def test_replayed_delivery_is_409_and_stored_once(live_server: LiveServer) -> None:
    ext = f"ext-{uuid.uuid4().hex[:8]}"
    body = json.dumps({"conversation": ext, "text": "hello"}).encode()
    ts = int(time.time())
    delivery = uuid.uuid4().hex
    first = _post(live_server, body, ts=ts, delivery=delivery)
    assert first.status_code == 200
    again = _post(live_server, body, ts=ts, delivery=delivery)
    assert again.status_code == 409
    assert again.json()["type"].endswith("/webhook-replayed")
    # Same signed body under a fresh delivery id: still a replay of the signature.
    resent = _post(live_server, body, ts=ts, delivery=uuid.uuid4().hex)
    assert resent.status_code == 409
    cid = first.json()["conversation_id"]
    conv = httpx.get(f"{live_server.url}/v1/conversations/{cid}").json()
    assert len(conv["messages"]) == 2


def test_signed_but_invalid_body_is_rejected(live_server: LiveServer) -> None:
    r = _post(live_server, b"{not json")
    assert r.status_code == 400
    r = _post(live_server, json.dumps({"conversation": "bad id!", "text": "x"}).encode())
    assert r.status_code == 422
