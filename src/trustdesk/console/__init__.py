"""The server-rendered web console (customer chat now; desk, supervisor, compliance later)."""
