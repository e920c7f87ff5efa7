"""The desk's forms in-process (SQLite, and PostgreSQL when reachable): what the browser
journeys do not cover — rejecting an approval, correcting the AI, resolving, and the
refusals (no CSRF token, wrong role, malformed input) that must change nothing.
"""

from __future__ import annotations

import uuid
from urllib.parse import unquote_plus

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.console.test_supervisor_compliance import converse, csrf, sign_in
from trustdesk.store.db import Database
from trustdesk.store.models import Correction, Escalation, Message


@pytest.fixture
def client(app_client: TestClient) -> TestClient:
    return app_client


def _escalation(db: Database, cid: str) -> Escalation:
    with db.read() as s:
        esc = s.scalar(select(Escalation).where(Escalation.conversation_id == uuid.UUID(cid)))
        assert esc is not None
        return esc


def _flash(location: str) -> str:
    return unquote_plus(location.split("=", 1)[1]) if "=" in location else ""


def test_claim_reply_correct_and_resolve(client: TestClient, fresh_database: Database) -> None:
    client.cookies.clear()
    cid = converse(client, ("what are your opening hours?", "talk to a human"))
    esc = _escalation(fresh_database, cid)
    token = sign_in(client, "agent")
    page = client.get(f"/desk/conversations/{cid}")
    assert page.status_code == 200
    assert "Take over" in page.text and "Correct the AI" in page.text
    token = csrf(page.text)

    r = client.post(
        f"/desk/escalations/{esc.id}/claim?back=/desk/conversations/{cid}",
        data={"csrf": token},
        follow_redirects=False,
    )
    assert r.status_code == 303 and "took over" in _flash(r.headers["location"])

    r = client.post(
        f"/desk/conversations/{cid}/reply",
        data={"csrf": token, "text": "Hello, write to pat.doe@example.com please"},
        follow_redirects=False,
    )
    assert "redacted" in _flash(r.headers["location"])
    with fresh_database.read() as s:
        human = s.scalars(
            select(Message).where(
                Message.conversation_id == uuid.UUID(cid), Message.role == "human"
            )
        ).all()
        ai = s.scalars(
            select(Message).where(Message.conversation_id == uuid.UUID(cid), Message.role == "ai")
        ).first()
    assert len(human) == 1 and "example.com" not in human[0].text_redacted
    assert ai is not None

    # Correct the AI: a wrong intent needs the right one; then it is stored.
    r = client.post(
        f"/desk/corrections?conversation={cid}",
        data={"csrf": token, "message_id": str(ai.id), "kind": "wrong_intent"},
        follow_redirects=False,
    )
    assert "choose the right intent" in _flash(r.headers["location"])
    r = client.post(
        f"/desk/corrections?conversation={cid}",
        data={
            "csrf": token,
            "message_id": str(ai.id),
            "kind": "wrong_intent",
            "corrected_intent": "card_arrival",
            "note": "the customer asked about a card",
        },
        follow_redirects=False,
    )
    assert "Correction saved" in _flash(r.headers["location"])
    with fresh_database.read() as s:
        corrections = s.scalars(select(Correction).where(Correction.message_id == ai.id)).all()
    assert [(c.kind, c.corrected_intent) for c in corrections] == [("wrong_intent", "card_arrival")]

    r = client.post(
        f"/desk/escalations/{esc.id}/resolve?conversation={cid}",
        data={"csrf": token, "note": "answered"},
        follow_redirects=False,
    )
    assert "resolved" in _flash(r.headers["location"])
    assert _escalation(fresh_database, cid).status == "resolved"
    # Resolving twice is refused with the reason, not a crash.
    r = client.post(
        f"/desk/escalations/{esc.id}/resolve?conversation={cid}",
        data={"csrf": token},
        follow_redirects=False,
    )
    assert "already resolved" in _flash(r.headers["location"])


def test_refusals_change_nothing(client: TestClient, fresh_database: Database) -> None:
    client.cookies.clear()
    cid = converse(client, ("talk to a human",))
    esc = _escalation(fresh_database, cid)
    sign_in(client, "agent")
    # No CSRF token: a 400 page, the escalation stays queued.
    r = client.post(f"/desk/escalations/{esc.id}/claim", data={"x": "1"}, follow_redirects=False)
    assert r.status_code == 400 and "did not come from this console" in r.text
    # Not a form at all.
    r = client.post(f"/desk/escalations/{esc.id}/claim", json={"csrf": "x"})
    assert r.status_code == 400 and "x-www-form-urlencoded" in r.text
    # Oversized.
    r = client.post(
        f"/desk/conversations/{cid}/reply",
        content=b"csrf=x&text=" + b"a" * 20_000,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 400 and "larger than" in r.text
    assert _escalation(fresh_database, cid).status == "queued"
    # A supervisor may read the desk but not take a conversation over.
    token = sign_in(client, "supervisor")
    assert client.get("/desk").status_code == 200
    r = client.post(
        f"/desk/escalations/{esc.id}/claim", data={"csrf": token}, follow_redirects=False
    )
    assert r.status_code == 403 and "desk:reply" in r.text
    assert _escalation(fresh_database, cid).status == "queued"
    # A reply with an empty text is refused with the reason.
    token = sign_in(client, "agent")
    client.post(f"/desk/escalations/{esc.id}/claim", data={"csrf": token})
    r = client.post(
        f"/desk/conversations/{cid}/reply",
        data={"csrf": token, "text": "  "},
        follow_redirects=False,
    )
    assert _flash(r.headers["location"]).startswith("Not done")
    # Rejecting an approval that does not exist names it.
    missing = uuid.uuid4()
    r = client.post(
        f"/desk/approvals/{missing}/reject?conversation={cid}",
        data={"csrf": token, "comment": "no"},
        follow_redirects=False,
    )
    assert "at least 3 characters" in _flash(r.headers["location"])
    r = client.post(
        f"/desk/approvals/{missing}/reject?conversation={cid}",
        data={"csrf": token, "comment": "not what the customer asked"},
        follow_redirects=False,
    )
    assert str(missing) in _flash(r.headers["location"])
