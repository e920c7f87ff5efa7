"""The agent's tools: least-privilege calls to the core-banking service.

Every tool is a :class:`ToolSpec`: the bank endpoint, the one scope it needs, the
fields the agent may see in the answer, and whether it changes the account. The
:class:`ToolGate` is the only way the agent reaches the bank:

* it refuses any call without an **authenticated customer** (one-time code first);
* for each call it mints a fresh **Ed25519-signed JWT** (:mod:`trustdesk.tooltokens`)
  for that tool's scope, that customer, that conversation and only the fields the
  tool needs, valid for ``ttl_seconds`` (at most 300); the bank verifies signature,
  expiry, audience and scope and returns only those fields;
* an account-changing tool (``update_address``, ``refund_fee``) is **never executed
  by the AI**: :meth:`ToolGate.call` returns ``approval_required`` with the SHA-256
  binding of tool + arguments + customer, and only
  :meth:`ToolGate.execute_approved` runs it, after checking that the binding of what
  is about to run equals the one a human approved;
* every outcome (ok, denied, error, approval_required) comes back as a
  :class:`ToolOutcome` for the ledger and the ``tool_calls`` table; no raw values of
  other customers can be asked for, since the customer is the token's subject and
  never a parameter.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from trustdesk.tooltokens import ToolTokenIssuer
from trustdesk.types import ToolOutcome

if TYPE_CHECKING:  # httpx comes with the server extra; imported when a call is made
    import httpx

__all__ = [
    "BANK_AUDIENCE",
    "TOOLS",
    "ToolGate",
    "ToolOutcome",
    "ToolSpec",
    "binding_sha256",
]

BANK_AUDIENCE = "northwind-core-banking"


@dataclass(frozen=True, slots=True)
class ToolSpec:
    """One backend action the agent may take."""

    name: str
    method: str
    path: str
    scope: str
    fields: tuple[str, ...]
    changes_account: bool = False
    description: str = ""


TOOLS: Mapping[str, ToolSpec] = {
    t.name: t
    for t in (
        ToolSpec(
            "get_card_status",
            "GET",
            "/v1/cards",
            "cards:read",
            ("id", "last4", "brand", "status", "delivery_status", "expected_delivery"),
            description="Status and delivery of the customer's cards.",
        ),
        ToolSpec(
            "freeze_card",
            "POST",
            "/v1/cards/{card_id}/freeze",
            "cards:freeze",
            ("id", "last4", "status"),
            description="Freeze a card (protective, reversible in the app).",
        ),
        ToolSpec(
            "list_transactions",
            "GET",
            "/v1/transactions",
            "transactions:read",
            ("id", "date", "merchant", "amount", "currency"),
            description="The customer's most recent card transactions.",
        ),
        ToolSpec(
            "start_dispute",
            "POST",
            "/v1/disputes",
            "disputes:create",
            ("id", "status"),
            description="Open a dispute for one transaction.",
        ),
        ToolSpec(
            "update_address",
            "PUT",
            "/v1/address",
            "profile:address:write",
            ("address", "changed_at"),
            changes_account=True,
            description="Change the postal address (needs a human's approval).",
        ),
        ToolSpec(
            "refund_fee",
            "POST",
            "/v1/fees/{fee_id}/refund",
            "fees:refund",
            ("id", "refunded", "amount"),
            changes_account=True,
            description="Refund a fee (needs a human's approval).",
        ),
    )
}


def binding_sha256(tool: str, arguments: Mapping[str, Any], customer_ref: str) -> str:
    """The SHA-256 that an approval is bound to: tool, exact arguments and customer."""
    body = json.dumps(
        {"tool": tool, "arguments": dict(arguments), "customer": customer_ref},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class ToolGate:
    """Mints a scoped token per call and talks to the bank. Thread-safe.

    ``client`` is an ``httpx.Client`` whose ``base_url`` is the bank; ``resolve``
    turns vault tokens in arguments (``<STREET_ADDRESS_7f3a91c2>``) back into values
    at execution time, so the AI only ever handles tokens.
    """

    def __init__(
        self,
        issuer: ToolTokenIssuer,
        client: httpx.Client,
        *,
        ttl_seconds: int = 120,
        audience: str = BANK_AUDIENCE,
        tools: Mapping[str, ToolSpec] = TOOLS,
        resolve: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None,
    ) -> None:
        if not 1 <= ttl_seconds <= 300:
            raise ValueError("tool credentials live at most 300 seconds")
        self.issuer = issuer
        self.client = client
        self.ttl_seconds = ttl_seconds
        self.audience = audience
        self.tools = dict(tools)
        self.resolve = resolve

    def spec(self, tool: str) -> ToolSpec:
        try:
            return self.tools[tool]
        except KeyError:
            raise KeyError(f"unknown tool {tool!r}") from None

    def call(
        self,
        tool: str,
        *,
        customer_ref: str | None,
        conversation_id: str,
        arguments: Mapping[str, Any] | None = None,
        fields: Sequence[str] | None = None,
    ) -> ToolOutcome:
        """Run a read or protective tool; account changes come back ``approval_required``."""
        spec = self.spec(tool)
        args = dict(arguments or {})
        allowed = self._fields(spec, fields)
        if not customer_ref:
            return ToolOutcome(
                tool, spec.scope, allowed, "unauthenticated", args, reason="customer_not_verified"
            )
        if spec.changes_account:
            return ToolOutcome(
                tool,
                spec.scope,
                allowed,
                "approval_required",
                args,
                binding=binding_sha256(tool, args, customer_ref),
            )
        return self._execute(spec, customer_ref, conversation_id, args, allowed)

    def execute_approved(
        self,
        tool: str,
        *,
        customer_ref: str,
        conversation_id: str,
        arguments: Mapping[str, Any],
        approved_binding: str,
        resolve: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None,
    ) -> ToolOutcome:
        """Run an approved account change, only if it is exactly what was approved."""
        spec = self.spec(tool)
        args = dict(arguments)
        actual = binding_sha256(tool, args, customer_ref)
        if actual != approved_binding:
            return ToolOutcome(
                tool,
                spec.scope,
                spec.fields,
                "denied",
                args,
                reason="binding_mismatch",
                binding=actual,
            )
        outcome = self._execute(
            spec, customer_ref, conversation_id, args, spec.fields, resolve=resolve
        )
        return ToolOutcome(
            outcome.tool,
            outcome.scope,
            outcome.fields,
            outcome.status,
            outcome.arguments,
            outcome.data,
            outcome.status_code,
            outcome.reason,
            actual,
        )

    # -- internals ---------------------------------------------------------------------

    @staticmethod
    def _fields(spec: ToolSpec, wanted: Sequence[str] | None) -> tuple[str, ...]:
        if wanted is None:
            return spec.fields
        unknown = set(wanted) - set(spec.fields)
        if unknown:
            raise ValueError(f"tool {spec.name} cannot return {sorted(unknown)}")
        return tuple(dict.fromkeys(wanted))

    def _execute(
        self,
        spec: ToolSpec,
        customer_ref: str,
        conversation_id: str,
        args: dict[str, Any],
        allowed: tuple[str, ...],
        *,
        resolve: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None,
    ) -> ToolOutcome:
        token = self.issuer.mint(
            audience=self.audience,
            subject=customer_ref,
            tool=spec.name,
            scope=spec.scope,
            fields=allowed,
            conversation_id=conversation_id,
            ttl_seconds=self.ttl_seconds,
        )
        path_args = {k: args[k] for k in ("card_id", "fee_id") if k in args}
        try:
            path = spec.path.format(**path_args)
        except KeyError as exc:
            return ToolOutcome(
                spec.name, spec.scope, allowed, "error", args, reason=f"missing_{exc.args[0]}"
            )
        body = {k: v for k, v in args.items() if k not in path_args}
        resolver = resolve or self.resolve
        if resolver is not None and body:
            try:
                body = dict(resolver(body))
            except (ValueError, LookupError) as exc:
                return ToolOutcome(
                    spec.name, spec.scope, allowed, "error", args, reason=type(exc).__name__
                )
        params: dict[str, Any] | None = None
        payload: dict[str, Any] | None = None
        if spec.method == "GET":
            params = {k: v for k, v in body.items() if isinstance(v, str | int)}
        else:
            payload = body
        import httpx

        try:
            response = self.client.request(
                spec.method,
                path,
                params=params,
                json=payload,
                headers={"Authorization": f"Bearer {token}"},
            )
        except httpx.HTTPError as exc:
            return ToolOutcome(
                spec.name, spec.scope, allowed, "error", args, reason=type(exc).__name__
            )
        if response.status_code >= 400:
            reason = "http_error"
            try:
                problem = response.json()
                if isinstance(problem, dict) and isinstance(problem.get("reason"), str):
                    reason = problem["reason"]
            except ValueError:
                pass
            status = "denied" if response.status_code in (401, 403, 404) else "error"
            return ToolOutcome(
                spec.name, spec.scope, allowed, status, args, None, response.status_code, reason
            )
        try:
            data = response.json()
        except ValueError:
            return ToolOutcome(
                spec.name,
                spec.scope,
                allowed,
                "error",
                args,
                None,
                response.status_code,
                "bad_json",
            )
        return ToolOutcome(
            spec.name, spec.scope, allowed, "ok", args, data, response.status_code, None
        )
