"""Property tests: the engine's invariants on arbitrary and PII-laden text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trustdesk.privacy import PrivacyEngine
from trustdesk.privacy.operators import REPLACEMENT_RE
from trustdesk.types import PrivacyResult

ENGINE = PrivacyEngine()

# Fake values only: test card numbers, published example IBANs, 555 numbers, reserved
# e-mail domains, made-up SSNs, documentation IP ranges.
SAMPLES = [
    "4111 1111 1111 1111",
    "4111-1111-1111-1111",
    "5555555555554444",
    "3782 822463 10005",
    "GB82 WEST 1234 5698 7654 32",
    "DE89 3704 0044 0532 0130 00",
    "DE89370400440532013000",
    "(415) 555-0142",
    "+44 20 7946 0958",
    "212-555-0123",
    "jane.doe@example.com",
    "ops+alerts@mail.example",
    "078-05-1120",
    "123-45-6789",
    "192.0.2.44",
    "2001:db8::1",
]
CONTEXT = ["card", "visa", "call", "phone", "ssn", "iban", "ip", "mail", "my", "is", "and"]
# Joiners that never merge two neighbouring numbers into one longer number.
JOINERS = [", ", "; ", " and ", "\n", " | "]

arbitrary_text = st.text(max_size=300)
fragments = st.one_of(
    st.sampled_from(SAMPLES),
    st.sampled_from(CONTEXT),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.text(alphabet="0123456789 -.:()+@abcdefxyz<>_", max_size=25),
)
pii_text = st.builds(
    lambda parts, joiners: "".join(p + joiners[i % len(joiners)] for i, p in enumerate(parts)),
    st.lists(fragments, max_size=12),
    st.lists(st.sampled_from(JOINERS), min_size=1, max_size=5),
)
any_text = st.one_of(arbitrary_text, pii_text)

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_structure(text: str, result: PrivacyResult) -> None:
    """Findings lie in ``text``, don't overlap, and map one-to-one onto tags in the output."""
    assert len(result.findings) == len(result.spans)
    previous_end = 0
    for f in result.findings:
        assert 0 <= f.start < f.end <= len(text)
        assert f.start >= previous_end
        assert f.score >= ENGINE.min_score
        previous_end = f.end
    previous_end = 0
    for s in result.spans:
        assert 0 <= s.start < s.end <= len(result.redacted_text)
        assert s.start >= previous_end
        assert result.redacted_text[s.start : s.end] == s.replacement
        previous_end = s.end
    # Outside the findings/tags, the original and the redacted text are identical.
    orig_cuts = [0, *(x for f in result.findings for x in (f.start, f.end)), len(text)]
    red_cuts = [0, *(x for s in result.spans for x in (s.start, s.end)), len(result.redacted_text)]
    kept_orig = [text[orig_cuts[i] : orig_cuts[i + 1]] for i in range(0, len(orig_cuts), 2)]
    kept_red = [
        result.redacted_text[red_cuts[i] : red_cuts[i + 1]] for i in range(0, len(red_cuts), 2)
    ]
    assert kept_orig == kept_red


@SETTINGS
@given(any_text)
def test_spans_stay_in_bounds(text: str) -> None:
    _check_structure(text, ENGINE.redact(text))


@SETTINGS
@given(pii_text)
def test_redacted_output_contains_no_detected_value(text: str) -> None:
    result = ENGINE.redact(text)
    # The tags are ours, not the customer's text: "CA" is in "<LOCATION>" by spelling.
    outside_tags = REPLACEMENT_RE.sub("\x00", result.redacted_text)
    for f in result.findings:
        value = text[f.start : f.end]
        # A value that occurs twice may be detected once and not the other time (a
        # context word is near only one of them); _check_structure covers that case.
        if text.count(value) == 1:
            assert value not in outside_tags


@SETTINGS
@given(any_text)
def test_redaction_is_idempotent(text: str) -> None:
    once = ENGINE.redact(text)
    twice = ENGINE.redact(once.redacted_text)
    assert twice.findings == ()
    assert twice.redacted_text == once.redacted_text


@SETTINGS
@given(st.text(alphabet=st.characters(), max_size=500))
def test_engine_never_raises_on_unicode(text: str) -> None:
    result = ENGINE.redact(text)
    _check_structure(text, result)


@SETTINGS
@given(st.lists(st.sampled_from(SAMPLES), min_size=1, max_size=6), st.sampled_from(JOINERS))
def test_every_sample_is_redacted(samples: list[str], joiner: str) -> None:
    text = "hello " + joiner.join(samples) + " thanks"
    result = ENGINE.redact(text)
    for sample in samples:
        assert sample not in result.redacted_text
    assert len(result.findings) == len(samples)
