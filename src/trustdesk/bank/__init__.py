"""Northwind Bank's demo core-banking service: the backend TrustDesk's tools call.

A separate FastAPI app (:func:`create_bank_app`) with its own database
(:mod:`trustdesk.bank.models`, created with ``create_all``, no migrations) that trusts
only tool tokens (:mod:`trustdesk.tooltokens`) for audience ``northwind-core-banking``.
Run it with ``trustdesk bank serve``; see ``docs/bank.md``.
"""

from __future__ import annotations

from trustdesk.bank.app import ENDPOINTS, BankProblem, Endpoint, create_bank_app
from trustdesk.bank.seed import BankSeedReport, seed_bank
from trustdesk.bank.settings import BANK_AUDIENCE, BankSettings, load_bank_settings, open_bank_db

__all__ = [
    "BANK_AUDIENCE",
    "ENDPOINTS",
    "BankProblem",
    "BankSeedReport",
    "BankSettings",
    "Endpoint",
    "create_bank_app",
    "load_bank_settings",
    "open_bank_db",
    "seed_bank",
]
