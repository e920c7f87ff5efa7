"""Operators (tag, mask, keep_last, pseudonymize, encrypt, keep) and policies (lookup
order, PCI and HIPAA profiles, YAML errors)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trustdesk.errors import ConfigError
from trustdesk.privacy.entities import (
    CARD_CVV,
    CARD_EXPIRY,
    CREDIT_CARD,
    DATE_TIME,
    ENTITY_TYPES,
    PASSWORD_OR_PIN,
    PCI_TYPES,
    PHI_TYPES,
)
from trustdesk.privacy.operators import (
    REPLACEMENT_RE,
    Action,
    Operator,
    canonical_value,
    keep_last,
    mask,
    parse_token,
    pseudonym,
)
from trustdesk.privacy.policy import (
    DEFAULT_TYPES,
    KEEP_LAST_4,
    PSEUDONYMIZE,
    TAG,
    Policy,
    build_policy,
    load_policy,
    policy_from_settings,
)

KEY = b"k" * 32
OTHER_KEY = b"o" * 32
CARD = "4111 1111 1111 1111"

# -- operators -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "action", "n", "text"),
    [
        ("tag", Action.TAG, 4, "tag"),
        ("mask", Action.MASK, 4, "mask"),
        ("keep", Action.KEEP, 4, "keep"),
        ("keep_last", Action.KEEP_LAST, 4, "keep_last:4"),
        ("keep_last:2", Action.KEEP_LAST, 2, "keep_last:2"),
        ("keep_last:8", Action.KEEP_LAST, 8, "keep_last:8"),
        (" keep_last:1 ", Action.KEEP_LAST, 1, "keep_last:1"),
        ("pseudonymize", Action.PSEUDONYMIZE, 4, "pseudonymize"),
        ("encrypt", Action.ENCRYPT, 4, "encrypt"),
    ],
)
def test_operator_parse_and_str(spec: str, action: Action, n: int, text: str) -> None:
    op = Operator.parse(spec)
    assert op.action is action
    assert op.n == n
    assert str(op) == text
    assert Operator.parse(str(op)) == op


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("redact", "unknown operator 'redact'"),
        ("", "unknown operator ''"),
        ("TAG", "unknown operator 'TAG'"),
        ("tag:4", "operator 'tag' takes no argument"),
        ("mask:2", "operator 'mask' takes no argument"),
        ("pseudonymize:8", "operator 'pseudonymize' takes no argument"),
        ("keep_last:0", "keep_last needs a number of digits 1-8, got '0'"),
        ("keep_last:9", "keep_last needs a number of digits 1-8, got '9'"),
        ("keep_last:-1", "keep_last needs a number of digits 1-8, got '-1'"),
        ("keep_last:four", "keep_last needs a number of digits 1-8, got 'four'"),
    ],
)
def test_operator_parse_rejects(spec: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        Operator.parse(spec)
    assert message in str(info.value)


def test_unknown_operator_message_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match="expected one of keep, tag, mask, keep_last"):
        Operator.parse("shred")


@pytest.mark.parametrize(
    ("spec", "entity_type", "value", "expected"),
    [
        ("tag", "EMAIL_ADDRESS", "pat.doe@example.com", "<EMAIL_ADDRESS>"),
        ("tag", CREDIT_CARD, CARD, "<CREDIT_CARD>"),
        ("keep", DATE_TIME, "12 March 2024", "12 March 2024"),
        ("mask", CREDIT_CARD, "4111-1111-1111-1111", "****-****-****-****"),
        ("mask", "PHONE_NUMBER", "(212) 555-0123", "(***) ***-****"),
        ("mask", "EMAIL_ADDRESS", "pat.doe@example.com", "***.***********.***"),
        ("mask", "PERSON", "Zoë Brontë", "*** ******"),
        ("keep_last", CREDIT_CARD, CARD, "<CREDIT_CARD ****1111>"),
        ("keep_last:4", CREDIT_CARD, "5555555555554444", "<CREDIT_CARD ****4444>"),
        ("keep_last:2", "PHONE_NUMBER", "212-555-0123", "<PHONE_NUMBER ****23>"),
        ("keep_last:4", "IBAN_CODE", "DE89 3704 0044 0532 0130 00", "<IBAN_CODE ****3000>"),
        ("keep_last:4", "PERSON", "Pat Doe", "<PERSON ****tDoe>"),
        ("keep_last:4", PASSWORD_OR_PIN, "1234", "<PASSWORD_OR_PIN>"),
        ("keep_last:4", CARD_CVV, "123", "<CARD_CVV>"),
        ("keep_last:8", CREDIT_CARD, "4111-1111", "<CREDIT_CARD>"),
    ],
)
def test_operator_apply_table(spec: str, entity_type: str, value: str, expected: str) -> None:
    assert Operator.parse(spec).apply(entity_type, value, KEY) == expected


@pytest.mark.parametrize("spec", ["pseudonymize", "encrypt"])
def test_pseudonymize_and_encrypt_write_the_same_token(spec: str) -> None:
    out = Operator.parse(spec).apply("EMAIL_ADDRESS", "pat.doe@example.com", KEY)
    assert out == pseudonym(KEY, "EMAIL_ADDRESS", "pat.doe@example.com")
    assert parse_token(out) is not None
    assert parse_token(out)[0] == "EMAIL_ADDRESS"  # type: ignore[index]
    assert len(parse_token(out)[1]) == 8  # type: ignore[index]


def test_operator_n_bounds() -> None:
    for n in (0, 9, -3):
        with pytest.raises(ValueError, match="within"):
            Operator(Action.KEEP_LAST, n)


@pytest.mark.parametrize(
    "spec", ["tag", "keep_last:1", "keep_last:4", "keep_last:8", "pseudonymize", "encrypt"]
)
def test_every_replacement_is_recognised(spec: str) -> None:
    op = Operator.parse(spec)
    for entity_type, value in [
        (CREDIT_CARD, CARD),
        ("EMAIL_ADDRESS", "pat.doe@example.com"),
        ("PHONE_NUMBER", "212-555-0123"),
        ("US_SSN", "078-05-1120"),
        ("PERSON", "Pat Doe"),
    ]:
        out = op.apply(entity_type, value, KEY)
        assert REPLACEMENT_RE.fullmatch(out), out


@pytest.mark.parametrize(
    ("entity_type", "value"),
    [("PERSON", "Zoë Brontë"), ("PHONE_NUMBER", "٢١٢-٥٥٥-٠١٢٣"), ("PERSON", "Aaaaß")],
)
def test_keep_last_of_non_ascii_values_is_recognised(entity_type: str, value: str) -> None:
    out = keep_last(entity_type, value, 4)
    assert "****" in out
    assert REPLACEMENT_RE.fullmatch(out), out


# -- pseudonyms ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entity_type", "spellings"),
    [
        (
            CREDIT_CARD,
            [
                "4111 1111 1111 1111",
                "4111-1111-1111-1111",
                "4111111111111111",
                "4111.1111.1111.1111",
            ],
        ),
        ("IBAN_CODE", ["DE89 3704 0044 0532 0130 00", "de89370400440532013000"]),
        ("PHONE_NUMBER", ["(212) 555-0123", "212-555-0123", "212 555 0123"]),
        ("EMAIL_ADDRESS", ["Pat.Doe@Example.com", "pat.doe@example.com", " pat.doe@example.com "]),
        ("PERSON", ["Pat  Doe", "pat doe", "PAT\tDOE"]),
        # NFKC: full-width digits are the same digits.
        (CREDIT_CARD, ["４１１１ １１１１ １１１１ １１１１", "4111111111111111"]),
    ],
)
def test_pseudonym_is_the_same_for_every_spelling(entity_type: str, spellings: list[str]) -> None:
    tokens = {pseudonym(KEY, entity_type, s) for s in spellings}
    assert len(tokens) == 1, tokens
    (token,) = tokens
    assert token.startswith(f"<{entity_type}_") and REPLACEMENT_RE.fullmatch(token)


def test_pseudonym_differs_per_key_per_type_and_per_value() -> None:
    base = pseudonym(KEY, CREDIT_CARD, CARD)
    assert pseudonym(OTHER_KEY, CREDIT_CARD, CARD) != base
    other_type = pseudonym(KEY, "BANK_ACCOUNT", CARD)
    assert other_type != base
    assert other_type.split("_")[-1] != base.split("_")[-1]  # not just a different prefix
    assert pseudonym(KEY, CREDIT_CARD, "5555555555554444") != base
    # Not a plain hash of the value: unrelated to the token of the raw digits.
    assert "4111" not in base and "1111" not in base


def test_pseudonym_needs_a_key() -> None:
    with pytest.raises(ValueError, match="must not be empty"):
        pseudonym(b"", CREDIT_CARD, CARD)


def test_canonical_value_rules() -> None:
    assert canonical_value(CREDIT_CARD, "4111-1111 1111.1111") == "4111111111111111"
    assert canonical_value("IBAN_CODE", "DE89 3704") == "de893704"
    assert canonical_value("PERSON", "  Pat \n Doe ") == "pat doe"
    # Non-numeric types keep their punctuation.
    assert canonical_value("EMAIL_ADDRESS", "A.B@Example.com") == "a.b@example.com"


def test_parse_token() -> None:
    assert parse_token("<PERSON_7f3a91c2>") == ("PERSON", "7f3a91c2")
    assert parse_token("<EMAIL_ADDRESS_0123abcd>") == ("EMAIL_ADDRESS", "0123abcd")
    for bad in ("<PERSON>", "<PERSON_XYZ12345>", "PERSON_7f3a91c2", "<person_7f3a91c2>", ""):
        assert parse_token(bad) is None, bad
    assert parse_token("<CREDIT_CARD ****1111>") is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40), st.sampled_from(sorted(ENTITY_TYPES)))
def test_pseudonym_tokens_always_parse(value: str, entity_type: str) -> None:
    token = pseudonym(KEY, entity_type, value)
    assert parse_token(token) is not None
    assert REPLACEMENT_RE.fullmatch(token)


# -- mask and keep_last -----------------------------------------------------------------


def test_mask_keeps_shape_only() -> None:
    assert mask("4111 1111 1111 1111") == "**** **** **** ****"
    assert mask("078-05-1120") == "***-**-****"
    assert mask("a/b(c)d_e:f") == "*/*(*)*_*:*"
    assert mask("1234", char="#") == "####"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_mask_never_keeps_a_letter_or_digit(value: str) -> None:
    out = mask(value)
    assert len(out) == len(value)
    assert not any(ch.isalnum() for ch in out)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from("0123456789abcXYZ -./"), max_size=24),
    st.integers(min_value=1, max_value=8),
)
def test_keep_last_never_shows_a_whole_value(value: str, n: int) -> None:
    out = keep_last("ID_NUMBER", value, n)
    digits = [c for c in value if c.isdigit()] or [c for c in value if c.isalnum()]
    if out == "<ID_NUMBER>":
        return
    shown = out[len("<ID_NUMBER ****") : -1]
    assert 0 < len(shown) <= n
    assert len(shown) < len(digits)  # at least one character stays hidden
    assert "".join(digits).endswith(shown)


@pytest.mark.parametrize(
    ("value", "n", "expected"),
    [
        ("1234", 4, "<PASSWORD_OR_PIN>"),  # all four: hidden
        ("12345", 4, "<PASSWORD_OR_PIN ****2345>"),
        ("12", 1, "<PASSWORD_OR_PIN ****2>"),
        ("1", 1, "<PASSWORD_OR_PIN>"),
        ("ab", 4, "<PASSWORD_OR_PIN>"),
        ("--", 4, "<PASSWORD_OR_PIN>"),  # nothing to show
        ("", 4, "<PASSWORD_OR_PIN>"),
    ],
)
def test_keep_last_short_values(value: str, n: int, expected: str) -> None:
    assert keep_last(PASSWORD_OR_PIN, value, n) == expected


# -- policy lookup ---------------------------------------------------------------------


def test_lookup_order() -> None:
    keep_last_2 = Operator(Action.KEEP_LAST, 2)
    mask_op = Operator(Action.MASK)
    policy = Policy(
        default=Operator(Action.KEEP),
        types={"PERSON": TAG, "EMAIL_ADDRESS": mask_op},
        channels={"voice": {"PERSON": keep_last_2}},
        channel_defaults={"voice": PSEUDONYMIZE, "sms": mask_op},
        base={"PHONE_NUMBER": KEEP_LAST_4, "PERSON": Operator(Action.ENCRYPT)},
    )
    # 1. the channel's own rule for the type
    assert policy.operator("PERSON", "voice") == keep_last_2
    # 2. the policy's rule for the type (beats channel default and base)
    assert policy.operator("PERSON", "chat") == TAG
    assert policy.operator("EMAIL_ADDRESS", "voice") == mask_op
    # 3. the channel's default (beats the built-in rule)
    assert policy.operator("PHONE_NUMBER", "voice") == PSEUDONYMIZE
    # 4. the built-in rule for the type
    assert policy.operator("PHONE_NUMBER", "chat") == KEEP_LAST_4
    # 5. the policy's default
    assert policy.operator("US_SSN", "chat") == Operator(Action.KEEP)
    assert policy.operator("US_SSN", "sms") == mask_op
    assert policy.operator("US_SSN") == Operator(Action.KEEP)  # channel defaults to chat


def test_build_policy_defaults() -> None:
    policy = build_policy()
    assert policy.operator("PERSON") == PSEUDONYMIZE
    for entity_type, op in DEFAULT_TYPES.items():
        assert policy.operator(entity_type) == op
    assert policy.operator(DATE_TIME) == Operator(Action.KEEP)
    assert build_policy(default="tag").operator("PERSON") == TAG


def test_build_policy_channels() -> None:
    policy = build_policy(
        default="pseudonymize",
        types={"PERSON": "mask"},
        channels={"voice": {"default": "tag", "PERSON": "keep_last:2"}},
    )
    assert policy.operator("PERSON", "voice") == Operator(Action.KEEP_LAST, 2)
    assert policy.operator("PERSON", "chat") == Operator(Action.MASK)
    assert policy.operator("EMAIL_ADDRESS", "voice") == TAG
    assert policy.operator("EMAIL_ADDRESS", "chat") == PSEUDONYMIZE


# -- PCI ---------------------------------------------------------------------------------


@pytest.mark.parametrize("spec", ["encrypt", "pseudonymize", "keep", "mask", "keep_last:5"])
def test_pci_refuses_reversible_or_revealing_operators_for_cards(spec: str) -> None:
    with pytest.raises(ConfigError) as info:
        build_policy(profiles=["pci"], types={CREDIT_CARD: spec})
    message = str(info.value)
    assert f"CREDIT_CARD={Operator.parse(spec)}" in message
    assert "pci" in message and "keep_last:4" in message


@pytest.mark.parametrize("spec", ["tag", "keep_last:4", "keep_last", "keep_last:2"])
def test_pci_allows_tag_and_last_four(spec: str) -> None:
    policy = build_policy(profiles=["pci"], types={CREDIT_CARD: spec})
    assert policy.operator(CREDIT_CARD) == Operator.parse(spec)


@pytest.mark.parametrize("entity_type", [CARD_CVV, CARD_EXPIRY, PASSWORD_OR_PIN])
@pytest.mark.parametrize(
    "spec", ["keep_last:4", "keep_last:1", "mask", "pseudonymize", "encrypt", "keep"]
)
def test_pci_allows_only_tag_for_cvv_expiry_pin(entity_type: str, spec: str) -> None:
    with pytest.raises(ConfigError, match=f"{entity_type}=.*use tag"):
        build_policy(profiles=["pci"], types={entity_type: spec})
    # ... on any channel too, and the error names the channel.
    with pytest.raises(ConfigError, match=f"{entity_type}=.* on channel 'voice'"):
        build_policy(profiles=["pci"], channels={"voice": {entity_type: spec}})
    assert build_policy(profiles=["pci"], types={entity_type: "tag"}).operator(entity_type) == TAG


@pytest.mark.parametrize("default", ["encrypt", "pseudonymize", "keep", "mask", "keep_last:8"])
def test_pci_makes_defaults_compliant_silently(default: str) -> None:
    policy = build_policy(
        profiles=["pci"], default=default, channels={"voice": {"default": default}}
    )
    for channel in ("chat", "voice"):
        assert policy.operator(CREDIT_CARD, channel) in (KEEP_LAST_4, TAG)
        for entity_type in (CARD_CVV, CARD_EXPIRY, PASSWORD_OR_PIN):
            assert policy.operator(entity_type, channel) == TAG
        # non-PCI types keep the configured default
        assert policy.operator("PERSON", channel) == Operator.parse(default)


def test_without_pci_cards_may_be_pseudonymized() -> None:
    policy = build_policy(types={CREDIT_CARD: "pseudonymize"})
    assert policy.operator(CREDIT_CARD) == PSEUDONYMIZE


# -- HIPAA -------------------------------------------------------------------------------


@pytest.mark.parametrize("entity_type", sorted(PHI_TYPES | {DATE_TIME}))
@pytest.mark.parametrize("spec", ["keep", "mask"])
def test_hipaa_refuses_keep_and_mask_for_phi(entity_type: str, spec: str) -> None:
    with pytest.raises(ConfigError) as info:
        build_policy(profiles=["hipaa"], types={entity_type: spec})
    assert f"{entity_type}={spec}" in str(info.value)
    assert "hipaa" in str(info.value)


@pytest.mark.parametrize("spec", ["tag", "pseudonymize", "encrypt", "keep_last:4"])
def test_hipaa_allows_redacting_operators(spec: str) -> None:
    policy = build_policy(profiles=["hipaa"], types={"PERSON": spec})
    assert policy.operator("PERSON") == Operator.parse(spec)


def test_hipaa_overrides_keep_defaults_and_the_built_in_date_rule() -> None:
    policy = build_policy(profiles=["hipaa"], default="keep")
    for entity_type in sorted(PHI_TYPES | {DATE_TIME}):
        op = policy.operator(entity_type)
        assert op.action not in (Action.KEEP, Action.MASK), (entity_type, op)
    # Not PHI, not PCI: the default applies.
    assert policy.operator("ORGANIZATION") == Operator(Action.KEEP)


def test_hipaa_and_pci_together() -> None:
    policy = build_policy(profiles=["pci", "hipaa"], default="mask")
    assert policy.operator(CREDIT_CARD) in (KEEP_LAST_4, TAG)
    assert policy.operator("PERSON").action is not Action.MASK
    with pytest.raises(ConfigError):
        build_policy(profiles=["pci", "hipaa"], types={CREDIT_CARD: "encrypt"})


def test_every_pci_and_phi_type_is_a_known_type() -> None:
    assert PCI_TYPES <= ENTITY_TYPES and PHI_TYPES <= ENTITY_TYPES


def test_unknown_profile() -> None:
    with pytest.raises(ConfigError, match=r"unknown privacy profile\(s\) \['gdpr'\]"):
        build_policy(profiles=["gdpr"])


# -- YAML --------------------------------------------------------------------------------


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_policy_full_example(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "profiles: [pci, hipaa]\n"
        "default: pseudonymize\n"
        "types:\n"
        "  CREDIT_CARD: keep_last:4\n"
        "  ORGANIZATION: keep\n"
        "channels:\n"
        "  voice:\n"
        "    default: tag\n"
        "    PERSON: keep_last:2\n",
    )
    policy = load_policy(path)
    assert policy.profiles == frozenset({"pci", "hipaa"})
    assert policy.operator(CREDIT_CARD) == KEEP_LAST_4
    assert policy.operator("ORGANIZATION") == Operator(Action.KEEP)
    assert policy.operator("PERSON", "voice") == Operator(Action.KEEP_LAST, 2)
    assert policy.operator("EMAIL_ADDRESS", "voice") == TAG
    assert policy.operator("EMAIL_ADDRESS", "chat") == PSEUDONYMIZE


def test_empty_yaml_is_the_default_policy(tmp_path: Path) -> None:
    policy = load_policy(_write(tmp_path, ""))
    assert policy.operator("PERSON") == PSEUDONYMIZE
    assert policy.operator(CREDIT_CARD) == KEEP_LAST_4


def test_extra_profiles_are_added_to_the_files(tmp_path: Path) -> None:
    path = _write(tmp_path, "types:\n  CREDIT_CARD: encrypt\n")
    assert load_policy(path).operator(CREDIT_CARD).action is Action.ENCRYPT
    with pytest.raises(ConfigError, match="CREDIT_CARD=encrypt"):
        load_policy(path, extra_profiles=["pci"])
    with pytest.raises(ConfigError, match="CREDIT_CARD=encrypt"):
        policy_from_settings(profiles=["pci"], default_operator="tag", policy_file=path)


def test_policy_from_settings_without_file() -> None:
    policy = policy_from_settings(profiles=["pci"], default_operator="encrypt", policy_file=None)
    assert policy.operator("EMAIL_ADDRESS").action is Action.ENCRYPT
    assert policy.operator(CREDIT_CARD) == KEEP_LAST_4
    with pytest.raises(ConfigError, match="policy.default: unknown operator 'nope'"):
        policy_from_settings(profiles=[], default_operator="nope", policy_file=None)


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ("types:\n  CREDIT_KARD: tag\n", "policy.yaml.types: unknown entity type 'CREDIT_KARD'"),
        (
            "channels:\n  voice:\n    PERSN: tag\n",
            "policy.yaml.channels.voice: unknown entity type 'PERSN'",
        ),
        ("channels:\n  fax:\n    default: tag\n", "policy.yaml.channels: unknown channel 'fax'"),
        ("default: tag\nchannel:\n  voice: {}\n", "policy.yaml: unknown key(s) ['channel']"),
        ("typos:\n  PERSON: tag\n", "policy.yaml: unknown key(s) ['typos']"),
        ("default: redact\n", "policy.yaml.default: unknown operator 'redact'"),
        ("types:\n  PERSON: shred\n", "policy.yaml.types.PERSON: unknown operator 'shred'"),
        (
            "types:\n  PERSON: keep_last:12\n",
            "policy.yaml.types.PERSON: keep_last needs a number of digits 1-8, got '12'",
        ),
        (
            "types:\n  PERSON: 4\n",
            "policy.yaml.types.PERSON: an operator must be a string, got int",
        ),
        (
            "channels:\n  voice:\n    default: mask:2\n",
            "policy.yaml.channels.voice.default: operator 'mask' takes no argument",
        ),
        ("types: [PERSON]\n", "policy.yaml.types: expected a mapping of entity type to operator"),
        ("channels: [voice]\n", "policy.yaml.channels: expected a mapping of channel to rules"),
        ("profiles: [sox]\n", "unknown privacy profile(s) ['sox']"),
        ("profiles: pci\n", "profiles must be a list of names"),
        ("- tag\n", "a privacy policy is a mapping"),
        ("types: {PERSON: tag\n", "cannot read privacy policy"),
        (
            "profiles: [pci]\nchannels:\n  sms:\n    CARD_CVV: mask\n",
            "policy rule CARD_CVV=mask on channel 'sms': the pci profile",
        ),
    ],
)
def test_yaml_errors_are_precise(tmp_path: Path, doc: str, message: str) -> None:
    path = _write(tmp_path, doc)
    with pytest.raises(ConfigError) as info:
        load_policy(path)
    assert message in str(info.value)


def test_missing_yaml_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read privacy policy"):
        load_policy(tmp_path / "absent.yaml")


@pytest.mark.parametrize("doc", ["channels:\n  voice: tag\n", "channels:\n  voice: [tag]\n"])
def test_yaml_channel_rules_not_a_mapping(tmp_path: Path, doc: str) -> None:
    with pytest.raises(ConfigError, match=r"channels.*voice"):
        load_policy(_write(tmp_path, doc))


@pytest.mark.parametrize("doc", ["default: 0\n", "default: false\n", "default: ''\n"])
def test_yaml_falsy_default_is_refused(tmp_path: Path, doc: str) -> None:
    with pytest.raises(ConfigError, match=r"policy.yaml.default"):
        load_policy(_write(tmp_path, doc))
