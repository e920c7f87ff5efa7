"""WebSocket chat against the live server."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.conftest import LiveServer


def _ws_url(server: LiveServer, cid: str) -> str:
    return server.url.replace("http://", "ws://") + f"/v1/conversations/{cid}/ws"


def test_chat_over_websocket(live_server: LiveServer) -> None:
    cid = httpx.post(f"{live_server.url}/v1/conversations", json={}).json()["id"]
    with connect(_ws_url(live_server, cid), open_timeout=10) as ws:
        ws.send(json.dumps({"text": "my card 4111 1111 1111 1111 hasn't arrived"}))
        reply = json.loads(ws.recv(timeout=10))
        assert reply["type"] == "reply"
        assert "<CREDIT_CARD ****1111>" in reply["redacted_text"]
        assert reply["reply"]["text"]
        ws.send("{not json")
        err = json.loads(ws.recv(timeout=10))
        assert err["type"] == "problem" and err["status"] == 400
        ws.send(json.dumps({"text": "x" * 9000}))
        err = json.loads(ws.recv(timeout=10))
        assert err["status"] == 413
        ws.send(json.dumps({"txt": "typo"}))
        err = json.loads(ws.recv(timeout=10))
        assert err["status"] == 422
    conv = httpx.get(f"{live_server.url}/v1/conversations/{cid}").json()
    assert len(conv["messages"]) == 2


def test_unknown_conversation_socket_is_refused(live_server: LiveServer) -> None:
    with pytest.raises(InvalidStatus):
        with connect(_ws_url(live_server, str(uuid.uuid4())), open_timeout=10) as ws:
            ws.recv(timeout=5)
