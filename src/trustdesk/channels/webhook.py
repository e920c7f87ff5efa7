"""Signed webhooks from external chat platforms.

A platform signs each delivery with a shared secret::

    X-TrustDesk-Timestamp: 1767225600                 (Unix seconds)
    X-TrustDesk-Delivery:  9c1d...                     (unique per delivery)
    X-TrustDesk-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>

TrustDesk recomputes the HMAC over the exact body bytes and compares in constant time,
refuses timestamps further than the replay window from its clock, and refuses a
delivery id (or signature) it has already accepted.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from trustdesk.errors import InvalidSignature, StaleTimestamp

TIMESTAMP_HEADER = "X-TrustDesk-Timestamp"
SIGNATURE_HEADER = "X-TrustDesk-Signature"
DELIVERY_HEADER = "X-TrustDesk-Delivery"
SCHEME = "v1"


def sign(secret: bytes, timestamp: int, body: bytes) -> str:
    """The signature header value for ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret, str(timestamp).encode("ascii") + b"." + body, hashlib.sha256)
    return f"{SCHEME}={mac.hexdigest()}"


def verify(
    secret: bytes,
    *,
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    tolerance_seconds: int,
    now: float | None = None,
) -> int:
    """Check a delivery's timestamp and signature; returns the timestamp.

    Raises :class:`InvalidSignature` or :class:`StaleTimestamp`.
    """
    if not timestamp or not signature:
        raise InvalidSignature(f"{TIMESTAMP_HEADER} and {SIGNATURE_HEADER} headers are required")
    if not timestamp.isdigit() or len(timestamp) > 12:
        raise InvalidSignature(f"{TIMESTAMP_HEADER} must be Unix seconds")
    ts = int(timestamp)
    current = time.time() if now is None else now
    skew = abs(current - ts)
    if skew > tolerance_seconds:
        raise StaleTimestamp(skew, tolerance_seconds)
    expected = sign(secret, ts, body)
    candidates = [s.strip() for s in signature.split(",") if s.strip()]
    if not any(hmac.compare_digest(expected.encode(), c.encode()) for c in candidates):
        raise InvalidSignature()
    return ts
