"""The REST API against a real uvicorn server on a free port (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import LiveServer

CARD = "4111 1111 1111 1111"
PROBLEM = "application/problem+json"


@pytest.fixture
def client(live_server: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server.url, timeout=10) as c:
        yield c


def _new(client: httpx.Client, **body: str) -> str:
    r = client.post("/v1/conversations", json=body or None)
    assert r.status_code == 201, r.text
    cid: str = r.json()["id"]
    return cid


def _assert_problem(r: httpx.Response, status: int, slug: str) -> dict[str, object]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    body: dict[str, object] = r.json()
    assert body["status"] == status
    assert str(body["type"]).endswith("/" + slug)
    assert body["title"] and body["detail"]
    return body


def test_conversation_with_a_card_number_end_to_end(client: httpx.Client) -> None:
    cid = _new(client)
    r = client.post(
        f"/v1/conversations/{cid}/messages",
        json={"text": f"Hi, my card {CARD} hasn't arrived yet. When will it come?"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["conversation_id"] == cid
    assert CARD not in body["redacted_text"]
    assert "<CREDIT_CARD ****1111>" in body["redacted_text"]
    assert body["redacted"] is True
    assert [f["type"] for f in body["findings"]] == ["CREDIT_CARD"]
    f = body["findings"][0]
    assert body["redacted_text"][f["start"] : f["end"]] == "<CREDIT_CARD ****1111>"
    assert body["reply"]["role"] == "ai"
    assert body["reply"]["intent"] == "card_arrival"
    assert body["reply"]["citation"]
    assert {v["stage"] for v in body["verdicts"]} == {
        "ingress_guard",
        "privacy",
        "agent",
        "egress_guard",
    }

    conv = client.get(f"/v1/conversations/{cid}").json()
    assert conv["id"] == cid
    assert [m["role"] for m in conv["messages"]] == ["customer", "ai"]
    assert CARD not in str(conv)
    assert conv["messages"][0]["findings"][0]["type"] == "CREDIT_CARD"
    assert conv["messages"][1]["citation"] == body["reply"]["citation"]


def test_customer_can_choose_a_human_from_the_start(client: httpx.Client) -> None:
    r = client.post("/v1/conversations", json={"mode": "human"})
    assert r.status_code == 201
    assert r.json()["mode"] == "human"
    cid = r.json()["id"]
    r = client.post(f"/v1/conversations/{cid}/messages", json={"text": "my card is lost"})
    assert r.json()["reply"]["role"] == "system"
    assert r.json()["verdicts"][-1]["stage"] == "privacy"


def test_asking_for_a_human_escalates(client: httpx.Client) -> None:
    cid = _new(client)
    r = client.post(f"/v1/conversations/{cid}/messages", json={"text": "let me talk to a human"})
    body = r.json()
    assert body["escalated"] is True
    assert body["escalation_reason"] == "customer_requested_human"
    assert body["mode"] == "human"


def test_unknown_conversation_is_404(client: httpx.Client) -> None:
    r = client.post(f"/v1/conversations/{uuid.uuid4()}/messages", json={"text": "hi"})
    _assert_problem(r, 404, "conversation-not-found")
    _assert_problem(client.get(f"/v1/conversations/{uuid.uuid4()}"), 404, "conversation-not-found")


def test_malformed_id_is_422(client: httpx.Client) -> None:
    _assert_problem(client.get("/v1/conversations/not-a-uuid"), 422, "validation")


def test_oversized_message_is_413(client: httpx.Client) -> None:
    cid = _new(client)
    r = client.post(f"/v1/conversations/{cid}/messages", json={"text": "a" * 8193})
    body = _assert_problem(r, 413, "message-too-large")
    assert "8192" in str(body["detail"])
    assert client.get(f"/v1/conversations/{cid}").json()["messages"] == []


def test_oversized_body_is_413_before_parsing(client: httpx.Client) -> None:
    cid = _new(client)
    r = client.post(
        f"/v1/conversations/{cid}/messages",
        content=b'{"text": "' + b"a" * 70000 + b'"}',
        headers={"content-type": "application/json"},
    )
    _assert_problem(r, 413, "body-too-large")


def test_invalid_json_is_400(client: httpx.Client) -> None:
    cid = _new(client)
    r = client.post(
        f"/v1/conversations/{cid}/messages",
        content=b'{"text": "unterminated',
        headers={"content-type": "application/json"},
    )
    _assert_problem(r, 400, "malformed-json")


def test_invalid_utf8_is_400(client: httpx.Client) -> None:
    cid = _new(client)
    r = client.post(
        f"/v1/conversations/{cid}/messages",
        content=b'{"text": "\xff\xfe bad"}',
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 400
    assert r.headers["content-type"].startswith(PROBLEM)


def test_lone_surrogate_is_400(client: httpx.Client) -> None:
    cid = _new(client)
    r = client.post(
        f"/v1/conversations/{cid}/messages",
        content=b'{"text": "x \\ud800 y"}',
        headers={"content-type": "application/json"},
    )
    _assert_problem(r, 400, "invalid-encoding")


@pytest.mark.parametrize(
    "body",
    [{}, {"text": 5}, {"text": None}, {"text": "hi", "extra": 1}, [], "hello"],
)
def test_invalid_bodies_are_422(client: httpx.Client, body: object) -> None:
    cid = _new(client)
    r = client.post(f"/v1/conversations/{cid}/messages", json=body)
    _assert_problem(r, 422, "validation")


def test_empty_text_is_422(client: httpx.Client) -> None:
    cid = _new(client)
    r = client.post(f"/v1/conversations/{cid}/messages", json={"text": "  "})
    _assert_problem(r, 422, "empty-message")


def test_closed_conversation_is_409(client: httpx.Client) -> None:
    cid = _new(client)
    assert client.post(f"/v1/conversations/{cid}/close").json()["status"] == "closed"
    r = client.post(f"/v1/conversations/{cid}/messages", json={"text": "hello"})
    _assert_problem(r, 409, "conversation-closed")
    _assert_problem(client.post(f"/v1/conversations/{cid}/close"), 409, "conversation-closed")


def test_unknown_route_and_method_are_problems(client: httpx.Client) -> None:
    _assert_problem(client.get("/v1/nothing-here"), 404, "not-found")
    _assert_problem(client.delete("/v1/conversations"), 405, "method-not-allowed")


def test_operations_endpoints(client: httpx.Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "schema": "ok"}
    cid = _new(client)
    client.post(f"/v1/conversations/{cid}/messages", json={"text": "when will my card arrive"})
    metrics = client.get("/metrics").text
    assert 'trustdesk_stage_seconds_bucket{le="0.001",stage="privacy"}' in metrics
    assert "trustdesk_messages_total" in metrics
    assert 'trustdesk_verdicts_total{stage="ingress_guard",verdict="allow"}' in metrics
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    assert "/v1/conversations/{conversation_id}/messages" in spec["paths"]


def test_chat_page_is_served(client: httpx.Client) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert "AI assistant" in r.text
    assert "Talk to a human" in r.text
    assert client.get("/static/chat.js").status_code == 200
