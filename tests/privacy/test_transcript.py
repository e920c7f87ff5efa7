"""The transcript normalizer: spoken numbers, dates and e-mails, and the offset map back."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trustdesk.privacy.transcript import normalize_transcript

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize(
    ("spoken", "expected"),
    [
        (
            "my card is four one one one one one one one one one one one one one one one",
            "my card is 4111111111111111",
        ),
        (
            "card number forty one eleven, eleven eleven, eleven eleven, eleven eleven",
            "card number 4111 1111 1111 1111",
        ),
        ("it's double five triple three oh one", "it's 5533301"),
        ("the code is zero two zero", "the code is 020"),
        ("I was born in two thousand and five", "I was born in 2005"),
        (
            "my date of birth is march fourth nineteen eighty eight",
            "my date of birth is march 4 1988",
        ),
        ("born on the fourth of march nineteen eighty eight", "born on the 4th of march 1988"),
        ("born on may first nineteen ninety", "born on may 1 1990"),
        ("ssn is one two three dash four five dash six seven eight nine", "ssn is 123-45-6789"),
        ("my pin is um four uh two, you know, seven nine", "my pin is um 42 79"),
        ("zip is nine oh two one oh", "zip is 90210"),
        ("expiry oh nine slash twenty seven", "expiry 09/27"),
        ("call plus one five five five, one two three, four five six seven", "call +1555 123 4567"),
        ("my card is 4111 one one one one", "my card is 4111 1111"),
        ("j o h n dot smith at example dot com", "john.smith@example.com"),
        (
            "mail john underscore smith at example dot com thanks",
            "mail john_smith@example.com thanks",
        ),
        ("it is jane dash doe at mail dot example dot org", "it is jane-doe@mail.example.org"),
        ("john[at]example[dot]com", "john@example.com"),
        ("john (at) example (dot) com", "john@example.com"),
        ("twenty twenty was a long year", "2020 was a long year"),
    ],
)
def test_spoken_forms_are_written(spoken: str, expected: str) -> None:
    result = normalize_transcript(spoken)
    assert result.text == expected
    assert result.changed


@pytest.mark.parametrize(
    "text",
    [
        "I want one card",
        "for two days",
        "one of my two cards",
        "I need to send one hundred dollars",
        "at the end of the day",
        "I'll dot the i's and cross the t's",
        "it's a dot com company",
        "oh no one told me",
        "may first I need to check something",
        "I have like three or four accounts",
        "I'm forty two",
        "the o in john",
        "meet me at the station",
        "",
        "write to john.smith@example.com please",
        "my card is 4111 1111 1111 1111",
        "born on march 4 1988",
    ],
)
def test_near_misses_and_written_text_stay(text: str) -> None:
    result = normalize_transcript(text)
    assert result.text == text
    assert not result.changed
    assert result.to_original(0, len(text)) == (0, len(text))


@pytest.mark.parametrize(
    ("spoken", "value"),
    [
        ("well my card is four one one one one one one one one one one one okay", "411111111111"),
        ("my date of birth is march fourth nineteen eighty eight thanks", "1988"),
        ("reach me at j o h n dot smith at example dot com today", "john.smith@example.com"),
        ("the pin is four uh two two seven please", "4227"),
    ],
)
def test_value_maps_back_to_every_spoken_word(spoken: str, value: str) -> None:
    result = normalize_transcript(spoken)
    start = result.text.index(value)
    o_start, o_end = result.to_original(start, start + len(value))
    original = spoken[o_start:o_end]
    # the span starts and ends on word boundaries of the original
    assert o_start == 0 or not spoken[o_start - 1].isalnum()
    assert o_end == len(spoken) or not spoken[o_end].isalnum()
    # and covers exactly the spoken value, no neighbouring context words
    assert not original.startswith(("is ", "at ", "my "))
    assert not original.endswith((" okay", " thanks", " today", " please"))
    assert len(original.split()) >= len(value) // 4


def test_mapping_of_card_covers_all_digit_words() -> None:
    spoken = "ok my card is four one one one, one one one one and that's it"
    result = normalize_transcript(spoken)
    start = result.text.index("4111")
    end = start + len("4111 1111")
    o_start, o_end = result.to_original(start, end)
    assert spoken[o_start:o_end] == "four one one one, one one one one"


def test_mapping_of_unchanged_text_is_identity() -> None:
    spoken = "hello my card is four one one one one and my name is Dana"
    result = normalize_transcript(spoken)
    name_at = result.text.index("Dana")
    assert result.to_original(name_at, name_at + 4) == (spoken.index("Dana"), len(spoken))
    assert result.to_original(0, 5) == (0, 5)


def test_mapping_clamps_out_of_range() -> None:
    result = normalize_transcript("code is one two three")
    assert result.to_original(-5, 10_000) == (0, len(result.original))
    s, e = result.to_original(7, 3)
    assert s == e


def test_rejects_non_strings() -> None:
    with pytest.raises(TypeError):
        normalize_transcript(123)  # type: ignore[arg-type]


WORDS = st.sampled_from(
    """one two three four five six seven eight nine zero oh o double triple ten eleven
    nineteen twenty forty ninety hundred thousand and dash slash um uh like you know dot at
    underscore march may fourth first the of is my card pin john smith example com j n
    4111 12 , . - / ( ) [ ] at) (at [dot] plus""".split()
)
SPOKEN = st.lists(WORDS, max_size=25).map(" ".join)
ANY_TEXT = st.one_of(st.text(max_size=200), SPOKEN)


@SETTINGS
@given(ANY_TEXT)
def test_never_raises_and_maps_within_bounds(text: str) -> None:
    result = normalize_transcript(text)
    assert result.original == text
    n, m = len(result.text), len(text)
    for a in range(0, n + 1, max(1, n // 7)):
        for b in range(a, n + 1, max(1, n // 5)):
            s, e = result.to_original(a, b)
            assert 0 <= s <= e <= m
    if not result.changed:
        assert result.text == text


@SETTINGS
@given(ANY_TEXT)
def test_idempotent(text: str) -> None:
    once = normalize_transcript(text).text
    assert normalize_transcript(once).text == once


@SETTINGS
@given(SPOKEN)
def test_rewritten_pieces_cover_whole_words(text: str) -> None:
    result = normalize_transcript(text)
    for ns, ne, os_, oe in result.replacements:
        assert result.text[ns:ne]  # something was written
        assert os_ == 0 or not (text[os_ - 1].isalnum() and text[os_].isalnum())
        assert oe == len(text) or not (text[oe - 1].isalnum() and text[oe].isalnum())
        # a span inside the rewritten piece maps to the whole original piece
        assert result.to_original(ns, ne) == (os_, oe)
