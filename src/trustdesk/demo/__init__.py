"""The demo world: Northwind Bank's synthetic customers, accounts and cards."""
