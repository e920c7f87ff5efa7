"""Hypothesis over request validation: any body gets a reply or one precise problem."""

from __future__ import annotations

import json

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import LiveServer

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)

bodies = st.one_of(
    json_values.map(lambda v: json.dumps(v).encode()),
    st.dictionaries(st.sampled_from(["text", "txt", "extra"]), json_values, max_size=3).map(
        lambda v: json.dumps(v).encode()
    ),
    st.text(max_size=300).map(lambda t: json.dumps({"text": t}).encode()),
    st.binary(max_size=300),
)

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(body=bodies)
def test_any_message_body_gets_a_reply_or_a_problem(live_server: LiveServer, body: bytes) -> None:
    with httpx.Client(base_url=live_server.url, timeout=10) as client:
        cid = client.post("/v1/conversations").json()["id"]
        r = client.post(
            f"/v1/conversations/{cid}/messages",
            content=body,
            headers={"content-type": "application/json"},
        )
        assert r.status_code in {200, 400, 409, 413, 422}, (r.status_code, r.text)
        if r.status_code == 200:
            data = r.json()
            assert data["reply"]["text"]
            assert len(client.get(f"/v1/conversations/{cid}").json()["messages"]) == 2
        else:
            assert r.headers["content-type"].startswith("application/problem+json")
            problem = r.json()
            assert problem["status"] == r.status_code
            assert problem["detail"]
            assert client.get(f"/v1/conversations/{cid}").json()["messages"] == []


@FUZZ
@given(body=st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode())))
def test_any_create_body_gets_201_or_a_problem(live_server: LiveServer, body: bytes) -> None:
    r = httpx.post(
        f"{live_server.url}/v1/conversations",
        content=body,
        headers={"content-type": "application/json"},
        timeout=10,
    )
    assert r.status_code in {201, 400, 422}, (r.status_code, r.text)
    if r.status_code != 201:
        assert r.headers["content-type"].startswith("application/problem+json")
