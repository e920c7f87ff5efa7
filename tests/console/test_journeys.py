"""The console's journeys in a real browser against real processes (see conftest.py).

(a) a customer chats, gives a card number, sees it redacted, asks for a human;
(b) an agent logs in, takes the conversation over and replies — the customer sees it live;
(c) an agent approves an address change and the demo core-banking service holds it;
(e) a user without the role is refused on every protected page (and nobody anonymous
    gets past the login form).
Journey (d), compliance, is in test_supervisor_compliance.py.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.console.conftest import Console, login, shoot

pytestmark = pytest.mark.browser

CARD = "4111 1111 1111 1111"  # a test card number


def start_chat(page: Any, *, human: bool = False) -> None:
    page.goto("/")
    assert page.locator("#disclosure").is_visible()
    assert "AI assistant" in page.locator("#disclosure").inner_text()
    # "Talk to a human" is offered from the first screen.
    assert page.get_by_role("button", name="Talk to a human").is_visible()
    page.get_by_label("Northwind may use this conversation").check()
    choice = "Talk to a human" if human else "Chat with the AI assistant"
    page.get_by_role("button", name=choice).click()
    page.locator("#chat").wait_for(state="visible")


def say(page: Any, text: str) -> None:
    before = page.locator("#log > li").count()
    page.get_by_label("Your message").fill(text)
    page.keyboard.press("Enter")  # the keyboard sends, as a customer would
    page.wait_for_function(
        "n => document.querySelectorAll('#log > li').length >= n + 2", arg=before
    )


def conversation_id(page: Any) -> str:
    cid: str = page.evaluate(
        "() => performance.getEntriesByType('resource').map(e => e.name)"
        ".find(n => /\\/v1\\/conversations\\/[0-9a-f-]{36}\\/messages/.test(n))"
    )
    match = re.search(r"/v1/conversations/([0-9a-f-]{36})/", cid or "")
    assert match, cid
    return match.group(1)


def test_a_customer_sees_the_card_redacted_and_asks_for_a_human(page: Any) -> None:
    start_chat(page)
    shoot(page, "a-1-started")
    say(page, "What are the fees for ATM withdrawals?")
    ai = page.locator("#log > li.ai").last
    assert ai.locator(".citation a").count() == 1  # the reply cites its article
    say(page, f"my card number is {CARD}, can you check it")
    mine = page.locator("#log > li.customer").last
    text = mine.locator(".text").inner_text()
    assert "4111 1111 1111 1111" not in text and "<CREDIT_CARD" in text, text
    assert "removed" in mine.locator(".redacted").inner_text()
    assert "CREDIT_CARD" in mine.locator(".redacted").inner_text()
    assert CARD not in page.content()
    shoot(page, "a-2-redacted")
    page.get_by_role("button", name="Talk to a human").click()
    page.locator("#status").get_by_text("human agent has been asked").wait_for()
    shoot(page, "a-3-asked-for-human")


def test_b_an_agent_takes_over_and_replies_live(page: Any, browser: Any, console: Console) -> None:
    # The customer, in their own browser context.
    start_chat(page)
    say(page, "I would like to talk to a human, please.")
    cid = conversation_id(page)

    agent_ctx = browser.new_context(base_url=console.url)
    agent = agent_ctx.new_page()
    try:
        login(agent, "agent")
        assert agent.url.endswith("/desk")
        row = agent.locator(f"tr[data-conversation='{cid}']")
        row.wait_for()
        assert "asked_for_human" in row.inner_text() or "human" in row.inner_text()
        shoot(agent, "b-1-queue")
        row.get_by_role("button", name=re.compile("Take over")).click()
        agent.get_by_text("You took over the conversation").wait_for()
        reply = "Hello, a human agent here. How can I help with your card today?"
        agent.get_by_label("Your reply").fill(reply)
        agent.get_by_role("button", name="Send reply").click()
        agent.get_by_text("Reply sent").wait_for()
        assert "a human agent here" in agent.locator("#transcript li.human").last.inner_text()
        shoot(agent, "b-2-replied")
    finally:
        agent_ctx.close()
    # The customer sees the human's reply arrive without reloading.
    page.locator("#log > li.human").get_by_text("a human agent here").wait_for(timeout=20_000)
    assert page.locator("#mode").inner_text() == "Human agent"
    shoot(page, "b-3-customer-sees-reply")


def test_c_an_agent_approves_an_address_change_and_the_bank_holds_it(
    page: Any, browser: Any, console: Console
) -> None:
    ref = "NW-000003"
    new_address = "77 Harbour Road, Springfield, IL 62701"
    before = console.bank_address(ref)
    assert "Harbour" not in before

    start_chat(page)
    page.get_by_text("Verify me").click()
    page.get_by_label("Customer number").fill(ref)
    page.get_by_role("button", name="Text me a code").click()
    status = page.locator("#verify-status")
    status.get_by_text("your code is").wait_for()
    code = re.search(r"code is (\d{6})", status.inner_text())
    assert code, status.inner_text()
    page.get_by_label("6-digit code").fill(code.group(1))
    page.get_by_role("button", name="Confirm").click()
    status.get_by_text("Verified").wait_for()
    say(page, "I want to change my address")
    say(page, new_address)
    assert "Harbour" not in page.locator("#log > li.customer").last.inner_text()
    assert "has to approve" in page.locator("#log > li").last.inner_text()
    cid = conversation_id(page)
    shoot(page, "c-1-customer-asked")

    agent_ctx = browser.new_context(base_url=console.url)
    agent = agent_ctx.new_page()
    try:
        login(agent, "agent")
        agent.goto(f"/desk/conversations/{cid}")
        card = agent.locator("article[id^='approval-']").first
        assert "update_address" in card.inner_text()
        assert "pending" in card.locator("[data-approval-status]").inner_text()
        # The exact arguments are shown, as a vault token: never the raw address.
        assert re.search(r"<STREET_ADDRESS_[0-9a-f]+>", card.locator("table").inner_text())
        assert "Harbour" not in agent.content()
        shoot(agent, "c-2-approval")
        card.get_by_label("Comment").fill("customer verified by one-time code")
        card.get_by_role("button", name="Approve").click()
        agent.get_by_text("Approved").first.wait_for()
        assert "executed" in agent.locator("[data-approval-status]").first.inner_text()
        shoot(agent, "c-3-approved")
    finally:
        agent_ctx.close()
    assert console.bank_address(ref).startswith("77 Harbour Road")
    page.locator("#log > li.system").last.wait_for()


PROTECTED = {
    "/desk": {"agent", "supervisor"},
    "/supervisor": {"supervisor", "admin"},
    "/compliance": {"supervisor", "compliance"},
}


def test_e_every_protected_page_refuses_those_without_the_role(
    page: Any, browser: Any, console: Console
) -> None:
    # Anonymous: every protected page sends the visitor to the login form.
    for path in PROTECTED:
        page.goto(path)
        assert page.url.startswith(f"{console.url}/login"), (path, page.url)
    # Each demo role: refused (403, recorded) where its role lacks the page's scope.
    refused = 0
    for role in ("agent", "supervisor", "compliance", "admin"):
        ctx = browser.new_context(base_url=console.url)
        pg = ctx.new_page()
        try:
            login(pg, role)
            for path, allowed in PROTECTED.items():
                response = pg.goto(path)
                assert response is not None
                if role in allowed:
                    assert response.status == 200, (role, path, response.status)
                else:
                    refused += 1
                    assert response.status == 403, (role, path, response.status)
                    assert pg.locator("#error-title").inner_text() == "Access refused"
                    shoot(pg, f"e-{role}-{path.strip('/')}")
            # The navigation only offers the pages the role may open.
            links = {a.get_attribute("href") for a in pg.locator("header nav a").all()}
            for path, allowed in PROTECTED.items():
                assert (path in links) == (role in allowed), (role, path, links)
        finally:
            ctx.close()
    assert refused == 6
    # Refusals are in the audit ledger (read with a compliance session over the API).
    with httpx.Client(base_url=console.url) as client:
        username, password = ("casey", "Northwind audit demo 3")
        token = client.post(
            "/v1/auth/login", json={"username": username, "password": password}
        ).json()["token"]
        events = client.get(
            "/v1/ledger/events",
            params={"type": "access.denied", "limit": 1000},
            headers={"Authorization": f"Bearer {token}"},
        ).json()["events"]
    paths = {e["payload"].get("path") for e in events}
    assert {"/desk", "/supervisor", "/compliance"} <= paths
