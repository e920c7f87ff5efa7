"""The HTTP API: ``create_app(settings)`` builds a FastAPI application."""

from trustdesk.api.app import create_app

__all__ = ["create_app"]
