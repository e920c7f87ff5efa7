"""Intent training options: linear SVM and LR+SVM ensemble export, out-of-scope thresholds."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trustdesk.agent.classifier import CLASSIFIERS, OUT_OF_SCOPE, IntentModel
from trustdesk.cli.intents import app

HAS_SKLEARN = importlib.util.find_spec("sklearn") is not None
pytestmark = pytest.mark.skipif(not HAS_SKLEARN, reason="scikit-learn not installed")
runner = CliRunner()

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
]
OOS = [
    ("tell me a joke", OUT_OF_SCOPE),
    ("what is the capital of France", OUT_OF_SCOPE),
    ("play some music", OUT_OF_SCOPE),
    ("how tall is mount everest", OUT_OF_SCOPE),
]
SAMPLE = ["my card never arrived", "top up please", "I lost my wallet", "weather in Rome"]


def _records(rows: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"text": t, "intent": i} for t, i in rows]


@pytest.mark.parametrize("classifier", CLASSIFIERS)
def test_every_classifier_exports_its_linear_scores(classifier: str, tmp_path: Path) -> None:
    import numpy as np
    from scipy.sparse import hstack  # type: ignore[import-untyped]

    from trustdesk.agent.classifier import _fit

    recs = _records(TINY)
    model, sk = _fit(
        recs, recs, seed=0, c=10.0, keep=1.0, min_df=1, version="t", classifier=classifier
    )
    x = hstack([sk["word"].transform(SAMPLE), sk["char"].transform(SAMPLE)]).tocsr()
    fitted = sk["fitted"]
    assert len(fitted) == (2 if classifier == "lr+svm" else 1)
    ours = np.array([model.scores(t) for t in SAMPLE])
    if len(fitted) == 1:
        ref = fitted[0].decision_function(x)
    else:  # the ensemble: each model's scores divided by their std on the training rows
        xt = hstack(
            [sk["word"].transform([r["text"] for r in recs]),
             sk["char"].transform([r["text"] for r in recs])]
        ).tocsr()  # fmt: skip
        ref = sum(f.decision_function(x) / np.std(f.decision_function(xt)) for f in fitted)
    assert np.allclose(ref, ours, atol=1e-3)  # artifact weights rounded to 5 digits
    assert model.classify("my card has not arrived").top[0][0] == "card_arrival"
    again = IntentModel.load(model.save(tmp_path / classifier.replace("+", "_")))
    assert again.scores("top up please") == model.scores("top up please")


def test_unknown_classifier_is_rejected() -> None:
    from trustdesk.agent.classifier import train

    with pytest.raises(ValueError, match="classifier"):
        train(_records(TINY), classifier="forest")


def test_threshold_with_oos_class_uses_oos_validation() -> None:
    """With an out_of_scope class, OOS validation rows still tune the threshold (Youden's J)."""
    from trustdesk.agent.classifier import train

    recs = _records(TINY + OOS)
    model = train(recs, val_records=recs, classifier="lr+svm", min_df=1)
    assert OUT_OF_SCOPE in model.labels
    assert 0.0 <= model.threshold < 1.0
    pred = model.classify("tell me a joke please")
    assert pred.escalate and pred.intent in (OUT_OF_SCOPE, None)
    assert not model.classify("my card has not arrived yet").escalate


def test_threshold_without_oos_separates_in_scope_from_oos() -> None:
    from trustdesk.agent.classifier import train

    model = train(_records(TINY), val_records=_records(TINY + OOS), classifier="svm", min_df=1)
    assert OUT_OF_SCOPE not in model.labels
    assert model.threshold > 0.0
    oos_escalated = sum(model.classify(t).escalate for t, _ in OOS)
    in_kept = sum(not model.classify(t).escalate for t, _ in TINY)
    assert oos_escalated + in_kept > len(TINY)  # better than "escalate nothing"


def test_cli_train_accepts_classifier(tmp_path: Path) -> None:
    data = tmp_path / "train.jsonl"
    data.write_text("".join(json.dumps({"text": t, "intent": i}) + "\n" for t, i in TINY + OOS))
    out = tmp_path / "m"
    res = runner.invoke(
        app,
        ["train", "--train", str(data), "--val", str(data), "--out", str(out),
         "--classifier", "lr+svm"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["labels"] == 4 and "validation" in summary
    res = runner.invoke(app, ["classify", "--model", str(out)], input='{"id":1,"text":"hi"}\n')
    assert res.exit_code == 0, res.output
    bad = runner.invoke(
        app, ["train", "--train", str(data), "--out", str(out), "--classifier", "forest"]
    )
    assert bad.exit_code == 2 and "Traceback" not in bad.output
