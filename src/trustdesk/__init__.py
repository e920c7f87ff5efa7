"""TrustDesk: a self-hostable contact center whose AI agent is guarded, redacted,
least-privileged and audited by the software itself.

Importing this package loads no model and opens no database; see ``trustdesk.api``
(``create_app``), ``trustdesk.pipeline`` and the stage packages.
"""

from trustdesk.types import (
    AgentContext,
    AgentDecision,
    Finding,
    GuardResult,
    PrivacyResult,
    Reason,
    Verdict,
)

__version__ = "0.1.0"

__all__ = [
    "AgentContext",
    "AgentDecision",
    "Finding",
    "GuardResult",
    "PrivacyResult",
    "Reason",
    "Verdict",
    "__version__",
]
