"""TrustDesk's exceptions.

Callers catch the base classes; only the API layer turns them into HTTP answers.
No message here ever contains the text being processed::

    TrustDeskError
    ├── ConfigError(ValueError)             settings are invalid or unsafe
    ├── StoreError                          the database refused or is unreachable
    │   └── MigrationError                  schema is not at the expected revision
    ├── StageError                          a pipeline stage failed (pipeline fails closed)
    │   └── StageTimeout(TimeoutError)      a stage exceeded its time budget
    ├── InputError(ValueError)              a caller sent something we cannot accept
    │   ├── MessageTooLarge                 text exceeds the configured byte limit
    │   ├── EmptyMessage                    text is empty or only whitespace
    │   ├── InvalidEncoding                 bytes are not valid UTF-8
    │   └── MalformedJson                   body is not valid JSON
    ├── NotFound(LookupError)
    │   └── ConversationNotFound
    ├── Conflict
    │   ├── ConversationClosed              a message was sent to a closed conversation
    │   └── ReplayedWebhook                 a webhook delivery was seen before
    └── AuthenticationError
        ├── InvalidSignature                webhook signature missing or wrong
        └── StaleTimestamp                  webhook timestamp outside the replay window
"""

from __future__ import annotations


class TrustDeskError(Exception):
    """Base of every TrustDesk error."""


class ConfigError(TrustDeskError, ValueError):
    """Settings are invalid or unsafe (e.g. a default secret outside the demo)."""


class StoreError(TrustDeskError):
    """The database refused an operation or cannot be reached."""


class MigrationError(StoreError):
    """The database schema is not at the revision this code expects."""


class StageError(TrustDeskError):
    """A pipeline stage failed; the pipeline fails closed."""

    def __init__(self, stage: str, message: str) -> None:
        super().__init__(f"{stage}: {message}")
        self.stage = stage


class StageTimeout(StageError, TimeoutError):
    """A stage exceeded its time budget."""

    def __init__(self, stage: str, budget_ms: float) -> None:
        super().__init__(stage, f"exceeded its budget of {budget_ms:g} ms")
        self.budget_ms = budget_ms


class InputError(TrustDeskError, ValueError):
    """A caller sent input that cannot be accepted."""


class MessageTooLarge(InputError):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"message is {size} bytes; the limit is {limit} bytes")
        self.size = size
        self.limit = limit


class EmptyMessage(InputError):
    def __init__(self) -> None:
        super().__init__("message text is empty")


class InvalidEncoding(InputError):
    def __init__(self, detail: str = "body is not valid UTF-8") -> None:
        super().__init__(detail)


class MalformedJson(InputError):
    def __init__(self) -> None:
        super().__init__("request body is not valid JSON")


class NotFound(TrustDeskError, LookupError):
    """A referenced resource does not exist."""


class ConversationNotFound(NotFound):
    def __init__(self, conversation_id: str) -> None:
        super().__init__(f"conversation {conversation_id} does not exist")
        self.conversation_id = conversation_id


class Conflict(TrustDeskError):
    """The request conflicts with the resource's current state."""


class ConversationClosed(Conflict):
    def __init__(self, conversation_id: str) -> None:
        super().__init__(f"conversation {conversation_id} is closed")
        self.conversation_id = conversation_id


class ReplayedWebhook(Conflict):
    def __init__(self, delivery_id: str) -> None:
        super().__init__(f"webhook delivery {delivery_id} was already received")
        self.delivery_id = delivery_id


class AuthenticationError(TrustDeskError):
    """The caller could not be authenticated."""


class InvalidSignature(AuthenticationError):
    def __init__(self, detail: str = "webhook signature is missing or does not match") -> None:
        super().__init__(detail)


class StaleTimestamp(AuthenticationError):
    def __init__(self, skew_seconds: float, window_seconds: int) -> None:
        super().__init__(
            f"webhook timestamp is {skew_seconds:.0f} s away from server time; "
            f"the window is {window_seconds} s"
        )
        self.skew_seconds = skew_seconds
        self.window_seconds = window_seconds


class VerificationFailed(TrustDeskError):
    """A customer verification step failed (wrong or expired one-time code)."""


class RateLimited(TrustDeskError):
    """Too many messages from one client or in one conversation; retry later."""

    def __init__(self, detail: str, retry_after: float) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
