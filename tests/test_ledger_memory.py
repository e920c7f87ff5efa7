from __future__ import annotations

import dataclasses

import pytest

from trustdesk.ledger import (
    ChainBroken,
    EventType,
    LedgerEvent,
    MemoryLedger,
    verify_chain,
)


def _ledger(n: int) -> MemoryLedger:
    ledger = MemoryLedger()
    for i in range(n):
        ledger.append(
            LedgerEvent(
                type=EventType.MESSAGE_RECEIVED,
                actor="customer",
                conversation_id="c1",
                payload={"text": f"<EMAIL_ADDRESS> #{i}"},
            )
        )
    return ledger


def test_chain_verifies() -> None:
    ledger = _ledger(20)
    assert verify_chain(ledger.records) == 20
    assert ledger.records[0].prev_hash == "0" * 64
    assert all(
        b.prev_hash == a.hash for a, b in zip(ledger.records, ledger.records[1:], strict=False)
    )


@pytest.mark.parametrize("index", [0, 7, 19])
def test_edit_is_detected_and_named(index: int) -> None:
    ledger = _ledger(20)
    rec = ledger.records[index]
    forged = dataclasses.replace(rec.event, payload={"text": "edited"})
    ledger.records[index] = dataclasses.replace(rec, event=forged)
    with pytest.raises(ChainBroken) as info:
        verify_chain(ledger.records)
    assert info.value.seq == index + 1


def test_deletion_and_reorder_are_detected() -> None:
    ledger = _ledger(10)
    deleted = ledger.records[:4] + ledger.records[5:]
    with pytest.raises(ChainBroken) as info:
        verify_chain(deleted)
    assert info.value.seq == 6
    swapped = list(ledger.records)
    swapped[2], swapped[3] = swapped[3], swapped[2]
    with pytest.raises(ChainBroken):
        verify_chain(swapped)
