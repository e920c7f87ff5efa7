"""Trained intent classifier: shipped model, pure-Python vs scikit-learn parity, CLI, training."""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trustdesk.agent.classifier import (
    OUT_OF_SCOPE,
    IntentModel,
    char_features,
    word_features,
)
from trustdesk.cli.intents import app

HAS_SKLEARN = importlib.util.find_spec("sklearn") is not None
needs_sklearn = pytest.mark.skipif(not HAS_SKLEARN, reason="scikit-learn not installed")
runner = CliRunner()


@pytest.fixture(scope="module")
def model() -> IntentModel:
    return IntentModel.load()


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I am still waiting on my card", "card_arrival"),
        ("I lost my card, someone may have stolen it", "lost_or_stolen_card"),
        ("What exchange rate do you use?", "exchange_rate"),
        ("How do I change my PIN?", "change_pin"),
        ("My top up didn't go through", "top_up_failed"),
    ],
)
def test_obvious_banking_queries(model: IntentModel, text: str, intent: str) -> None:
    pred = model.classify(text)
    assert pred.top[0][0] == intent
    assert pred.intent == intent and not pred.escalate


@pytest.mark.parametrize(
    "text", ["what's the weather in Paris tomorrow", "qwzx vbnm plok", "", "!!!"]
)
def test_out_of_scope_and_gibberish_escalate(model: IntentModel, text: str) -> None:
    pred = model.classify(text)
    assert pred.escalate
    assert pred.intent in (None, OUT_OF_SCOPE)


@pytest.mark.parametrize("text", ["card arrival", "Hi", "refund please €€€", "x" * 300])
def test_confidences_are_probabilities(model: IntentModel, text: str) -> None:
    pred = model.classify(text, top_k=5)
    assert 0.0 <= pred.confidence <= 1.0
    assert all(0.0 <= p <= 1.0 for _, p in pred.top)
    assert sum(p for _, p in pred.top) <= 1.0 + 1e-9
    assert pred.confidence == pred.top[0][1]
    assert math.isclose(sum(model.probabilities(text)), 1.0, rel_tol=1e-9)


def test_shipped_artifact_is_described(model: IntentModel) -> None:
    # the 77 Banking77 intents plus a dedicated out_of_scope class (trained on CLINC150 data)
    assert len(model.labels) == 78
    assert OUT_OF_SCOPE in model.labels
    assert {"card_arrival", "lost_or_stolen_card", "exchange_rate"} <= set(model.labels)
    assert model.version.startswith("banking77")
    assert 0.0 < model.threshold < 1.0 and model.temperature > 0


@pytest.mark.parametrize(
    "text",
    [
        "book me a flight to Rome next Friday",
        "how many calories are in a banana",
        "set an alarm for 7 am",
        "tell me a joke",
    ],
)
def test_out_of_scope_class_wins_on_other_domains(model: IntentModel, text: str) -> None:
    pred = model.classify(text)
    assert pred.top[0][0] == OUT_OF_SCOPE
    assert pred.intent == OUT_OF_SCOPE and pred.escalate


def test_tokenizer() -> None:
    assert word_features("I can’t   see IT") == [
        "i", "can't", "see", "it", "i can't", "can't see", "see it",
    ]  # fmt: skip
    assert char_features("Abc") == [" ab", "abc", "bc ", " abc", "abc ", " abc "]
    assert char_features("a") == [" a "]


SAMPLE = [
    "I am still waiting on my card",
    "Why was I charged twice for the same purchase?",
    "can i top up with apple pay",
    "My transfer to a friend has not arrived yet",
    "Is there a fee for withdrawing euros abroad?",
    "what's the weather in Paris tomorrow",
    "Mi tarjeta no funciona",
]


@needs_sklearn
def test_pure_python_equals_sklearn_on_shipped_model(model: IntentModel) -> None:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

    blocks = []
    for block, analyzer in ((model.word, word_features), (model.char, char_features)):
        vocab = {f: i for i, f in enumerate(sorted(block.table))}
        vec = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, vocabulary=vocab)
        vec.fit(["x"])  # sets up the vocabulary; idf replaced below
        vec.idf_ = np.array([block.table[f][0] for f in sorted(block.table)])
        w = np.zeros((len(model.labels), len(vocab)))
        for f, j in vocab.items():
            _, idx, ws = block.table[f]
            w[list(idx), j] = ws
        blocks.append((vec, w))
    for text in SAMPLE:
        scores = np.array(model.bias, dtype=float)
        for vec, w in blocks:
            scores = scores + (vec.transform([text]) @ w.T).ravel()
        assert np.allclose(scores, model.scores(text), atol=1e-9)
        assert int(np.argmax(scores)) == model.labels.index(model.classify(text).top[0][0])


TINY = [
    ("where is my card", "card_arrival"),
    ("my card has not arrived yet", "card_arrival"),
    ("when will the card be delivered", "card_arrival"),
    ("still waiting for my new card", "card_arrival"),
    ("I lost my card", "lost_card"),
    ("my card was stolen", "lost_card"),
    ("I cannot find my card anywhere", "lost_card"),
    ("someone took my wallet with the card", "lost_card"),
    ("how do I top up my account", "top_up"),
    ("add money to my balance", "top_up"),
    ("top up with a bank transfer", "top_up"),
    ("can I top up by card", "top_up"),
    ("tell me a joke", OUT_OF_SCOPE),
    ("what is the capital of France", OUT_OF_SCOPE),
    ("play some music", OUT_OF_SCOPE),
    ("how tall is mount everest", OUT_OF_SCOPE),
]


def _write_jsonl(path: Path, rows: list[tuple[str, str]]) -> Path:
    path.write_text("".join(json.dumps({"text": t, "intent": i}) + "\n" for t, i in rows))
    return path


@needs_sklearn
def test_train_matches_sklearn_and_classifies(tmp_path: Path) -> None:
    import numpy as np
    from scipy.sparse import hstack  # type: ignore[import-untyped]

    from trustdesk.agent.classifier import _fit

    records = [{"text": t, "intent": i} for t, i in TINY]
    model, sk = _fit(records, records, seed=0, c=10.0, keep=1.0, min_df=1, version="tiny")
    x = hstack([sk["word"].transform(SAMPLE), sk["char"].transform(SAMPLE)]).tocsr()
    ref = sk["clf"].decision_function(x)
    ours = np.array([model.scores(t) for t in SAMPLE])
    assert np.allclose(ref, ours, atol=1e-3)  # weights/idf rounded to 5-6 digits in the artifact
    assert (ref.argmax(axis=1) == ours.argmax(axis=1)).all()
    again = IntentModel.load(model.save(tmp_path / "m"))
    assert again.classify("my card never arrived").top[0][0] == "card_arrival"
    assert again.classify("tell me a joke please").intent == OUT_OF_SCOPE


@needs_sklearn
def test_threshold_keeps_a_floor_when_the_oos_class_catches_everything() -> None:
    from trustdesk.agent.classifier import _fit

    records = [{"text": t, "intent": i} for t, i in TINY]
    model, _ = _fit(records, records, seed=0, c=10.0, keep=1.0, min_df=1, version="tiny")
    oos = [r for r in records if r["intent"] == OUT_OF_SCOPE]
    assert all(model.classify(r["text"]).intent == OUT_OF_SCOPE for r in oos)
    # Youden's J alone would pick 0 here; the floor is the lowest confidence of a correct
    # in-scope validation prediction (1st percentile of 12), capped at 0.5
    correct = [
        model.probabilities(r["text"])[model.labels.index(r["intent"])]
        for r in records
        if r["intent"] != OUT_OF_SCOPE
    ]
    assert model.threshold == pytest.approx(min(min(correct), 0.5), abs=1e-6)
    assert model.threshold > 0.0


@needs_sklearn
def test_cli_train_then_classify(tmp_path: Path) -> None:
    data = _write_jsonl(tmp_path / "train.jsonl", TINY)
    res = runner.invoke(app, ["train", "--train", str(data), "--val", str(data), "--out",
                              str(tmp_path / "m")])  # fmt: skip
    assert res.exit_code == 0, res.output
    assert (tmp_path / "m" / "model.json.gz").is_file()
    res = runner.invoke(
        app,
        ["classify", "--model", str(tmp_path / "m")],
        input='{"id": 1, "text": "I lost my card"}\n',
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["intent"] == "lost_card"


def test_cli_train_rejects_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "hi"}\n')
    res = runner.invoke(app, ["train", "--train", str(bad), "--out", str(tmp_path / "m")])
    assert res.exit_code != 0
    assert "Traceback" not in res.output


def test_cli_classify_round_trip_with_malformed_lines() -> None:
    stdin = "\n".join(
        [
            json.dumps({"id": "a", "text": "I am still waiting on my card"}),
            "{not json",
            json.dumps({"id": "c", "text": "what's the weather in Paris tomorrow"}),
            json.dumps({"id": "d"}),
            json.dumps([1, 2]),
        ]
    )
    res = runner.invoke(app, ["classify"], input=stdin + "\n")
    assert res.exit_code == 0, res.output
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(rows) == 5
    assert rows[0]["id"] == "a" and rows[0]["intent"] == "card_arrival"
    assert rows[0]["escalate"] is False and 0 <= rows[0]["confidence"] <= 1
    assert rows[1] == {"line": 2, "error": rows[1]["error"]} and "JSON" in rows[1]["error"]
    assert rows[2]["id"] == "c" and rows[2]["escalate"] is True
    assert rows[2]["intent"] in (None, OUT_OF_SCOPE)
    assert rows[3]["id"] == "d" and rows[3]["line"] == 4 and "error" in rows[3]
    assert rows[4]["line"] == 5 and "error" in rows[4]
