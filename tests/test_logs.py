from __future__ import annotations

import io
import json
import logging

from trustdesk.logs import JsonFormatter


def test_json_logs_keep_only_allowed_fields() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("trustdesk.test-logs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        logger.info(
            "turn.completed",
            extra={"conversation_id": "c1", "latency_ms": 1.5, "text": "card 4111 1111 1111 1111"},
        )
        try:
            raise ValueError("card 4111 1111 1111 1111")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(x) for x in stream.getvalue().splitlines()]
    assert lines[0]["event"] == "turn.completed"
    assert lines[0]["conversation_id"] == "c1"
    assert "text" not in lines[0]
    assert lines[1]["exc_type"] == "ValueError"
    assert "4111" not in stream.getvalue()
