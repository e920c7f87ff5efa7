"""Channels that bring customer messages in: REST and WebSocket (in :mod:`trustdesk.api`),
and the signed webhook for external chat platforms (:mod:`trustdesk.channels.webhook`)."""
