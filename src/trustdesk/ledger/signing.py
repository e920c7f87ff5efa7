"""The ledger's Ed25519 checkpoint key.

The private key lives in ``<data_dir>/ledger/signing.key`` (raw 32 bytes, mode 0600),
created on first use. Every worker that writes the ledger must share it. The public
key and its id (first 16 hex digits of SHA-256 of the raw public key) are published
with the checkpoints so anyone can check them offline.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from trustdesk.errors import ConfigError
from trustdesk.ledger.merkle import checkpoint_message, key_id

__all__ = ["CheckpointSigner", "checkpoint_message", "key_id", "verify_signature"]


class CheckpointSigner:
    """Signs checkpoints with an Ed25519 key and checks them with its public half."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._key = private_key
        self.public_raw = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.public_key_hex = self.public_raw.hex()
        self.key_id = key_id(self.public_raw)

    @classmethod
    def generate(cls) -> CheckpointSigner:
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def load_or_create(cls, data_dir: Path) -> CheckpointSigner:
        path = data_dir / "ledger" / "signing.key"
        if path.exists():
            raw = path.read_bytes()
            if len(raw) != 32:
                raise ConfigError(f"{path} must hold exactly 32 bytes (a raw Ed25519 key)")
            return cls(Ed25519PrivateKey.from_private_bytes(raw))
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another worker created it first
            return cls.load_or_create(data_dir)
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        return cls(key)

    def sign(self, message: bytes) -> str:
        return self._key.sign(message).hex()

    def verify(self, message: bytes, signature_hex: str) -> bool:
        return verify_signature(self.public_raw, message, signature_hex)


def verify_signature(public_raw: bytes, message: bytes, signature_hex: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public_raw).verify(bytes.fromhex(signature_hex), message)
    except (InvalidSignature, ValueError):
        return False
    return True
