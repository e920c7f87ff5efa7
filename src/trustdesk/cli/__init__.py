"""The ``trustdesk`` command line."""
