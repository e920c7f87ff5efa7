"""The LLM agent against a real OpenAI-compatible HTTP server and the real demo bank.

The stub server (:mod:`tests.agent.openai_stub`) answers with scripted chat
completions and records every request, so the tests check what left TrustDesk: only
redacted text, tools only when allowed, the canary in the system prompt. Tool calls go
through a real :class:`ToolGate`, against the demo bank where one is needed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from tests.agent.openai_stub import OpenAIStub, Scripted, reply, serve, tool_calls
from tests.bank import conftest as bank_conftest
from trustdesk.agent.llm import DEFAULT_SYSTEM_PROMPT, LlmAgent
from trustdesk.agent.tools import ToolGate
from trustdesk.guard import IdentifierEgressGuard, LayeredIngressGuard, new_canary
from trustdesk.ledger import MemoryLedger
from trustdesk.pipeline import SAFE_REPLY_EGRESS, Pipeline, TurnInput
from trustdesk.privacy import PrivacyEngine
from trustdesk.privacy.operators import Action, Operator
from trustdesk.privacy.policy import Policy
from trustdesk.stages import AgentStage
from trustdesk.tooltokens import ToolTokenIssuer, load_or_create_tool_key
from trustdesk.types import AgentContext, AgentDecision, Role, Turn

bank = bank_conftest.bank  # the real demo bank (module-scoped uvicorn server)
BankServer = bank_conftest.BankServer

CARD = "4111 1111 1111 1111"
CUSTOMER = "NW-000001"
MODEL = "stub-model"
UNREACHABLE = "http://127.0.0.1:9"  # discard port: nothing listens; never called here


@pytest.fixture(scope="module")
def server() -> Iterator[OpenAIStub]:
    with serve(OpenAIStub()) as stub:
        yield stub


@pytest.fixture
def stub(server: OpenAIStub) -> Iterator[OpenAIStub]:
    server.reset()
    yield server
    server.reset()


@pytest.fixture(scope="module")
def pseudonymizer() -> PrivacyEngine:
    return PrivacyEngine(policy=Policy(default=Operator(Action.PSEUDONYMIZE)))


@pytest.fixture
def offline_gate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ToolGate]:
    """A gate whose bank is unreachable: for paths that never reach the bank."""
    key = load_or_create_tool_key(tmp_path_factory.mktemp("keys"))
    client = httpx.Client(base_url=UNREACHABLE, timeout=0.5)
    yield ToolGate(ToolTokenIssuer(key), client)
    client.close()


class BankCalls:
    """The requests the gate sent to the bank (an httpx event hook, not a mock)."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    def __call__(self, request: httpx.Request) -> None:
        self.paths.append(f"{request.method} {request.url.path}")


@pytest.fixture
def bank_gate(bank: bank_conftest.BankServer) -> Iterator[tuple[ToolGate, BankCalls]]:
    calls = BankCalls()
    client = httpx.Client(base_url=bank.url, timeout=5, event_hooks={"request": [calls]})
    yield ToolGate(bank.issuer, client), calls
    client.close()


_AGENTS: list[LlmAgent] = []


@pytest.fixture(autouse=True)
def _close_agents() -> Iterator[None]:
    yield
    while _AGENTS:
        _AGENTS.pop().close()


def _agent(stub: OpenAIStub, gate: ToolGate | None = None, **kw: object) -> LlmAgent:
    agent = LlmAgent(stub.base_url, MODEL, gate=gate, **kw)  # type: ignore[arg-type]
    _AGENTS.append(agent)
    return agent


def _context(text: str, **kw: object) -> AgentContext:
    return AgentContext(conversation_id="conv-llm", text=text, **kw)  # type: ignore[arg-type]


def _codes(decision: AgentDecision) -> list[str]:
    return [r.code for r in decision.reasons]


def _tool_messages(body: dict[str, object]) -> list[dict[str, object]]:
    messages = body["messages"]
    assert isinstance(messages, list)
    return [m for m in messages if m["role"] == "tool"]


# -- plain answers ------------------------------------------------------------------------


def test_is_an_agent_stage(stub: OpenAIStub) -> None:
    assert isinstance(_agent(stub), AgentStage)


def test_plain_reply_sends_only_redacted_text_and_plants_the_canary(stub: OpenAIStub) -> None:
    privacy = PrivacyEngine()
    raw = f"Hi, my card {CARD} was declined at the grocery store"
    redacted = privacy.redact(raw).redacted_text
    assert "<CREDIT_CARD>" in redacted
    earlier = privacy.redact(f"I also tried {CARD} online yesterday").redacted_text
    canary = new_canary()
    stub.push(reply("  I'm sorry to hear that. I'm an AI assistant; let me help.  "))
    agent = _agent(stub, api_key="sk-test", canary=canary)

    decision = agent.respond(
        _context(
            redacted,
            history=(
                Turn(Role.CUSTOMER, earlier),
                Turn(Role.AI, "How can I help?", intent="llm"),
                Turn(Role.SYSTEM, "conversation verified"),
            ),
        )
    )

    assert decision.reply == "I'm sorry to hear that. I'm an AI assistant; let me help."
    assert not decision.escalate
    assert decision.intent == "llm"
    assert decision.confidence == 1.0
    assert decision.model == f"llm:{MODEL}"
    assert _codes(decision) == ["llm_model"]
    assert decision.reasons[0].message.endswith(MODEL)
    assert decision.tool_calls == ()

    [sent] = stub.requests
    assert CARD not in sent.text and "4111" not in sent.text
    assert sent.body["model"] == MODEL
    assert sent.headers["authorization"] == "Bearer sk-test"
    assert "api-key" not in sent.headers
    assert sent.query == {}
    messages = sent.body["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert messages[1]["content"] == earlier
    assert messages[-1]["content"] == redacted
    system = messages[0]["content"]
    assert canary in system
    assert "Northwind Bank" in system and "AI" in system and "PIN" in system
    assert "placeholder" in system
    assert "not verified" in system
    assert canary not in repr(agent)


def test_without_gate_only_the_handover_tool_is_offered(stub: OpenAIStub) -> None:
    stub.push(reply("Our branches open at nine."))
    _agent(stub).respond(_context("When do you open?"))
    [sent] = stub.requests
    names = [t["function"]["name"] for t in sent.body["tools"]]
    assert names == ["hand_over_to_human"]
    assert "authorization" not in sent.headers


def test_no_tools_are_sent_under_review(stub: OpenAIStub, offline_gate: ToolGate) -> None:
    stub.push(reply("I can explain how card freezing works."))
    decision = _agent(stub, offline_gate).respond(
        _context("freeze my card", tools_allowed=False, customer_ref=CUSTOMER)
    )
    assert not decision.escalate
    [sent] = stub.requests
    assert "tools" not in sent.body
    assert "tool_choice" not in sent.body
    assert CUSTOMER not in sent.text  # the customer reference never leaves


def test_tool_calls_under_review_are_refused(stub: OpenAIStub, offline_gate: ToolGate) -> None:
    stub.push(tool_calls(("get_card_status", {})), reply("Please use the app."))
    decision = _agent(stub, offline_gate).respond(
        _context("card status?", tools_allowed=False, customer_ref=CUSTOMER)
    )
    assert decision.tool_calls == ()
    assert "tool_refused" in _codes(decision)
    assert decision.reply == "Please use the app."


def test_tools_have_their_argument_schemas(stub: OpenAIStub, offline_gate: ToolGate) -> None:
    stub.push(reply("ok"))
    _agent(stub, offline_gate).respond(_context("hello", customer_ref=CUSTOMER))
    [sent] = stub.requests
    tools = {t["function"]["name"]: t["function"] for t in sent.body["tools"]}
    assert set(tools) == {
        "get_card_status",
        "freeze_card",
        "list_transactions",
        "start_dispute",
        "update_address",
        "refund_fee",
        "hand_over_to_human",
    }
    assert sent.body["tool_choice"] == "auto"
    params = {name: f["parameters"] for name, f in tools.items()}
    assert params["freeze_card"]["required"] == ["card_id"]
    assert params["list_transactions"]["properties"]["limit"]["type"] == "integer"
    assert params["list_transactions"]["required"] == []
    assert params["start_dispute"]["required"] == ["transaction_id", "reason"]
    assert params["refund_fee"]["required"] == ["fee_id"]
    assert "STREET_ADDRESS" in params["update_address"]["properties"]["address"]["pattern"]
    spec = offline_gate.tools["update_address"]
    assert tools["update_address"]["description"] == spec.description
    assert "this customer is verified" in sent.body["messages"][0]["content"].lower()


# -- tools --------------------------------------------------------------------------------


def test_card_status_tool_then_answer(
    stub: OpenAIStub, bank_gate: tuple[ToolGate, BankCalls]
) -> None:
    gate, calls = bank_gate
    stub.push(
        tool_calls(("get_card_status", {})),
        reply("Your Visa card is active."),
    )
    decision = _agent(stub, gate).respond(_context("Is my card active?", customer_ref=CUSTOMER))

    assert decision.reply == "Your Visa card is active."
    assert not decision.escalate
    [outcome] = decision.tool_calls
    assert outcome.tool == "get_card_status"
    assert outcome.status == "ok"
    assert outcome.scope == "cards:read"
    assert calls.paths == ["GET /v1/cards"]
    assert _codes(decision) == ["llm_model", "tool_called"]
    assert "cards:read" in decision.reasons[1].message
    assert decision.reasons[1].message.endswith(": ok")

    first, second = stub.requests
    assert "tools" in second.body
    echo = second.body["messages"][-2]
    assert echo["role"] == "assistant"
    assert echo["tool_calls"][0]["function"]["name"] == "get_card_status"
    [result] = _tool_messages(second.body)
    assert result["tool_call_id"] == "call_0"
    data = json.loads(str(result["content"]))
    assert data == outcome.data
    for card in data["cards"]:  # only the tool's minimized fields reach the model
        assert set(card) <= set(gate.tools["get_card_status"].fields)
    assert CUSTOMER not in first.text and CUSTOMER not in second.text


def test_address_change_needs_approval_and_never_reaches_the_bank(
    stub: OpenAIStub,
    bank_gate: tuple[ToolGate, BankCalls],
    pseudonymizer: PrivacyEngine,
) -> None:
    gate, calls = bank_gate
    raw = "Please change my address to 742 Evergreen Terrace, Springfield, IL 62704"
    redacted = pseudonymizer.redact(raw).redacted_text
    token = redacted[redacted.index("<STREET_ADDRESS_") :].split(">")[0] + ">"
    stub.push(
        tool_calls(("update_address", {"address": token})),
        reply("A colleague will approve your new address."),
    )
    decision = _agent(stub, gate).respond(_context(redacted, customer_ref=CUSTOMER))

    [outcome] = decision.tool_calls
    assert outcome.status == "approval_required"
    assert outcome.arguments == {"address": token}
    assert outcome.binding
    assert calls.paths == []  # the bank was not called
    assert decision.suggestion == "approve update_address"
    assert not decision.escalate
    assert "approval_required" in _codes(decision)
    assert "Evergreen" not in stub.requests[0].text
    [result] = _tool_messages(stub.requests[1].body)
    assert json.loads(str(result["content"]))["status"] == "approval_required"


def test_an_invented_address_is_refused(stub: OpenAIStub, offline_gate: ToolGate) -> None:
    stub.push(
        tool_calls(("update_address", {"address": "<STREET_ADDRESS_deadbeef>"})),
        reply("Could you type your new address?"),
    )
    decision = _agent(stub, offline_gate).respond(
        _context("change my address please", customer_ref=CUSTOMER)
    )
    assert decision.tool_calls == ()
    assert "tool_arguments_invalid" in _codes(decision)
    [result] = _tool_messages(stub.requests[1].body)
    assert json.loads(str(result["content"])) == {
        "status": "refused",
        "reason": "invalid_arguments",
    }


def test_unverified_customer_gets_unauthenticated(stub: OpenAIStub, offline_gate: ToolGate) -> None:
    stub.push(
        tool_calls(("get_card_status", {})),
        reply("Please verify yourself first with \u201cVerify me\u201d."),
    )
    decision = _agent(stub, offline_gate).respond(_context("where is my card?"))
    [outcome] = decision.tool_calls
    assert outcome.status == "unauthenticated"
    assert decision.needs_verification
    assert not decision.escalate
    assert _codes(decision) == ["llm_model", "tool_called", "verification_required"]
    [result] = _tool_messages(stub.requests[1].body)
    assert json.loads(str(result["content"])) == {"status": "unauthenticated"}


def test_unknown_tool_is_refused(stub: OpenAIStub, offline_gate: ToolGate) -> None:
    stub.push(
        tool_calls(("close_account", {"confirm": True})),
        reply("I can't do that, sorry."),
    )
    decision = _agent(stub, offline_gate).respond(_context("close it", customer_ref=CUSTOMER))
    assert decision.tool_calls == ()
    refused = [r for r in decision.reasons if r.code == "tool_refused"]
    assert len(refused) == 1 and "close_account" in refused[0].message
    assert decision.reply == "I can't do that, sorry."
    [result] = _tool_messages(stub.requests[1].body)
    assert json.loads(str(result["content"]))["reason"] == "unknown_tool"


def test_invalid_json_arguments_are_refused(stub: OpenAIStub, offline_gate: ToolGate) -> None:
    stub.push(
        tool_calls(("freeze_card", '{"card_id": "card_1"'), ("list_transactions", "[1]")),
        reply("Which card?"),
    )
    decision = _agent(stub, offline_gate).respond(_context("freeze", customer_ref=CUSTOMER))
    assert decision.tool_calls == ()
    assert _codes(decision).count("tool_arguments_invalid") == 2
    results = _tool_messages(stub.requests[1].body)
    assert [json.loads(str(r["content"]))["reason"] for r in results] == ["bad_json"] * 2


@pytest.mark.parametrize(
    "arguments",
    [
        {},  # missing card_id
        {"card_id": "../../v1/address"},  # not an id: no path tricks
        {"card_id": "card_1", "customer": "NW-000002"},  # no other customer
        {"card_id": 7},
    ],
)
def test_arguments_outside_the_schema_are_refused(
    stub: OpenAIStub, offline_gate: ToolGate, arguments: dict[str, object]
) -> None:
    stub.push(tool_calls(("freeze_card", arguments)), reply("Which card?"))
    decision = _agent(stub, offline_gate).respond(_context("freeze", customer_ref=CUSTOMER))
    assert decision.tool_calls == ()
    assert "tool_arguments_invalid" in _codes(decision)


def test_tool_rounds_are_bounded(stub: OpenAIStub, offline_gate: ToolGate) -> None:
    stub.push(*[tool_calls(("update_address", "{}")) for _ in range(3)])
    decision = _agent(stub, offline_gate, max_tool_rounds=2).respond(
        _context("hm", customer_ref=CUSTOMER)
    )
    assert decision.escalate
    assert "llm_tool_rounds_exceeded" in _codes(decision)
    assert len(stub.requests) == 3


def test_the_model_can_hand_over(stub: OpenAIStub) -> None:
    stub.push(tool_calls(("hand_over_to_human", {"reason": "wants to close the account"})))
    decision = _agent(stub).respond(_context("I want to close my account"))
    assert decision.escalate
    assert _codes(decision) == ["llm_model", "llm_handover"]
    assert "close the account" in decision.reasons[-1].message
    assert len(stub.requests) == 1


# -- escalation ---------------------------------------------------------------------------


def test_a_request_for_a_human_never_reaches_the_model(stub: OpenAIStub) -> None:
    decision = _agent(stub).respond(_context("I want to talk to a real person please"))
    assert decision.escalate
    assert decision.intent == "human_request"
    assert _codes(decision) == ["customer_requested_human"]
    assert decision.model == f"llm:{MODEL}"
    assert stub.requests == []


@pytest.mark.parametrize(
    "answer",
    [
        Scripted({"error": {"message": "boom"}}, status=500),
        Scripted(raw="<html>bad gateway</html>"),
        Scripted({"choices": []}),
        Scripted({"choices": [{"message": "hello"}]}),
    ],
    ids=["http-500", "not-json", "no-choices", "bad-message"],
)
def test_endpoint_failures_escalate(stub: OpenAIStub, answer: Scripted) -> None:
    stub.push(answer)
    decision = _agent(stub).respond(_context("what is my balance?"))
    assert decision.escalate
    assert _codes(decision) == ["llm_model", "llm_unavailable"]
    assert "boom" not in decision.reasons[-1].message  # the body is never recorded


def test_a_slow_model_escalates(stub: OpenAIStub) -> None:
    stub.push(Scripted(reply("too late").body, delay=1.5))
    decision = _agent(stub, timeout=0.3).respond(_context("hello?"))
    assert decision.escalate
    assert "llm_unavailable" in _codes(decision)
    assert "timeout" in decision.reasons[-1].message


def test_an_unreachable_endpoint_escalates() -> None:
    agent = LlmAgent(f"{UNREACHABLE}/v1", MODEL, timeout=1)
    try:
        decision = agent.respond(_context("hello?"))
    finally:
        agent.close()
    assert decision.escalate
    assert "llm_unavailable" in _codes(decision)


def test_an_empty_reply_escalates(stub: OpenAIStub) -> None:
    stub.push(reply("   "))
    decision = _agent(stub).respond(_context("hello?"))
    assert decision.escalate
    assert "llm_empty_reply" in _codes(decision)


# -- configuration ------------------------------------------------------------------------


def test_azure_uses_api_key_header_and_api_version(stub: OpenAIStub) -> None:
    stub.push(reply("Hello!"))
    agent = _agent(stub, api_key="azure-key", azure_api_version="2024-06-01")
    assert not agent.respond(_context("hi")).escalate
    [sent] = stub.requests
    assert sent.headers["api-key"] == "azure-key"
    assert "authorization" not in sent.headers
    assert sent.query == {"api-version": "2024-06-01"}


def test_a_custom_system_prompt_still_carries_the_canary(stub: OpenAIStub) -> None:
    stub.push(reply("Hi"))
    _agent(stub, system_prompt="Be a bank bot.", canary="cnry-0123456789abcdef").respond(
        _context("hi")
    )
    system = stub.requests[0].body["messages"][0]["content"]
    assert system.startswith("Be a bank bot.")
    assert "cnry-0123456789abcdef" in system
    assert DEFAULT_SYSTEM_PROMPT not in system


def test_history_is_bounded(stub: OpenAIStub) -> None:
    stub.push(reply("ok"))
    history = tuple(Turn(Role.CUSTOMER, f"message {i}") for i in range(30))
    _agent(stub, max_history_turns=4).respond(_context("latest", history=history))
    contents = [m["content"] for m in stub.requests[0].body["messages"][1:]]
    assert contents == ["message 26", "message 27", "message 28", "message 29", "latest"]


# -- in the pipeline ----------------------------------------------------------------------


def test_in_the_pipeline_a_leaked_prompt_is_stopped_by_the_egress_guard(
    stub: OpenAIStub,
) -> None:
    canary = new_canary()
    privacy = PrivacyEngine()
    pipeline = Pipeline(
        ingress=LayeredIngressGuard(),
        privacy=privacy,
        agent=_agent(stub, canary=canary),
        egress=IdentifierEgressGuard(privacy.analyze, canaries=(canary,)),
        guard_timeout_ms=5000.0,
        privacy_timeout_ms=5000.0,
    )
    stub.push(reply(f"My instructions end with: Internal reference {canary}"))
    out = pipeline.run(
        TurnInput(
            conversation_id="conv-llm", text=f"my card {CARD} was declined", customer_id="c1"
        ),
        MemoryLedger(),
    )
    [sent] = stub.requests
    assert CARD not in sent.text and "<CREDIT_CARD>" in sent.text
    assert out.decision is not None and out.decision.model == f"llm:{MODEL}"
    assert out.reply_text == SAFE_REPLY_EGRESS
    assert canary not in out.reply_text
