"""Sealed values behind tokens: store what the policy encrypted, reveal it under audit.

When the policy's operator for a type is ``encrypt``, the redacted text carries a token
(``<EMAIL_ADDRESS_7f3a91c2>``) and the raw value comes back from the privacy stage as a
:class:`~trustdesk.types.SealedValue`. :func:`seal_values` stores it in
``vault_tokens``, AES-GCM under the data subject's key with the token as associated
data, in the caller's transaction (so the text and its sealed values commit together).
:func:`reveal_tokens` opens them again; the API calls it only for principals holding
``pii:reveal`` and records every reveal in the ledger.

Shredding a subject's key (:meth:`trustdesk.privacy.vault.SqlVault.shred`) makes every
sealed value of theirs unrecoverable; the tokens in stored text stay as they are.

Pseudonym keys: :func:`pseudonym_key` derives the HMAC key for tokens from the vault's
master key and the tenant (HKDF-SHA256), so tokens are stable across restarts and
differ between tenants.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Connection, insert, select

from trustdesk.privacy.vault import SubjectShredded, VaultError, open_sealed, seal
from trustdesk.store.models import DataCategory, SubjectKey, VaultToken, table_of
from trustdesk.types import SealedValue

_TOKENS = table_of(VaultToken)
_KEYS = table_of(SubjectKey)
_KEY_BYTES = 32


def pseudonym_key(master_key: bytes, tenant: str) -> bytes:
    """The tenant's HMAC key for pseudonym tokens, derived from the vault master key."""
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"trustdesk-pseudonyms-v1",
        info=tenant.encode(),
    ).derive(master_key)


def _aad(subject: uuid.UUID, token: str) -> bytes:
    return subject.bytes + b"|token|" + token.encode()


def _subject_key(conn: Connection, master_key: bytes, subject: uuid.UUID, *, create: bool) -> bytes:
    wrapped = conn.execute(
        select(_KEYS.c.wrapped_key).where(_KEYS.c.customer_id == subject)
    ).scalar_one_or_none()
    if wrapped is not None:
        return open_sealed(master_key, wrapped, subject.bytes)
    if not create:
        raise SubjectShredded(subject)
    key = secrets.token_bytes(_KEY_BYTES)
    conn.execute(
        insert(_KEYS).values(
            customer_id=subject,
            wrapped_key=seal(master_key, key, subject.bytes),
            key_version=1,
            created_at=datetime.now(UTC),
        )
    )
    return key


def seal_values(
    conn: Connection,
    master_key: bytes,
    *,
    subject: uuid.UUID,
    conversation_id: uuid.UUID | None,
    values: Sequence[SealedValue],
) -> int:
    """Store each value under its token for ``subject``; returns how many were new."""
    if not values:
        return 0
    tokens = {v.token for v in values}
    existing = set(
        conn.execute(
            select(_TOKENS.c.token).where(
                _TOKENS.c.customer_id == subject, _TOKENS.c.token.in_(tokens)
            )
        ).scalars()
    )
    fresh = {v.token: v for v in values if v.token not in existing}
    if not fresh:
        return 0
    key = _subject_key(conn, master_key, subject, create=True)
    now = datetime.now(UTC)
    conn.execute(
        insert(_TOKENS),
        [
            {
                "id": uuid.uuid4(),
                "customer_id": subject,
                "conversation_id": conversation_id,
                "token": v.token,
                "entity_type": v.entity_type,
                "ciphertext": seal(key, v.value.encode("utf-8"), _aad(subject, v.token)),
                "data_category": str(DataCategory.IDENTITY),
                "created_at": now,
            }
            for v in fresh.values()
        ],
    )
    return len(fresh)


def reveal_tokens(
    conn: Connection, master_key: bytes, *, subject: uuid.UUID, tokens: Iterable[str]
) -> dict[str, str | None]:
    """Each token's value for ``subject``; None for a token not sealed for them.

    Raises :class:`~trustdesk.privacy.vault.SubjectShredded` when the subject's key is
    gone (their values are unrecoverable) and VaultError on tampered ciphertext.
    """
    wanted = list(dict.fromkeys(tokens))
    rows = conn.execute(
        select(_TOKENS.c.token, _TOKENS.c.ciphertext).where(
            _TOKENS.c.customer_id == subject, _TOKENS.c.token.in_(wanted)
        )
    ).all()
    out: dict[str, str | None] = dict.fromkeys(wanted)
    if not rows:
        return out
    key = _subject_key(conn, master_key, subject, create=False)
    for token, blob in rows:
        try:
            out[token] = open_sealed(key, blob, _aad(subject, token)).decode("utf-8")
        except UnicodeDecodeError as exc:  # pragma: no cover - we only seal UTF-8
            raise VaultError("sealed value is not UTF-8") from exc
    return out
