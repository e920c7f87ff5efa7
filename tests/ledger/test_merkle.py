"""The ledger's Merkle tree against RFC 6962: published vectors, the recursive
definitions, and the verifiers' refusal of anything tampered with."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trustdesk.ledger.merkle import (
    CHECKPOINT_PREFIX,
    EMPTY_ROOT,
    MerkleTree,
    checkpoint_message,
    event_leaf_data,
    key_id,
    leaf_hash,
    mth,
    node_hash,
    verify_consistency,
    verify_inclusion,
)

# The Certificate Transparency reference data (certificate-transparency and
# transparency-dev/merkle test files): eight leaves, the root of every prefix, and the
# inclusion and consistency proofs those projects check (indices here are 0-based).
CT_LEAVES = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]
CT_ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
CT_INCLUSION = [  # (index, size, proof)
    (0, 1, []),
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]
CT_CONSISTENCY = [  # (old_size, new_size, proof)
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]

# Distinct leaves (as ledger chain hashes are), more than the largest size tested so that
# "the root of a different size" exists on both sides.
MAX_SIZE = 300
LEAVES = [hashlib.sha256(b"event %d" % i).digest() for i in range(MAX_SIZE + 20)]
TREE = MerkleTree(LEAVES)
ROOTS = [TREE.root(n) for n in range(len(LEAVES) + 1)]


def _split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def ref_path(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]), RFC 6962 §2.1.1, literally."""
    n = len(leaves)
    if n == 1:
        return []
    k = _split(n)
    if m < k:
        return ref_path(m, leaves[:k]) + [mth(leaves[k:])]
    return ref_path(m - k, leaves[k:]) + [mth(leaves[:k])]


def ref_subproof(m: int, leaves: Sequence[bytes], whole: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b), RFC 6962 §2.1.2, literally."""
    n = len(leaves)
    if m == n:
        return [] if whole else [mth(leaves)]
    k = _split(n)
    if m <= k:
        return ref_subproof(m, leaves[:k], whole) + [mth(leaves[k:])]
    return ref_subproof(m - k, leaves[k:], False) + [mth(leaves[:k])]


def flip(proof: list[bytes], element: int, bit: int) -> list[bytes]:
    changed = bytearray(proof[element])
    changed[bit // 8] ^= 1 << (bit % 8)
    return [*proof[:element], bytes(changed), *proof[element + 1 :]]


# --- the published vectors ---------------------------------------------------------------


def test_hash_prefixes_and_empty_root() -> None:
    assert EMPTY_ROOT.hex() == CT_ROOTS[0]
    assert leaf_hash(b"").hex() == CT_ROOTS[1]
    assert leaf_hash(b"x") == hashlib.sha256(b"\x00x").digest()
    assert (
        node_hash(b"a" * 32, b"b" * 32) == hashlib.sha256(b"\x01" + b"a" * 32 + b"b" * 32).digest()
    )


def test_roots_match_the_rfc6962_vectors() -> None:
    tree = MerkleTree()
    assert tree.root().hex() == CT_ROOTS[0]
    for n, data in enumerate(CT_LEAVES, start=1):
        assert tree.append(data) == n - 1
        assert tree.root().hex() == CT_ROOTS[n]
        assert mth(CT_LEAVES[:n]).hex() == CT_ROOTS[n]
    for n in range(len(CT_LEAVES) + 1):
        assert tree.root(n).hex() == CT_ROOTS[n]


@pytest.mark.parametrize(("index", "size", "proof"), CT_INCLUSION)
def test_inclusion_proofs_match_the_vectors(index: int, size: int, proof: list[str]) -> None:
    tree = MerkleTree(CT_LEAVES)
    assert [p.hex() for p in tree.inclusion_proof(index, size)] == proof
    root = bytes.fromhex(CT_ROOTS[size])
    path = [bytes.fromhex(p) for p in proof]
    assert verify_inclusion(CT_LEAVES[index], index, size, path, root)


@pytest.mark.parametrize(("old", "new", "proof"), CT_CONSISTENCY)
def test_consistency_proofs_match_the_vectors(old: int, new: int, proof: list[str]) -> None:
    tree = MerkleTree(CT_LEAVES)
    assert [p.hex() for p in tree.consistency_proof(old, new)] == proof
    path = [bytes.fromhex(p) for p in proof]
    assert verify_consistency(
        old, new, bytes.fromhex(CT_ROOTS[old]), bytes.fromhex(CT_ROOTS[new]), path
    )


# --- the recursive definitions -----------------------------------------------------------


def test_root_of_every_size_is_mth_of_that_prefix() -> None:
    for n in range(MAX_SIZE + 1):
        assert ROOTS[n] == mth(LEAVES[:n]), n


def test_a_tree_grown_leaf_by_leaf_answers_for_its_current_size() -> None:
    tree = MerkleTree()
    for n, data in enumerate(LEAVES[:130], start=1):
        tree.append(data)
        assert tree.size == len(tree) == n
        assert tree.root() == ROOTS[n]


def test_proofs_are_the_rfc6962_path_and_proof_for_small_trees() -> None:
    for n in range(1, 41):
        for m in range(n):
            assert TREE.inclusion_proof(m, n) == ref_path(m, LEAVES[:n]), (m, n)
        for m in range(1, n + 1):
            expected = ref_subproof(m, LEAVES[:n], True)
            assert TREE.consistency_proof(m, n) == expected, (m, n)


def test_every_consistency_proof_verifies_and_tampering_fails() -> None:
    for n in range(1, 65):
        for m in range(1, n + 1):
            proof = TREE.consistency_proof(m, n)
            assert verify_consistency(m, n, ROOTS[m], ROOTS[n], proof), (m, n)
            if m == n:
                assert proof == []
                assert not verify_consistency(m, n, ROOTS[m], ROOTS[n + 1], proof)
                continue
            assert not verify_consistency(m, n, ROOTS[m - 1], ROOTS[n], proof)
            assert not verify_consistency(m, n, ROOTS[m], ROOTS[n - 1], proof)
            assert not verify_consistency(m, n, ROOTS[n], ROOTS[m], proof)
            assert not verify_consistency(m, n, ROOTS[m], ROOTS[n], proof[:-1])
            assert not verify_consistency(m, n, ROOTS[m], ROOTS[n], [*proof, ROOTS[n]])
            assert not verify_consistency(m, n, ROOTS[m], ROOTS[n], [proof[0], *proof])
            for i in range(len(proof)):
                assert not verify_consistency(m, n, ROOTS[m], ROOTS[n], flip(proof, i, 4 + i))


def test_the_empty_tree_is_consistent_with_every_tree() -> None:
    for n in (0, 1, 7, 300):
        assert TREE.consistency_proof(0, n) == []
        assert verify_consistency(0, n, EMPTY_ROOT, ROOTS[n], [])
        assert not verify_consistency(0, n, ROOTS[1], ROOTS[n], [])
        assert not verify_consistency(0, n, EMPTY_ROOT, ROOTS[n], [EMPTY_ROOT])


def test_a_tree_of_one_leaf() -> None:
    tree = MerkleTree([b"only"])
    assert tree.root() == leaf_hash(b"only")
    assert tree.inclusion_proof(0) == []
    assert verify_inclusion(b"only", 0, 1, [], tree.root())
    assert not verify_inclusion(b"other", 0, 1, [], tree.root())
    assert not verify_inclusion(b"only", 0, 1, [tree.root()], tree.root())


# --- properties ---------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_inclusion_proofs_verify_and_tampering_fails(data: st.DataObject) -> None:
    size = data.draw(st.integers(1, MAX_SIZE), label="size")
    index = data.draw(st.integers(0, size - 1), label="index")
    proof = TREE.inclusion_proof(index, size)
    root = ROOTS[size]
    assert len(proof) <= (size - 1).bit_length()
    assert verify_inclusion(LEAVES[index], index, size, proof, root)

    # Another leaf's data, or the leaf hash instead of the leaf data.
    assert not verify_inclusion(LEAVES[index - 1 if index else 1], index, size, proof, root)
    assert not verify_inclusion(leaf_hash(LEAVES[index]), index, size, proof, root)
    # A wrong root: another size's, or one bit off.
    wrong_size = data.draw(st.integers(0, len(LEAVES)).filter(lambda s: s != size))
    assert not verify_inclusion(LEAVES[index], index, size, proof, ROOTS[wrong_size])
    bad_root = bytearray(root)
    bad_root[data.draw(st.integers(0, 31))] ^= 1 << data.draw(st.integers(0, 7))
    assert not verify_inclusion(LEAVES[index], index, size, proof, bytes(bad_root))
    # A wrong index.
    other = data.draw(st.integers(-2, size + 2).filter(lambda i: i != index), label="other")
    assert not verify_inclusion(LEAVES[index], other, size, proof, root)
    # A wrong size, checked against that size's own root (a wrong size with this root can
    # pass: the size is not in the hashes, which is why the checkpoint signs it).
    if wrong_size > index:
        assert not verify_inclusion(LEAVES[index], index, wrong_size, proof, ROOTS[wrong_size])
    # Any single flipped bit of the proof, or a missing, extra or repeated element.
    if proof:
        element = data.draw(st.integers(0, len(proof) - 1), label="element")
        bit = data.draw(st.integers(0, 255), label="bit")
        assert not verify_inclusion(LEAVES[index], index, size, flip(proof, element, bit), root)
        assert not verify_inclusion(LEAVES[index], index, size, proof[:-1], root)
        assert not verify_inclusion(LEAVES[index], index, size, [proof[0], *proof], root)
    assert not verify_inclusion(LEAVES[index], index, size, [*proof, root], root)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_consistency_proofs_verify_and_tampering_fails(data: st.DataObject) -> None:
    new = data.draw(st.integers(1, MAX_SIZE), label="new")
    old = data.draw(st.integers(1, new), label="old")
    proof = TREE.consistency_proof(old, new)
    assert verify_consistency(old, new, ROOTS[old], ROOTS[new], proof)
    other_old = data.draw(st.integers(1, new).filter(lambda m: m != old), label="other_old")
    if new > 1:
        assert not verify_consistency(other_old, new, ROOTS[other_old], ROOTS[new], proof)
    assert not verify_consistency(old, new + 1, ROOTS[old], ROOTS[new + 1], proof)
    if proof:
        element = data.draw(st.integers(0, len(proof) - 1), label="element")
        bit = data.draw(st.integers(0, 255), label="bit")
        assert not verify_consistency(old, new, ROOTS[old], ROOTS[new], flip(proof, element, bit))
        assert not verify_consistency(old, new, ROOTS[old], ROOTS[new], [])
        assert not verify_consistency(old, new, ROOTS[new], ROOTS[old], proof)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.binary(max_size=40), max_size=70))
def test_arbitrary_leaf_data_matches_the_reference(leaves: list[bytes]) -> None:
    tree = MerkleTree(leaves)
    for n in range(len(leaves) + 1):
        assert tree.root(n) == mth(leaves[:n])


junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True),
    st.text(max_size=70),
    st.binary(max_size=70),
    st.lists(st.binary(max_size=40), max_size=5),
    st.lists(st.integers(), max_size=3),
)


@settings(max_examples=200, deadline=None)
@given(junk, junk, junk, junk, junk)
def test_verifiers_never_raise_on_junk(
    a: object, b: object, c: object, d: object, e: object
) -> None:
    assert isinstance(verify_inclusion(a, b, c, d, e), bool)  # type: ignore[arg-type]
    assert isinstance(verify_consistency(a, b, c, d, e), bool)  # type: ignore[arg-type]
    assert verify_inclusion(LEAVES[0], 0, 1, [], e) is (e == ROOTS[1])  # type: ignore[arg-type]
    assert verify_consistency(1, 2, ROOTS[1], ROOTS[2], [e]) is (e == LEAVES[1])  # type: ignore[list-item]


def test_verifiers_reject_wrongly_typed_but_plausible_arguments() -> None:
    proof = TREE.inclusion_proof(3, 10)
    root = ROOTS[10]
    assert verify_inclusion(LEAVES[3], 3, 10, proof, root)
    leaf, buffer = bytearray(LEAVES[3]), bytearray(root)
    assert verify_inclusion(leaf, 3, 10, tuple(proof), buffer)  # type: ignore[arg-type]
    assert not verify_inclusion(LEAVES[3], True, 10, proof, root)  # bool is not an index
    assert not verify_inclusion(LEAVES[3], 3.0, 10, proof, root)  # type: ignore[arg-type]
    assert not verify_inclusion(LEAVES[3].hex(), 3, 10, proof, root)  # type: ignore[arg-type]
    assert not verify_inclusion(LEAVES[3], 3, 10, [p.hex() for p in proof], root)  # type: ignore[misc]
    assert not verify_inclusion(LEAVES[3], 3, 10, proof, root.hex())  # type: ignore[arg-type]
    assert not verify_inclusion(LEAVES[3], 3, 10, [*proof[:-1], proof[-1][:31]], root)
    assert not verify_inclusion(LEAVES[3], 3, 10, None, root)  # type: ignore[arg-type]


# --- arguments and the ledger's leaf data -------------------------------------------------


def test_out_of_range_arguments_raise_value_error() -> None:
    tree = MerkleTree(LEAVES[:10])
    with pytest.raises(ValueError, match=r"tree size must be an integer in \[0, 10\]"):
        tree.root(11)
    with pytest.raises(ValueError, match="tree size"):
        tree.root(-1)
    with pytest.raises(ValueError, match=r"leaf index must be an integer in \[0, 5\)"):
        tree.inclusion_proof(5, 5)
    with pytest.raises(ValueError, match="leaf index"):
        tree.inclusion_proof(-1)
    with pytest.raises(ValueError, match="tree size"):
        tree.inclusion_proof(0, 11)
    with pytest.raises(ValueError, match="leaf index"):
        MerkleTree().inclusion_proof(0)
    with pytest.raises(ValueError, match=r"old_size must be an integer in \[0, 4\]"):
        tree.consistency_proof(5, 4)
    with pytest.raises(ValueError, match="tree size"):
        tree.consistency_proof(1, 11)
    with pytest.raises(ValueError, match="leaf index"):
        tree.leaf(10)
    with pytest.raises(ValueError, match="leaf index"):
        tree.inclusion_proof(True)


def test_ledger_leaf_data_is_the_raw_chain_hash() -> None:
    chain = [hashlib.sha256(b"%d" % i).hexdigest() for i in range(5)]
    tree = MerkleTree.from_chain_hashes(chain)
    assert event_leaf_data(chain[2]) == bytes.fromhex(chain[2])
    assert tree.leaf(2) == leaf_hash(bytes.fromhex(chain[2]))
    assert tree.root() == mth([bytes.fromhex(h) for h in chain])
    for bad in ["", "00" * 31, chain[0].upper(), chain[0] + "0", " " + chain[0][1:]]:
        with pytest.raises(ValueError, match="64 lowercase hex"):
            event_leaf_data(bad)


def test_checkpoint_message_and_key_id() -> None:
    root = "ab" * 32
    message = checkpoint_message(1000, root, "2026-11-22T03:00:00.000000Z")
    assert message == (
        b"trustdesk-checkpoint/v1\n1000\n" + root.encode() + b"\n2026-11-22T03:00:00.000000Z\n"
    )
    assert message.startswith(CHECKPOINT_PREFIX)
    assert key_id(b"\x01" * 32) == hashlib.sha256(b"\x01" * 32).hexdigest()[:16]
    with pytest.raises(ValueError, match="root_hash"):
        checkpoint_message(1, root.upper(), "2026-11-22T03:00:00.000000Z")
    with pytest.raises(ValueError, match="time"):
        checkpoint_message(1, root, "2026-11-22T03:00:00Z")
    with pytest.raises(ValueError, match="time"):
        checkpoint_message(1, root, "2026-11-22T03:00:00.000000Z\n")
    with pytest.raises(ValueError, match="tree_size"):
        checkpoint_message(-1, root, "2026-11-22T03:00:00.000000Z")
    with pytest.raises(ValueError, match="32 raw bytes"):
        key_id(b"\x01" * 31)
