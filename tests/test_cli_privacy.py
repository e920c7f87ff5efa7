"""``trustdesk privacy scan`` (the JSON Lines contract) and ``trustdesk privacy redact``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trustdesk.cli.main import app

runner = CliRunner()

CARD = "4111 1111 1111 1111"
CARD2 = "5555555555554444"
EMAIL = "pat.doe@example.com"
SECRETS = [CARD, CARD.replace(" ", ""), CARD2, EMAIL, "4111-1111-1111-1111"]


def _scan(stdin: str, *args: str) -> tuple[int, list[dict[str, object]], str]:
    r = runner.invoke(app, ["privacy", "scan", *args], input=stdin)
    lines = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    return r.exit_code, lines, r.stderr


def _assert_clean(text: str) -> None:
    for value in SECRETS:
        assert value not in text, value


# -- scan -----------------------------------------------------------------------------------


def test_scan_output_contract() -> None:
    text = f"naïve question — card {CARD}, ok?"
    lines = [
        json.dumps({"id": "a-1", "text": text}, ensure_ascii=False),
        json.dumps({"id": 42, "text": "nothing here"}),
        json.dumps({"id": {"nested": [1]}, "turns": ["my card is 4111 1111", "1111 1111"]}),
    ]
    code, out, err = _scan("\n".join(lines) + "\n")
    assert code == 0, err
    assert [o["id"] for o in out] == ["a-1", 42, {"nested": [1]}]
    for o in out:
        assert set(o) == {"id", "findings", "redacted"}

    start = text.index(CARD)  # characters, not bytes: the text before is non-ASCII
    assert start != len(text[:start].encode("utf-8"))
    assert out[0]["findings"] == [
        {
            "turn": 0,
            "start": start,
            "end": start + len(CARD),
            "type": "CREDIT_CARD",
            "score": 0.95,
            "detector": "credit_card",
        }
    ]
    assert out[0]["redacted"] == "naïve question — card <CREDIT_CARD>, ok?"

    assert out[1] == {"id": 42, "findings": [], "redacted": "nothing here"}

    assert out[2]["redacted"] == ["my card is <CREDIT_CARD>", "<CREDIT_CARD>"]
    assert out[2]["findings"] == [
        {
            "turn": 0,
            "start": 11,
            "end": 20,
            "type": "CREDIT_CARD",
            "score": 0.95,
            "detector": "split_value",
        },
        {
            "turn": 1,
            "start": 0,
            "end": 9,
            "type": "CREDIT_CARD",
            "score": 0.95,
            "detector": "split_value",
        },
    ]


def test_scan_offsets_count_astral_characters_as_one() -> None:
    text = f"🙂🙂 mail {EMAIL}"
    code, out, _ = _scan(json.dumps({"id": 1, "text": text}, ensure_ascii=False) + "\n")
    assert code == 0
    (finding,) = out[0]["findings"]  # type: ignore[misc]
    assert text[finding["start"] : finding["end"]] == EMAIL
    assert finding["start"] == 8


def test_scan_skips_empty_lines() -> None:
    stdin = (
        "\n   \n"
        + json.dumps({"id": 1, "text": "a"})
        + "\n\n\t\n"
        + json.dumps({"id": 2, "text": "b"})
    )
    code, out, _ = _scan(stdin)
    assert code == 0
    assert [o["id"] for o in out] == [1, 2]


def test_scan_empty_input() -> None:
    code, out, _ = _scan("")
    assert code == 0 and out == []


@pytest.mark.parametrize(
    ("third", "why"),
    [
        ("{not json", "invalid JSON"),
        ('["a list"]', "expected a JSON object"),
        ('{"text": "no id"}', 'missing "id"'),
        ('{"id": 3}', 'give exactly one of "text" or "turns"'),
        ('{"id": 3, "text": "a", "turns": ["b"]}', 'give exactly one of "text" or "turns"'),
        ('{"id": 3, "text": 5}', '"text" must be a string'),
        ('{"id": 3, "turns": ["a", 1]}', '"turns" must be a list of strings'),
        ('{"id": 3, "text": "lone \\ud800 surrogate"}', "lone surrogates"),
    ],
)
def test_scan_malformed_line_stops_with_its_number(third: str, why: str) -> None:
    first = json.dumps({"id": 1, "text": f"card {CARD}"})
    second = json.dumps({"id": 2, "turns": ["hello"]})
    fourth = json.dumps({"id": 4, "text": "never reached"})
    code, out, err = _scan("\n".join([first, second, third, fourth]) + "\n")
    assert code == 1
    assert [o["id"] for o in out] == [1, 2]  # lines 1-2 were written
    assert "line 3" in err
    assert why in err
    _assert_clean(err)


def test_scan_line_numbers_count_blank_lines() -> None:
    stdin = json.dumps({"id": 1, "text": "a"}) + "\n\n{broken\n"
    code, out, err = _scan(stdin)
    assert code == 1 and len(out) == 1
    assert "line 3" in err


def test_scan_non_utf8_stdin() -> None:
    r = runner.invoke(app, ["privacy", "scan"], input=b'{"id": 1, "text": "caf\xe9"}\n')
    assert r.exit_code == 1
    assert "not UTF-8" in r.stderr


def test_scan_file_argument_and_operator(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "x", "text": f"mail {EMAIL}"}) + "\n", encoding="utf-8")
    key = tmp_path / "key.bin"
    key.write_bytes(b"k" * 32)
    args = ["privacy", "scan", str(path), "--operator", "pseudonymize", "--key-file", str(key)]
    r1 = runner.invoke(app, args)
    r2 = runner.invoke(app, args)
    assert r1.exit_code == 0, r1.stderr
    out = json.loads(r1.stdout)
    assert out["redacted"].startswith("mail <EMAIL_ADDRESS_")
    assert r1.stdout == r2.stdout  # one key, one token


def test_scan_configuration_errors(tmp_path: Path) -> None:
    r = runner.invoke(app, ["privacy", "scan", "--operator", "shred"], input="")
    assert r.exit_code == 2
    assert "unknown operator" in r.stderr
    short = tmp_path / "short.key"
    short.write_bytes(b"tiny")
    r = runner.invoke(app, ["privacy", "scan", "--key-file", str(short)], input="")
    assert r.exit_code == 2
    assert "at least 16 bytes" in r.stderr


# -- redact ----------------------------------------------------------------------------------


def test_redact_text_file(tmp_path: Path) -> None:
    src = tmp_path / "notes.txt"
    src.write_text(
        f"call notes\ncard {CARD} mail {EMAIL}\nmy card is 4111 1111\n1111 1111\nbye\n",
        encoding="utf-8",
    )
    r = runner.invoke(app, ["privacy", "redact", str(src)])
    assert r.exit_code == 0, r.stderr
    out = tmp_path / "notes.redacted.txt"
    text = out.read_text(encoding="utf-8")
    _assert_clean(text)
    assert "4111 1111" not in text and "1111 1111" not in text  # the split card too
    assert text.splitlines() == [
        "call notes",
        "card <CREDIT_CARD> mail <EMAIL_ADDRESS>",
        "my card is <CREDIT_CARD>",
        "<CREDIT_CARD>",
        "bye",
    ]
    assert not list(tmp_path.glob("*.partial"))
    assert "5 record(s) redacted" in r.stderr


def test_redact_csv_column(tmp_path: Path) -> None:
    src = tmp_path / "tickets.csv"
    with src.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "body", "agent"])
        w.writerow(["1", f"card {CARD}, mail {EMAIL}", "Sam"])
        w.writerow(["2", 'first\nsecond, quoted "text"', "Lee"])
        w.writerow(["3", "", "Kim"])
    out = tmp_path / "clean.csv"
    r = runner.invoke(app, ["privacy", "redact", str(src), "--column", "body", "-o", str(out)])
    assert r.exit_code == 0, r.stderr
    content = out.read_text(encoding="utf-8")
    _assert_clean(content)
    rows = list(csv.DictReader(io.StringIO(content)))
    assert [row["id"] for row in rows] == ["1", "2", "3"]
    assert rows[0]["body"] == "card <CREDIT_CARD>, mail <EMAIL_ADDRESS>"
    assert rows[1]["body"] == 'first\nsecond, quoted "text"'
    assert rows[2]["body"] == ""
    assert [row["agent"] for row in rows] == ["Sam", "Lee", "Kim"]  # other columns untouched


def test_redact_csv_unknown_column(tmp_path: Path) -> None:
    src = tmp_path / "t.csv"
    src.write_text("id,body\n1,hello\n", encoding="utf-8")
    r = runner.invoke(app, ["privacy", "redact", str(src), "--column", "bogus"])
    assert r.exit_code == 1
    assert "no such column(s): bogus" in r.stderr
    assert not (tmp_path / "t.redacted.csv").exists()
    assert not list(tmp_path.glob("*.partial"))


def test_redact_jsonl_text_and_turns(tmp_path: Path) -> None:
    src = tmp_path / "chats.jsonl"
    rows = [
        {"id": 1, "text": f"card {CARD}", "meta": {"k": "v"}},
        {"id": 2, "turns": ["my card is 5555 5555", "5555 4444"]},
        {"id": 3, "text": f"mail {EMAIL}", "turns": ["ok", f"and {CARD2}"]},
    ]
    src.write_text(
        "\n".join(json.dumps(r) for r in rows[:2]) + "\n\n" + json.dumps(rows[2]) + "\n",
        encoding="utf-8",
    )
    r = runner.invoke(app, ["privacy", "redact", str(src)])
    assert r.exit_code == 0, r.stderr
    out_path = tmp_path / "chats.redacted.jsonl"
    content = out_path.read_text(encoding="utf-8")
    _assert_clean(content)
    assert "5555 5555" not in content and "5555 4444" not in content
    out = [json.loads(line) for line in content.splitlines()]
    assert out[0] == {"id": 1, "text": "card <CREDIT_CARD>", "meta": {"k": "v"}}
    assert out[1] == {"id": 2, "turns": ["my card is <CREDIT_CARD>", "<CREDIT_CARD>"]}
    assert out[2]["text"] == "mail <EMAIL_ADDRESS>"
    assert out[2]["turns"] == ["ok", "and <CREDIT_CARD>"]


def test_redact_jsonl_field_option(tmp_path: Path) -> None:
    src = tmp_path / "x.jsonl"
    src.write_text(
        json.dumps({"body": f"mail {EMAIL}", "text": "card kept as is"}) + "\n", encoding="utf-8"
    )
    r = runner.invoke(app, ["privacy", "redact", str(src), "--field", "body"])
    assert r.exit_code == 0, r.stderr
    out = json.loads((tmp_path / "x.redacted.jsonl").read_text(encoding="utf-8"))
    assert out == {"body": "mail <EMAIL_ADDRESS>", "text": "card kept as is"}


def test_redact_refuses_to_overwrite_the_input(tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    original = f"card {CARD}\n"
    src.write_text(original, encoding="utf-8")
    for target in (str(src), str(tmp_path / "." / "in.txt")):
        r = runner.invoke(app, ["privacy", "redact", str(src), "-o", target])
        assert r.exit_code == 2
        assert "must not overwrite the input" in r.stderr
        assert src.read_text(encoding="utf-8") == original


@pytest.mark.parametrize(
    ("name", "payload"),
    [
        ("bad.txt", b"fine line\ncaf\xe9 card 4111 1111 1111 1111\n"),
        ("bad.csv", b"id,body\n1,ok\n2,caf\xe9\n"),
        ("bad.jsonl", b'{"text": "ok"}\n{"text": "caf\xe9"}\n'),
    ],
)
def test_redact_non_utf8_leaves_no_output(tmp_path: Path, name: str, payload: bytes) -> None:
    src = tmp_path / name
    src.write_bytes(payload)
    r = runner.invoke(app, ["privacy", "redact", str(src)])
    assert r.exit_code == 1
    assert "not UTF-8" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no output, no .partial


def test_redact_malformed_jsonl_leaves_no_output(tmp_path: Path) -> None:
    src = tmp_path / "m.jsonl"
    src.write_text('{"text": "ok"}\n{broken\n', encoding="utf-8")
    r = runner.invoke(app, ["privacy", "redact", str(src)])
    assert r.exit_code == 1
    assert "line 2" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.jsonl"]


def test_redact_with_pci_profile_and_keep_last(tmp_path: Path) -> None:
    src = tmp_path / "p.txt"
    src.write_text(f"card {CARD}\n", encoding="utf-8")
    r = runner.invoke(
        app, ["privacy", "redact", str(src), "--profile", "pci", "--operator", "pseudonymize"]
    )
    assert r.exit_code == 0, r.stderr
    # PCI: a card is never pseudonymized, only its last four shown.
    assert (tmp_path / "p.redacted.txt").read_text(encoding="utf-8") == (
        "card <CREDIT_CARD ****1111>\n"
    )
