from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize(
    "module",
    ["trustdesk", "trustdesk.ledger", "trustdesk.privacy", "trustdesk.guard", "trustdesk.agent"],
)
def test_all_is_sorted_and_complete(module: str) -> None:
    mod = importlib.import_module(module)
    names = list(mod.__all__)
    assert len(names) == len(set(names))  # order is checked by ruff (RUF022)
    public = {
        n
        for n in dir(mod)
        if not n.startswith("_") and not isinstance(getattr(mod, n), type(importlib))
    }
    assert public <= set(names) | {"annotations"}, public - set(names)
