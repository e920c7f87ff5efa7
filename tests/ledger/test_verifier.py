"""The standalone offline verifier: it agrees with trustdesk.ledger.merkle, stands alone,
and turns every bad document into a FAIL with a reason, never a traceback."""

from __future__ import annotations

import ast
import copy
import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from hypothesis import given, settings
from hypothesis import strategies as st

from trustdesk.ledger import merkle, verifier

VERIFIER_PATH = Path(verifier.__file__)
TIME = "2026-11-22T03:00:00.000000Z"
CHAIN = [hashlib.sha256(b"chain %d" % i).hexdigest() for i in range(1, 101)]
TREE = merkle.MerkleTree.from_chain_hashes(CHAIN)


def raw_public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


KEY = Ed25519PrivateKey.generate()
PUBLIC = raw_public(KEY).hex()


def make_document(
    seq: int = 42, tree_size: int = 100, key: Ed25519PrivateKey = KEY
) -> dict[str, Any]:
    """What the ledger service hands out: built from merkle.py, signed with ``key``."""
    root = TREE.root(tree_size).hex()
    public = raw_public(key)
    signature = key.sign(merkle.checkpoint_message(tree_size, root, TIME)).hex()
    return {
        "format": "trustdesk-inclusion-proof/v1",
        "event": {"seq": seq, "hash": CHAIN[seq - 1]},
        "leaf_index": seq - 1,
        "tree_size": tree_size,
        "proof": [p.hex() for p in TREE.inclusion_proof(seq - 1, tree_size)],
        "checkpoint": {
            "tree_size": tree_size,
            "root_hash": root,
            "time": TIME,
            "key_id": merkle.key_id(public),
            "signature": signature,
        },
        "public_key": public.hex(),
    }


def flip_hex(text: str, position: int = 0) -> str:
    digit = int(text[position], 16) ^ 1
    return text[:position] + f"{digit:x}" + text[position + 1 :]


# --- it agrees with merkle.py and stands alone ---------------------------------------------


def test_the_duplicated_hash_rules_agree_with_merkle() -> None:
    for data in (b"", b"\x00", b"x" * 32, bytes(range(256))):
        assert verifier.leaf_hash(data) == merkle.leaf_hash(data)
    assert verifier.node_hash(b"a" * 32, b"b" * 32) == merkle.node_hash(b"a" * 32, b"b" * 32)
    assert verifier.CHECKPOINT_PREFIX == merkle.CHECKPOINT_PREFIX
    for size, root in ((0, merkle.EMPTY_ROOT.hex()), (10**12, "0f" * 32)):
        assert verifier.checkpoint_message(size, root, TIME) == merkle.checkpoint_message(
            size, root, TIME
        )
    for bad in ((1, "AB" * 32, TIME), (1, "ab" * 32, TIME + "\n"), (-1, "ab" * 32, TIME)):
        with pytest.raises(ValueError):
            verifier.checkpoint_message(*bad)
        with pytest.raises(ValueError):
            merkle.checkpoint_message(*bad)
    assert verifier.key_id(raw_public(KEY)) == merkle.key_id(raw_public(KEY))


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_verify_inclusion_agrees_with_merkle(data: st.DataObject) -> None:
    size = data.draw(st.integers(1, len(CHAIN)), label="size")
    index = data.draw(st.integers(0, size - 1), label="index")
    proof = TREE.inclusion_proof(index, size)
    leaf = bytes.fromhex(CHAIN[index])
    root = TREE.root(size)
    cases = [(leaf, index, size, proof, root)]
    claimed_index = data.draw(st.integers(-1, size + 1), label="claimed_index")
    claimed_size = data.draw(st.integers(0, len(CHAIN) + 1), label="claimed_size")
    cases.append((leaf, claimed_index, size, proof, root))
    cases.append((leaf, index, claimed_size, proof, root))
    if proof:
        element = data.draw(st.integers(0, len(proof) - 1), label="element")
        bit = data.draw(st.integers(0, 255), label="bit")
        changed = bytearray(proof[element])
        changed[bit // 8] ^= 1 << (bit % 8)
        bad = [*proof[:element], bytes(changed), *proof[element + 1 :]]
        cases.append((leaf, index, size, bad, root))
        cases.append((leaf, index, size, proof[1:], root))
    for case in cases:
        assert verifier.verify_inclusion(*case) is merkle.verify_inclusion(*case)
    assert verifier.verify_inclusion(*cases[0])


def test_the_verifier_imports_nothing_from_trustdesk() -> None:
    tree = ast.parse(VERIFIER_PATH.read_text(encoding="utf-8"))
    imported: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports in a file meant to be copied"
            imported.append(node.module or "")
    allowed_third_party = {"cryptography"}
    for name in imported:
        top = name.split(".")[0]
        assert top in sys.stdlib_module_names or top in allowed_third_party, name


def run_copied_verifier(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a copy of verifier.py in isolated mode with ``trustdesk`` made unimportable."""
    copied = tmp_path / "verifier.py"
    copied.write_bytes(VERIFIER_PATH.read_bytes())
    bootstrap = (
        "import runpy, sys; sys.modules['trustdesk'] = None; "
        f"sys.argv = [{str(copied)!r}, *sys.argv[1:]]; "
        f"runpy.run_path({str(copied)!r}, run_name='__main__')"
    )
    return subprocess.run(
        [sys.executable, "-I", "-c", bootstrap, *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        check=False,
    )


def test_a_copy_of_the_verifier_runs_alone(tmp_path: Path) -> None:
    good = tmp_path / "proof.json"
    good.write_text(json.dumps(make_document()), encoding="utf-8")
    done = run_copied_verifier(tmp_path, str(good), "--public-key", PUBLIC)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("OK: event 42 ")
    assert "(pinned)" in done.stdout

    other = raw_public(Ed25519PrivateKey.generate()).hex()
    done = run_copied_verifier(tmp_path, str(good), "--public-key", other)
    assert done.returncode == 1
    assert done.stdout.startswith("FAIL: ") and "pinned key" in done.stdout

    broken = tmp_path / "broken.json"
    broken.write_text('{"format": ', encoding="utf-8")
    done = run_copied_verifier(tmp_path, str(broken))
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout.startswith("FAIL: ") and "not valid JSON" in done.stdout


# --- verify_document ----------------------------------------------------------------------


def test_a_genuine_document_verifies_for_every_event() -> None:
    for size in (1, 2, 3, 64, 100):
        for seq in {1, size // 2 + 1, size}:
            ok, reason = verifier.verify_document(make_document(seq, size), public_key=PUBLIC)
            assert ok, (seq, size, reason)
            assert reason.startswith(f"event {seq} ")


def test_an_unpinned_document_says_the_key_is_not_pinned() -> None:
    ok, reason = verifier.verify_document(make_document())
    assert ok
    assert "not pinned" in reason and merkle.key_id(raw_public(KEY)) in reason


def test_a_pinned_key_is_case_and_space_insensitive() -> None:
    assert verifier.verify_document(make_document(), public_key=f" {PUBLIC.upper()}\n")[0]


def tampered(path: str, value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(make_document())
    *parents, last = path.split(".")
    target: Any = doc
    for name in parents:
        target = target[int(name)] if isinstance(target, list) else target[name]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return doc


def sig_flip() -> str:
    return flip_hex(make_document()["checkpoint"]["signature"], 5)


def root_flip() -> str:
    return flip_hex(make_document()["checkpoint"]["root_hash"], 63)


@pytest.mark.parametrize(
    ("path", "value", "reason"),
    [
        ("checkpoint.signature", sig_flip(), "signature is not valid"),
        ("checkpoint.root_hash", root_flip(), "signature is not valid"),
        ("checkpoint.tree_size", 99, "signature is not valid"),
        ("checkpoint.time", "2026-11-22T03:00:01.000000Z", "signature is not valid"),
        ("checkpoint.key_id", "0" * 16, "key_id"),
        ("event.hash", CHAIN[40], "does not lead from event 42"),
        ("event.seq", 43, "leaf_index must be event.seq - 1 = 42"),
        ("leaf_index", 40, "leaf_index must be event.seq - 1 = 41"),
        ("tree_size", 99, "differs from the signed checkpoint.tree_size"),
        ("proof.0", flip_hex(make_document()["proof"][0], 10), "does not lead"),
        ("format", "trustdesk-inclusion-proof/v2", '"format" must be'),
    ],
)
def test_tampering_fails_with_a_reason(path: str, value: Any, reason: str) -> None:
    ok, why = verifier.verify_document(tampered(path, value))
    assert not ok
    assert reason in why


def test_a_self_signed_forgery_fails_only_when_the_key_is_pinned() -> None:
    # A forger with their own key can sign any root; only the pinned key exposes them.
    forger = Ed25519PrivateKey.generate()
    forged = make_document(key=forger)
    assert verifier.verify_document(forged)[0]  # consistent with itself
    ok, reason = verifier.verify_document(forged, public_key=PUBLIC)
    assert not ok
    assert f"is not the pinned key (key id {merkle.key_id(raw_public(KEY))})" in reason


def test_an_event_beyond_the_checkpoint_fails() -> None:
    doc = make_document(seq=5, tree_size=5)
    doc["event"] = {"seq": 6, "hash": CHAIN[5]}
    doc["leaf_index"] = 5
    ok, reason = verifier.verify_document(doc)
    assert not ok and "not covered by a checkpoint of 5 events" in reason


def test_a_bad_pinned_key_is_a_failure_not_an_exception() -> None:
    for key in ("", "zz" * 32, PUBLIC[:-2], 42):
        ok, reason = verifier.verify_document(make_document(), public_key=key)  # type: ignore[arg-type]
        assert not ok and "pinned public key" in reason


@pytest.mark.parametrize(
    ("path", "value", "reason"),
    [
        ("event.seq", "42", "event.seq must be an integer, not str"),
        ("event.seq", 42.0, "event.seq must be an integer, not float"),
        ("event.seq", True, "event.seq must be an integer, not bool"),
        ("event.seq", 0, "event.seq must be at least 1"),
        ("event.seq", 2**80, "event.seq must be at most 2**64"),
        ("event.hash", CHAIN[41].upper(), "event.hash must be 64 lowercase hex"),
        ("event.hash", CHAIN[41][:-1], "event.hash must be 64 lowercase hex"),
        ("event", [], '"event" must be a JSON object'),
        ("proof", "ab" * 32, '"proof" must be a JSON array'),
        ("proof", ["00" * 32] * 65, "no valid proof has more than 64"),
        ("proof.1", None, "proof[1] must be 64 lowercase hex"),
        ("checkpoint.time", "2026-11-22 03:00:00", "checkpoint.time must look like"),
        ("checkpoint.time", 1, "checkpoint.time must look like"),
        ("checkpoint.signature", "00" * 63, "checkpoint.signature must be 128"),
        ("checkpoint", None, '"checkpoint" must be a JSON object'),
        ("public_key", PUBLIC[:-1] + " ", "public_key must be 64 lowercase hex"),
        ("tree_size", -1, "tree_size must be at least 1"),
    ],
)
def test_malformed_fields_fail_with_a_reason(path: str, value: Any, reason: str) -> None:
    ok, why = verifier.verify_document(tampered(path, value))
    assert not ok
    assert reason in why


@pytest.mark.parametrize(
    "field", ["format", "event", "leaf_index", "tree_size", "proof", "checkpoint", "public_key"]
)
def test_a_missing_field_is_named(field: str) -> None:
    doc = make_document()
    del doc[field]
    ok, reason = verifier.verify_document(doc)
    assert not ok
    assert field in reason


@pytest.mark.parametrize("doc", [None, [], "proof", 42, {}, {"format": None}])
def test_documents_that_are_not_objects_fail(doc: object) -> None:
    ok, reason = verifier.verify_document(doc)
    assert not ok and reason


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=130)
    | st.sampled_from(["00" * 32, "ab" * 64, TIME, PUBLIC]),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = [
    "format",
    "event",
    "event.seq",
    "event.hash",
    "leaf_index",
    "tree_size",
    "proof",
    "proof.0",
    "checkpoint",
    "checkpoint.tree_size",
    "checkpoint.root_hash",
    "checkpoint.time",
    "checkpoint.key_id",
    "checkpoint.signature",
    "public_key",
]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(FIELDS), json_values)
def test_any_value_in_any_field_fails_cleanly(path: str, value: Any) -> None:
    original = make_document()
    doc = tampered(path, value)
    ok, reason = verifier.verify_document(doc)
    assert isinstance(reason, str) and reason
    if doc != original:
        assert not ok, (path, value)


@settings(max_examples=100, deadline=None)
@given(json_values)
def test_any_json_document_fails_cleanly(value: Any) -> None:
    ok, reason = verifier.verify_document(value)
    assert not ok and reason


# --- the command line ---------------------------------------------------------------------


def test_main_prints_ok_or_fail_and_exits_0_or_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(make_document(), indent=2), encoding="utf-8")
    assert verifier.main([str(good)]) == 0
    assert capsys.readouterr().out.startswith("OK: ")
    assert verifier.main([str(good), "--public-key", PUBLIC]) == 0
    assert "(pinned)" in capsys.readouterr().out

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(tampered("checkpoint.root_hash", root_flip())), encoding="utf-8")
    assert verifier.main([str(bad)]) == 1
    assert capsys.readouterr().out.startswith("FAIL: the checkpoint signature is not valid")

    assert verifier.main([str(tmp_path / "missing.json")]) == 1
    assert capsys.readouterr().out.startswith("FAIL: cannot read ")

    assert verifier.main([str(good), "--public-key", "nope"]) == 1
    assert "pinned public key" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "not valid JSON"),
        (b"\xff\xfe\x00", "not valid JSON"),
        (b"[" * 100_000, "not valid JSON"),
        (b'{"a": NaN}', "NaN is not valid JSON"),
        (b'{"format": 1, "format": 2}', "duplicate key 'format'"),
        (b"1" * 5000, "not valid JSON"),
        (b" " * (verifier.MAX_DOCUMENT_BYTES + 1), "larger than"),
        (b"[]", "the document must be a JSON object"),
    ],
)
def test_main_turns_unreadable_files_into_fail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, reason: str
) -> None:
    path = tmp_path / "proof.json"
    path.write_bytes(content)
    assert verifier.main([str(path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("FAIL: ")
    assert reason in out


def test_main_reads_standard_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Stdin:
        buffer = io.BytesIO(json.dumps(make_document()).encode())

    monkeypatch.setattr(sys, "stdin", Stdin)
    assert verifier.main(["-", "--public-key", PUBLIC]) == 0
    assert capsys.readouterr().out.startswith("OK: ")
