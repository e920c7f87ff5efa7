"""The vault: the one place raw personal values live, encrypted per data subject.

Each data subject (customer) has a random 256-bit data key, stored wrapped (AES-GCM)
by the vault's master key in ``subject_keys``. Values are encrypted with AES-GCM under
the subject's key, bound by associated data to the subject and the field name, so a
ciphertext cannot be moved to another subject or field. Deleting a subject's key
(:meth:`SqlVault.shred`) makes every copy of their values unrecoverable: crypto-shredding.

The master key comes from ``<data_dir>/vault/master.key`` (created with mode 0600 on
first use) unless the caller passes one.
"""

from __future__ import annotations

import os
import secrets
import uuid
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.orm import Session

from trustdesk.errors import TrustDeskError
from trustdesk.store.models import SubjectKey

_NONCE = 12
_KEY = 32


class VaultError(TrustDeskError):
    """A value cannot be decrypted: wrong key, tampered ciphertext, or a shredded subject."""


class SubjectShredded(VaultError):
    def __init__(self, subject: uuid.UUID) -> None:
        super().__init__(f"subject {subject} has no key (shredded or never created)")
        self.subject = subject


class Vault(Protocol):
    """Encrypts and decrypts one subject's values; shreds a subject's key."""

    def encrypt(self, subject: uuid.UUID, field: str, plaintext: bytes) -> bytes: ...

    def decrypt(self, subject: uuid.UUID, field: str, ciphertext: bytes) -> bytes: ...

    def shred(self, subject: uuid.UUID) -> bool: ...


def load_master_key(data_dir: Path) -> bytes:
    """Read (or create, 0600) the vault master key under ``data_dir/vault``."""
    path = data_dir / "vault" / "master.key"
    if path.exists():
        key = path.read_bytes()
        if len(key) != _KEY:
            raise VaultError(f"{path} must hold exactly {_KEY} bytes")
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    key = secrets.token_bytes(_KEY)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    return key


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """AES-GCM: a random 96-bit nonce, then the ciphertext and tag."""
    nonce = secrets.token_bytes(_NONCE)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def open_sealed(key: bytes, blob: bytes, aad: bytes) -> bytes:
    """The plaintext of :func:`seal`'s output; VaultError if it does not authenticate."""
    if len(blob) < _NONCE + 16:
        raise VaultError("ciphertext is truncated")
    try:
        return AESGCM(key).decrypt(blob[:_NONCE], blob[_NONCE:], aad)
    except InvalidTag as exc:
        raise VaultError("ciphertext does not authenticate") from exc


class SqlVault:
    """A vault whose wrapped subject keys live in the database, in ``session``."""

    def __init__(self, session: Session, master_key: bytes) -> None:
        if len(master_key) != _KEY:
            raise VaultError(f"master key must be {_KEY} bytes")
        self.session = session
        self._master = master_key
        self._cache: dict[uuid.UUID, bytes] = {}

    def _subject_key(self, subject: uuid.UUID, *, create: bool) -> bytes:
        if subject in self._cache:
            return self._cache[subject]
        row = self.session.get(SubjectKey, subject)
        if row is None:
            if not create:
                raise SubjectShredded(subject)
            key = secrets.token_bytes(_KEY)
            row = SubjectKey(
                customer_id=subject, wrapped_key=seal(self._master, key, subject.bytes)
            )
            self.session.add(row)
        else:
            key = open_sealed(self._master, row.wrapped_key, subject.bytes)
        self._cache[subject] = key
        return key

    def encrypt(self, subject: uuid.UUID, field: str, plaintext: bytes) -> bytes:
        key = self._subject_key(subject, create=True)
        return seal(key, plaintext, subject.bytes + b"|" + field.encode())

    def decrypt(self, subject: uuid.UUID, field: str, ciphertext: bytes) -> bytes:
        key = self._subject_key(subject, create=False)
        return open_sealed(key, ciphertext, subject.bytes + b"|" + field.encode())

    def shred(self, subject: uuid.UUID) -> bool:
        self._cache.pop(subject, None)
        row = self.session.get(SubjectKey, subject)
        if row is None:
            return False
        self.session.delete(row)
        self.session.flush()
        return True
