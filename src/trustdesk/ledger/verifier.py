"""Check, offline, that an event is in a TrustDesk audit ledger under a signed checkpoint.

This file stands alone: copy it anywhere and run it with Python 3.10+ and the
``cryptography`` package (for Ed25519). It imports nothing from TrustDesk::

    python verifier.py proof.json [--public-key HEX]

It prints ``OK: ...`` and exits 0 when every check passes, or prints ``FAIL: ...`` with
the reason and exits 1. ``--public-key`` pins the operator's Ed25519 public key (64 hex
characters, obtained from the operator out of band); without it the document's own key is
used, which proves only that *someone* holding that key signed the checkpoint.

The proof document (JSON, UTF-8; every hex string lowercase; other keys are ignored)::

    {"format": "trustdesk-inclusion-proof/v1",
     "event": {"seq": 42, "hash": "<64 hex: the event's chain hash>"},
     "leaf_index": 41,
     "tree_size": 1000,
     "proof": ["<64 hex>", ...],
     "checkpoint": {"tree_size": 1000, "root_hash": "<64 hex>",
                    "time": "2026-11-22T03:00:00.000000Z",
                    "key_id": "<16 hex>", "signature": "<128 hex>"},
     "public_key": "<64 hex: raw Ed25519 public key>"}

The checks, in order:

1. ``public_key`` equals the pinned key, when one is given;
2. ``checkpoint.key_id`` is the first 16 hex characters of SHA-256(public key bytes);
3. ``checkpoint.signature`` is a valid Ed25519 signature by ``public_key`` over::

       b"trustdesk-checkpoint/v1\\n" + f"{tree_size}\\n{root_hash}\\n{time}\\n".encode()

4. ``tree_size`` equals ``checkpoint.tree_size``, and ``leaf_index == event.seq - 1``;
5. ``proof`` is an RFC 6962 audit path from leaf ``leaf_index`` to ``checkpoint.root_hash``
   in a tree of ``tree_size`` leaves, where the leaf data is the 32 bytes of the event's
   chain hash (``bytes.fromhex(event.hash)``), a leaf hash is SHA-256(0x00 || data) and a
   node hash is SHA-256(0x01 || left || right). The check is the algorithm of
   RFC 9162 §2.1.3.2.

What an OK proves: the event with this chain hash is event number ``seq`` of the ledger
whose first ``tree_size`` events the key holder signed at ``time``. Checking that the chain
hash matches the event's content is a separate step (the chain hash covers the event's
canonical JSON and the previous event's hash).
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import re
import sys
from collections.abc import Sequence
from typing import Any, TypeGuard

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

FORMAT = "trustdesk-inclusion-proof/v1"
CHECKPOINT_PREFIX = b"trustdesk-checkpoint/v1\n"
MAX_PROOF_LENGTH = 64  # a proof has at most one node per level of a tree below 2**64 leaves
MAX_DOCUMENT_BYTES = 1 << 20
MAX_SIZE = 1 << 64  # sequence numbers and tree sizes beyond this are rejected unread

_HEX = re.compile(r"[0-9a-f]*")
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")


# --- RFC 6962 hashing (the same rules as trustdesk.ledger.merkle, repeated on purpose) ---


def leaf_hash(data: bytes) -> bytes:
    """SHA-256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(
    leaf_data: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: does ``proof`` lead from leaf ``index`` to ``root``?"""
    try:
        if not (_is_int(index) and _is_int(size) and 0 <= index < size):
            return False
        if not isinstance(leaf_data, bytes | bytearray | memoryview) or not _is_hash(root):
            return False
        path = list(proof)
        if not all(_is_hash(p) for p in path):
            return False
        fn, sn = index, size - 1
        r = leaf_hash(bytes(leaf_data))
        for p in path:
            if sn == 0:
                return False
            if fn & 1 or fn == sn:
                r = node_hash(bytes(p), r)
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
            else:
                r = node_hash(r, bytes(p))
            fn >>= 1
            sn >>= 1
        return sn == 0 and hmac.compare_digest(r, bytes(root))
    except (TypeError, ValueError):
        return False


def checkpoint_message(tree_size: int, root_hash: str, time: str) -> bytes:
    """The exact bytes a checkpoint signature covers."""
    if not _is_int(tree_size) or tree_size < 0:
        raise ValueError("tree_size must be a non-negative integer")
    if not _is_hex(root_hash, 64):
        raise ValueError("root_hash must be 64 lowercase hex characters")
    if not isinstance(time, str) or not _TIME.fullmatch(time):
        raise ValueError("time must look like 2026-11-22T03:00:00.000000Z")
    return CHECKPOINT_PREFIX + f"{tree_size}\n{root_hash}\n{time}\n".encode("ascii")


def key_id(public_key: bytes) -> str:
    """The first 16 hex characters of SHA-256 over the raw 32-byte public key."""
    return hashlib.sha256(public_key).hexdigest()[:16]


# --- the document ---


class _Reject(Exception):
    """The document fails; the message says why."""


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes | bytearray | memoryview) and len(value) == 32


def _is_hex(value: object, length: int) -> TypeGuard[str]:
    return isinstance(value, str) and len(value) == length and bool(_HEX.fullmatch(value))


def _field(obj: dict[str, Any], name: str, where: str) -> Any:
    if name not in obj:
        raise _Reject(f"missing field {where}{name}")
    return obj[name]


def _object(value: object, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Reject(f"{what} must be a JSON object")
    return value


def _integer(value: object, what: str, minimum: int) -> int:
    if not _is_int(value):
        raise _Reject(f"{what} must be an integer, not {type(value).__name__}")
    if value < minimum:
        raise _Reject(f"{what} must be at least {minimum}")
    if value > MAX_SIZE:
        raise _Reject(f"{what} must be at most 2**64")
    return value


def _hex(value: object, what: str, length: int) -> bytes:
    if not _is_hex(value, length):
        raise _Reject(f"{what} must be {length} lowercase hex characters")
    return bytes.fromhex(value)


def _check(document: object, pinned_key: bytes | None) -> str:
    doc = _object(document, "the document")
    if doc.get("format") != FORMAT:
        raise _Reject(f'"format" must be "{FORMAT}", not {doc.get("format")!r:.80}')

    event = _object(_field(doc, "event", ""), '"event"')
    seq = _integer(_field(event, "seq", "event."), "event.seq", 1)
    event_hash = _hex(_field(event, "hash", "event."), "event.hash", 64)
    leaf_index = _integer(_field(doc, "leaf_index", ""), "leaf_index", 0)
    tree_size = _integer(_field(doc, "tree_size", ""), "tree_size", 1)
    raw_proof = _field(doc, "proof", "")
    if not isinstance(raw_proof, list):
        raise _Reject('"proof" must be a JSON array of hex strings')
    if len(raw_proof) > MAX_PROOF_LENGTH:
        raise _Reject(f'"proof" has {len(raw_proof)} entries; no valid proof has more than 64')
    proof = [_hex(p, f"proof[{i}]", 64) for i, p in enumerate(raw_proof)]

    cp = _object(_field(doc, "checkpoint", ""), '"checkpoint"')
    cp_size = _integer(_field(cp, "tree_size", "checkpoint."), "checkpoint.tree_size", 1)
    root_text = _field(cp, "root_hash", "checkpoint.")
    root = _hex(root_text, "checkpoint.root_hash", 64)
    time = _field(cp, "time", "checkpoint.")
    if not isinstance(time, str) or not _TIME.fullmatch(time):
        raise _Reject("checkpoint.time must look like 2026-11-22T03:00:00.000000Z")
    cp_key_id = _field(cp, "key_id", "checkpoint.")
    if not _is_hex(cp_key_id, 16):
        raise _Reject("checkpoint.key_id must be 16 lowercase hex characters")
    signature = _hex(_field(cp, "signature", "checkpoint."), "checkpoint.signature", 128)
    public_key = _hex(_field(doc, "public_key", ""), "public_key", 64)

    # Who signed, and was it them?
    if pinned_key is not None and not hmac.compare_digest(public_key, pinned_key):
        raise _Reject(
            f"the document's public key (key id {key_id(public_key)}) "
            f"is not the pinned key (key id {key_id(pinned_key)})"
        )
    if cp_key_id != key_id(public_key):
        raise _Reject(
            f"checkpoint.key_id {cp_key_id} does not match public_key "
            f"(whose key id is {key_id(public_key)})"
        )
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(
            signature, checkpoint_message(cp_size, root_text, time)
        )
    except InvalidSignature:
        raise _Reject(
            "the checkpoint signature is not valid for this public key "
            "(the checkpoint, or the signature, was altered)"
        ) from None
    except ValueError as exc:  # a 32-byte string that is not a usable Ed25519 key
        raise _Reject(f"public_key is not a usable Ed25519 public key: {exc}") from None

    # Is the event where the document says, under the signed root?
    if tree_size != cp_size:
        raise _Reject(
            f"tree_size {tree_size} differs from the signed checkpoint.tree_size {cp_size}"
        )
    if leaf_index != seq - 1:
        raise _Reject(f"leaf_index must be event.seq - 1 = {seq - 1}, not {leaf_index}")
    if leaf_index >= tree_size:
        raise _Reject(
            f"event {seq} is not covered by a checkpoint of {tree_size} events "
            "(ask for a proof against a later checkpoint)"
        )
    if not verify_inclusion(event_hash, leaf_index, tree_size, proof, root):
        raise _Reject(
            f"the inclusion proof does not lead from event {seq} to the signed root "
            f"{root.hex()[:16]}... (wrong event hash, index or proof)"
        )

    signer = f"key {cp_key_id}" + (
        " (pinned)"
        if pinned_key is not None
        else " (not pinned: compare it with the operator's published key, or pass --public-key)"
    )
    return (
        f"event {seq} (chain hash {event_hash.hex()[:16]}...) is leaf {leaf_index} of the "
        f"{tree_size}-event ledger tree with root {root.hex()[:16]}..., "
        f"checkpoint signed at {time} by {signer}"
    )


def verify_document(doc: object, public_key: str | None = None) -> tuple[bool, str]:
    """Check a parsed proof document; return ``(ok, human-readable reason)``.

    ``public_key`` (64 hex characters) pins the key the checkpoint must be signed with.
    Never raises for a bad document.
    """
    pinned: bytes | None = None
    if public_key is not None:
        text = public_key.strip().lower() if isinstance(public_key, str) else None
        if text is None or not _is_hex(text, 64):
            return False, "the pinned public key must be 64 hex characters"
        pinned = bytes.fromhex(text)
    try:
        return True, _check(doc, pinned)
    except _Reject as exc:
        return False, str(exc)
    except (TypeError, ValueError, OverflowError, RecursionError) as exc:  # belt and braces
        return False, f"malformed document ({type(exc).__name__}: {exc})"


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError(f"duplicate key {key!r}")
        obj[key] = value
    return obj


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_document(data: bytes | str) -> object:
    """Strict JSON: no duplicate keys, no NaN/Infinity. Raises ``ValueError``."""
    try:
        return json.loads(
            data, object_pairs_hook=_reject_duplicates, parse_constant=_reject_constant
        )
    except RecursionError:
        raise ValueError("nested too deeply") from None


def verify_file(path: str, public_key: str | None = None) -> tuple[bool, str]:
    """Read a proof document from ``path`` (``-`` for standard input) and check it."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_DOCUMENT_BYTES + 1)
        else:
            with open(path, "rb") as f:
                data = f.read(MAX_DOCUMENT_BYTES + 1)
    except OSError as exc:
        return False, f"cannot read {path}: {exc.strerror or exc}"
    if len(data) > MAX_DOCUMENT_BYTES:
        return False, f"{path} is larger than {MAX_DOCUMENT_BYTES} bytes; not a proof document"
    try:
        doc = parse_document(data)
    except (ValueError, UnicodeDecodeError) as exc:
        return False, f"{path} is not valid JSON: {exc}"
    return verify_document(doc, public_key)


def main(argv: Sequence[str] | None = None) -> int:
    """``python verifier.py proof.json [--public-key HEX]``: exit 0 if OK, 1 if not."""
    parser = argparse.ArgumentParser(
        prog="verifier.py",
        description="Verify a TrustDesk ledger inclusion proof offline.",
    )
    parser.add_argument("proof", help="the proof document (JSON), or - for standard input")
    parser.add_argument(
        "--public-key",
        metavar="HEX",
        help="the operator's Ed25519 public key (64 hex characters) the checkpoint must "
        "be signed with",
    )
    args = parser.parse_args(argv)
    ok, reason = verify_file(args.proof, args.public_key)
    sys.stdout.write(f"{'OK' if ok else 'FAIL'}: {reason}\n")
    return 0 if ok else 1


__all__ = [
    "CHECKPOINT_PREFIX",
    "FORMAT",
    "MAX_DOCUMENT_BYTES",
    "MAX_PROOF_LENGTH",
    "MAX_SIZE",
    "checkpoint_message",
    "key_id",
    "leaf_hash",
    "main",
    "node_hash",
    "parse_document",
    "verify_document",
    "verify_file",
    "verify_inclusion",
]

if __name__ == "__main__":
    sys.exit(main())
