"""The supervisor console page (being built)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/supervisor", include_in_schema=False)
