"""A Merkle tree over the ledger's events, as Certificate Transparency builds one.

The hashing is RFC 6962 §2.1 (restated in RFC 9162 §2.1), with SHA-256:

* the hash of a leaf is ``SHA256(0x00 || data)`` (:func:`leaf_hash`);
* the hash of an interior node is ``SHA256(0x01 || left || right)`` (:func:`node_hash`);
* the root of the empty tree is ``SHA256(b"")`` (:data:`EMPTY_ROOT`);
* a tree of ``n > 1`` leaves splits at ``k``, the largest power of two *smaller* than
  ``n``: the root is ``node_hash(MTH(D[0:k]), MTH(D[k:n]))`` (:func:`mth`). The split
  is not the midpoint: for ``n = 6`` it is 4 + 2, not 3 + 3.

**Leaf data of the ledger.** Leaf ``i`` (0-based) is the ledger event with sequence
number ``seq = i + 1``, and its leaf data is the 32 raw bytes of that event's chain hash,
``bytes.fromhex(record.hash)`` (:func:`event_leaf_data`), not the hex text. The chain hash
already covers the event's content and the whole chain before it, so the tree commits to
the ledger without re-serialising any event.

**Checkpoints.** A checkpoint signs the root of the first ``tree_size`` events. The
signed message is exactly (:func:`checkpoint_message`)::

    b"trustdesk-checkpoint/v1\\n" + f"{tree_size}\\n{root_hash}\\n{time}\\n".encode()

with ``root_hash`` as 64 lowercase hex characters and ``time`` as
``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (UTC, microseconds). The key is Ed25519; its ``key_id`` is
the first 16 hex characters of the SHA-256 of the 32-byte raw public key
(:func:`key_id`). Signing is not done here (this module needs only ``hashlib``).

:class:`MerkleTree` keeps, per level, one ``bytearray`` of the 32-byte roots of the
*complete* (perfect) subtrees: level 0 holds the leaf hashes, and node ``j`` of level
``k`` is the root of leaves ``[j * 2**k, (j + 1) * 2**k)``. That is about 64 bytes per leaf
(64 MB for a million events), and every root, inclusion proof or consistency proof for
any tree size up to the current one is assembled from O(log n) stored nodes.

The proof verifiers (:func:`verify_inclusion`, :func:`verify_consistency`) are the
iterative algorithms of RFC 9162 §2.1.3.2 and §2.1.4.2; they return ``False`` on any
malformed input and never raise. ``trustdesk/ledger/verifier.py`` repeats them for the
standalone offline verifier, which must not import this package.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Sequence
from typing import TypeGuard

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
CHECKPOINT_PREFIX = b"trustdesk-checkpoint/v1\n"

_HEX64 = re.compile(r"[0-9a-f]{64}")
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")

_sha256 = hashlib.sha256


def leaf_hash(data: bytes) -> bytes:
    """``SHA256(0x00 || data)``: the hash of one leaf."""
    return _sha256(LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """``SHA256(0x01 || left || right)``: the hash of an interior node."""
    return _sha256(NODE_PREFIX + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two strictly smaller than ``n`` (``n >= 2``)."""
    return 1 << ((n - 1).bit_length() - 1)


def mth(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]), the Merkle Tree Hash of RFC 6962 §2.1, by its recursive definition.

    The reference the tests hold :class:`MerkleTree` to; it hashes every leaf, so it is
    O(n) per call and not for production use.
    """
    n = len(leaves)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaf_hash(leaves[0])
    k = _split(n)
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def event_leaf_data(chain_hash: str) -> bytes:
    """The leaf data of a ledger event: the 32 raw bytes of its 64-hex chain hash."""
    if not isinstance(chain_hash, str) or not _HEX64.fullmatch(chain_hash):
        raise ValueError(f"a chain hash is 64 lowercase hex characters, not {chain_hash!r}")
    return bytes.fromhex(chain_hash)


class MerkleTree:
    """An append-only RFC 6962 Merkle tree that can answer for any of its past sizes."""

    __slots__ = ("_levels", "_size")

    def __init__(self, leaves: Iterable[bytes] = ()) -> None:
        # _levels[k] holds the roots of the complete subtrees of 2**k leaves, 32 bytes
        # each, left to right: len(_levels[k]) == 32 * (size >> k).
        self._levels: list[bytearray] = [bytearray()]
        self._size = 0
        self.extend(leaves)

    @classmethod
    def from_chain_hashes(cls, chain_hashes: Iterable[str]) -> MerkleTree:
        """The tree of ledger events, given their chain hashes in sequence order."""
        tree = cls()
        append, valid = tree.append, _HEX64.fullmatch
        for h in chain_hashes:
            append(bytes.fromhex(h) if isinstance(h, str) and valid(h) else event_leaf_data(h))
        return tree

    @property
    def size(self) -> int:
        """The number of leaves."""
        return self._size

    def __len__(self) -> int:
        return self._size

    def append(self, leaf_data: bytes) -> int:
        """Add one leaf (its data, not its hash); return its 0-based index."""
        index = self._size
        levels = self._levels
        h = _sha256(LEAF_PREFIX + leaf_data).digest()
        levels[0] += h
        # Every trailing 1 bit of the old size is a complete subtree this leaf closes.
        n = index
        level = 0
        while n & 1:
            start = len(levels[level]) - 2 * HASH_SIZE
            h = _sha256(NODE_PREFIX + levels[level][start : start + HASH_SIZE] + h).digest()
            level += 1
            if level == len(levels):
                levels.append(bytearray())
            levels[level] += h
            n >>= 1
        self._size = index + 1
        return index

    def extend(self, leaves: Iterable[bytes]) -> None:
        """Append each leaf in order."""
        append = self.append
        for data in leaves:
            append(data)

    def leaf(self, index: int) -> bytes:
        """The stored leaf hash at ``index``."""
        self._check_index(index, self._size)
        return bytes(self._levels[0][index * HASH_SIZE : (index + 1) * HASH_SIZE])

    def root(self, size: int | None = None) -> bytes:
        """MTH of the first ``size`` leaves (default: all of them)."""
        n = self._check_size(size)
        return EMPTY_ROOT if n == 0 else self._range_hash(0, n)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """The audit path PATH(index, D[size]) of RFC 6962 §2.1.1, leaf end first."""
        n = self._check_size(size)
        self._check_index(index, n)
        path: list[bytes] = []
        start, end = 0, n
        while end - start > 1:
            k = _split(end - start)
            if index < start + k:
                path.append(self._range_hash(start + k, end))
                end = start + k
            else:
                path.append(self._range_hash(start, start + k))
                start += k
        path.reverse()
        return path

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        """PROOF(old_size, D[new_size]) of RFC 6962 §2.1.2, deepest node first.

        Empty when ``old_size`` is 0 or equals ``new_size``: every tree extends the empty
        tree, and a tree is consistent with itself.
        """
        n = self._check_size(new_size)
        if not _is_int(old_size) or not 0 <= old_size <= n:
            raise ValueError(f"old_size must be an integer in [0, {n}], not {old_size!r}")
        if old_size in (0, n):
            return []
        proof: list[bytes] = []
        m, start, end, whole = old_size, 0, n, True
        while m != end - start:
            k = _split(end - start)
            if m <= k:
                proof.append(self._range_hash(start + k, end))
                end = start + k
            else:
                proof.append(self._range_hash(start, start + k))
                m -= k
                start += k
                whole = False
        if not whole:
            proof.append(self._range_hash(start, end))
        proof.reverse()
        return proof

    def _range_hash(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for a subtree of the RFC 6962 tree, from stored nodes.

        Every such subtree starts at a multiple of the largest power of two not above its
        width, so it is the stored complete subtrees of decreasing width, left to right,
        folded from the right.
        """
        nodes: list[bytes] = []
        levels = self._levels
        while start < end:
            level = (end - start).bit_length() - 1
            offset = (start >> level) * HASH_SIZE
            nodes.append(bytes(levels[level][offset : offset + HASH_SIZE]))
            start += 1 << level
        h = nodes.pop()
        while nodes:
            h = _sha256(NODE_PREFIX + nodes.pop() + h).digest()
        return h

    def _check_size(self, size: int | None) -> int:
        if size is None:
            return self._size
        if not _is_int(size) or not 0 <= size <= self._size:
            raise ValueError(
                f"tree size must be an integer in [0, {self._size}] "
                f"(the tree has {self._size} leaves), not {size!r}"
            )
        return size

    @staticmethod
    def _check_index(index: int, size: int) -> None:
        if not _is_int(index) or not 0 <= index < size:
            raise ValueError(
                f"leaf index must be an integer in [0, {size}) for a tree of size {size}, "
                f"not {index!r}"
            )


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_hash(value: object) -> bool:
    return isinstance(value, bytes | bytearray | memoryview) and len(value) == HASH_SIZE


def verify_inclusion(
    leaf_data: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """Whether ``proof`` shows leaf ``index`` of the ``size``-leaf tree with ``root`` holds
    ``leaf_data`` (RFC 9162 §2.1.3.2). ``False`` on any malformed argument."""
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


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Whether ``proof`` shows the ``old_size`` tree with ``old_root`` is a prefix of the
    ``new_size`` tree with ``new_root`` (RFC 9162 §2.1.4.2). ``False`` on any malformed
    argument.

    Equal sizes need an empty proof and equal roots; old size 0 needs an empty proof and
    ``old_root == EMPTY_ROOT``.
    """
    try:
        if not (_is_int(old_size) and _is_int(new_size) and 0 <= old_size <= new_size):
            return False
        if not (_is_hash(old_root) and _is_hash(new_root)):
            return False
        raw = list(proof)
        if not all(_is_hash(p) for p in raw):
            return False
        path = [bytes(p) for p in raw]
        old, new = bytes(old_root), bytes(new_root)
        if old_size == new_size:
            same = hmac.compare_digest(old, new)
            return not path and same and (old_size > 0 or old == EMPTY_ROOT)
        if old_size == 0:
            return not path and old == EMPTY_ROOT
        if not path:
            return False
        nodes = path
        if old_size & (old_size - 1) == 0:
            nodes.insert(0, old)
        fn, sn = old_size - 1, new_size - 1
        while fn & 1:
            fn >>= 1
            sn >>= 1
        fr = sr = nodes[0]
        for c in nodes[1:]:
            if sn == 0:
                return False
            if fn & 1 or fn == sn:
                fr = node_hash(c, fr)
                sr = node_hash(c, sr)
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
            else:
                sr = node_hash(sr, c)
            fn >>= 1
            sn >>= 1
        return sn == 0 and hmac.compare_digest(fr, old) and hmac.compare_digest(sr, new)
    except (TypeError, ValueError):
        return False


def checkpoint_message(tree_size: int, root_hash: str, time: str) -> bytes:
    """The exact bytes a checkpoint's Ed25519 signature covers.

    ``root_hash`` is 64 lowercase hex characters; ``time`` is ``canonical_time`` of the
    signing moment (``YYYY-MM-DDTHH:MM:SS.ffffffZ``).
    """
    if not _is_int(tree_size) or tree_size < 0:
        raise ValueError(f"tree_size must be a non-negative integer, not {tree_size!r}")
    if not isinstance(root_hash, str) or not _HEX64.fullmatch(root_hash):
        raise ValueError(f"root_hash must be 64 lowercase hex characters, not {root_hash!r}")
    if not isinstance(time, str) or not _TIME.fullmatch(time):
        raise ValueError(f"time must look like 2026-11-22T03:00:00.000000Z, not {time!r}")
    return CHECKPOINT_PREFIX + f"{tree_size}\n{root_hash}\n{time}\n".encode("ascii")


def key_id(public_key: bytes) -> str:
    """The first 16 hex characters of SHA-256 over the 32-byte raw Ed25519 public key."""
    if not isinstance(public_key, bytes | bytearray) or len(public_key) != 32:
        raise ValueError("an Ed25519 public key is 32 raw bytes")
    return hashlib.sha256(public_key).hexdigest()[:16]


__all__ = [
    "CHECKPOINT_PREFIX",
    "EMPTY_ROOT",
    "HASH_SIZE",
    "LEAF_PREFIX",
    "NODE_PREFIX",
    "MerkleTree",
    "checkpoint_message",
    "event_leaf_data",
    "key_id",
    "leaf_hash",
    "mth",
    "node_hash",
    "verify_consistency",
    "verify_inclusion",
]
