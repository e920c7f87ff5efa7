"""A small OpenAI-compatible chat-completions server for tests (uvicorn on a free port).

Each test scripts the answers (:meth:`OpenAIStub.push`) and reads back the requests the
server received (:attr:`OpenAIStub.requests`): JSON body, headers and query.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

__all__ = ["OpenAIStub", "Received", "Scripted", "reply", "serve", "tool_calls"]


@dataclass(frozen=True)
class Scripted:
    """One answer: a JSON body (or raw text) with a status, sent after ``delay`` seconds."""

    body: Any = None
    status: int = 200
    delay: float = 0.0
    raw: str | None = None


@dataclass(frozen=True)
class Received:
    body: dict[str, Any]
    headers: dict[str, str]
    query: dict[str, str]

    @property
    def text(self) -> str:
        """The whole request body as JSON text (to look for values that must be absent)."""
        return json.dumps(self.body, ensure_ascii=False)


def reply(content: str | None) -> Scripted:
    """A plain assistant answer."""
    return Scripted(_completion({"role": "assistant", "content": content}, "stop"))


def tool_calls(*calls: tuple[str, Any], content: str | None = None) -> Scripted:
    """An answer asking for tools: ``(name, arguments)``; str arguments are sent as is."""
    return Scripted(
        _completion(
            {
                "role": "assistant",
                "content": content,
                "tool_calls": [
                    {
                        "id": f"call_{i}",
                        "type": "function",
                        "function": {
                            "name": name,
                            "arguments": args if isinstance(args, str) else json.dumps(args),
                        },
                    }
                    for i, (name, args) in enumerate(calls)
                ],
            },
            "tool_calls",
        )
    )


def _completion(message: dict[str, Any], finish: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": "stub",
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


@dataclass
class OpenAIStub:
    """The script and the record of one stub server; :meth:`reset` between tests."""

    url: str = ""
    script: deque[Scripted] = field(default_factory=deque)
    requests: list[Received] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def push(self, *answers: Scripted) -> None:
        self.script.extend(answers)

    def reset(self) -> None:
        self.script.clear()
        self.requests.clear()

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v1/chat/completions")
        async def chat_completions(request: Request) -> Response:
            self.requests.append(
                Received(
                    body=await request.json(),
                    headers={k.lower(): v for k, v in request.headers.items()},
                    query=dict(request.query_params),
                )
            )
            if not self.script:
                return JSONResponse({"error": {"message": "no scripted answer"}}, status_code=599)
            answer = self.script.popleft()
            if answer.delay:
                await asyncio.sleep(answer.delay)
            if answer.raw is not None:
                return PlainTextResponse(answer.raw, status_code=answer.status)
            return JSONResponse(answer.body, status_code=answer.status)

        return app


@contextmanager
def serve(stub: OpenAIStub) -> Iterator[OpenAIStub]:
    """Run ``stub`` with uvicorn on a free port for the duration of the block."""
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            stub.app(),
            log_level="warning",
            access_log=False,
            lifespan="off",
            ws="none",
            timeout_graceful_shutdown=1,
        )
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    stub.url = f"http://127.0.0.1:{port}"
    try:
        yield stub
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
