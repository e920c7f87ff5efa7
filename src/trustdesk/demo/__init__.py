"""The demo world: Northwind Bank's synthetic customers, accounts and cards."""

#: The demo operator's own names: never personal data, so never redacted in demo mode
#: (``privacy.allow_terms``); without this, "Northwind" reads as a place to the tagger.
BRAND_TERMS: tuple[str, ...] = ("Northwind", "Northwind Bank", "TrustDesk")
