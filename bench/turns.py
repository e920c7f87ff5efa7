"""Turn throughput and latency: N concurrent simulated customers over HTTP.

Starts its own server (a fresh SQLite database in a temporary data directory, the
built-in stages) unless ``--url`` points at a running one, then has ``--customers``
concurrent customers each open a conversation and send ``--turns`` messages, a mix of
plain questions and messages carrying card numbers, e-mails and phone numbers.
Writes ``bench/results/turns.json`` with turns/s and p50/p95/p99 latency.

    python bench/turns.py                       # own server, SQLite
    python bench/turns.py --url http://127.0.0.1:8000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

RESULTS = Path(__file__).parent / "results"

MESSAGES = [
    "When will my new card arrive?",
    "My card 4111 1111 1111 1111 hasn't arrived yet, it's been two weeks",
    "I lost my card, what should I do?",
    "What are the fees for using my card abroad?",
    "How long does a transfer to another bank take?",
    "Please send the statement to pat.doe@example.com",
    "You can call me back on (415) 555-0142",
    "I don't recognise a payment on my account, I want to dispute it",
    "How do I top up my account?",
    "Someone called asking for my PIN, is that you?",
    "What are your opening hours?",
    "hello",
    "thanks, bye",
    "My IBAN is DE89 3704 0044 0532 0130 00, can you check the transfer?",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(workers: int) -> tuple[subprocess.Popen[bytes], str, Path]:
    data = Path(tempfile.mkdtemp(prefix="trustdesk-bench-"))
    env = dict(
        os.environ,
        TRUSTDESK_DATA_DIR=str(data),
        TRUSTDESK_DEMO="true",
        TRUSTDESK_LOG__LEVEL="WARNING",
        TRUSTDESK_LOG__TO_FILE="false",
        # A load test is one client sending many messages: the abuse limits would
        # (rightly) refuse it, so they are off for the benchmark's own server.
        TRUSTDESK_GUARD__MESSAGES_PER_CONVERSATION_PER_MINUTE="0",
        TRUSTDESK_GUARD__MESSAGES_PER_CLIENT_PER_MINUTE="0",
    )
    cli = [sys.executable, "-m", "trustdesk.cli.main"]
    subprocess.run([*cli, "db", "upgrade"], env=env, check=True, capture_output=True)
    port = _free_port()
    proc = subprocess.Popen(
        [*cli, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/readyz", timeout=1).status_code == 200:
                return proc, url, data
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not become ready")


class Connection:
    """A minimal HTTP/1.1 keep-alive client, so the load generator costs little CPU.

    The benchmark shares the machine with the server; a heavyweight client would
    measure itself. Requests are JSON POSTs; responses are read by Content-Length.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: dict[str, object]) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        data = json.dumps(body).encode()
        self.writer.write(
            (
                f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
            ).encode()
            + data
        )
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        payload = await self.reader.readexactly(length)
        return status, payload

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            await self.writer.wait_closed()


async def customer(
    host: str, port: int, turns: int, rng: random.Random, latencies: list[float], errors: list[str]
) -> None:
    conn = Connection(host, port)
    try:
        status, payload = await conn.post("/v1/conversations", {"channel": "api"})
        if status != 201:
            errors.append(f"create {status}")
            return
        cid = json.loads(payload)["id"]
        path = f"/v1/conversations/{cid}/messages"
        for _ in range(turns):
            body = {"text": rng.choice(MESSAGES)}
            t0 = time.perf_counter()
            status, payload = await conn.post(path, body)
            elapsed = time.perf_counter() - t0
            if status != 200:
                errors.append(f"message {status}")
                continue
            latencies.append(elapsed)
    finally:
        await conn.close()


async def run_load(url: str, customers: int, turns: int, seed: int) -> dict[str, object]:
    latencies: list[float] = []
    errors: list[str] = []
    parsed = httpx.URL(url)
    host, port = parsed.host, parsed.port or 80
    # Warm-up: one conversation, a few turns (not measured).
    await customer(host, port, 5, random.Random(0), [], [])
    rngs = [random.Random(seed + i) for i in range(customers)]
    t0 = time.perf_counter()
    await asyncio.gather(
        *(customer(host, port, turns, rngs[i], latencies, errors) for i in range(customers))
    )
    wall = time.perf_counter() - t0
    lat = sorted(latencies)

    def pct(p: float) -> float:
        if not lat:
            return float("nan")
        return lat[min(len(lat) - 1, int(round(p / 100 * (len(lat) - 1))))] * 1000

    return {
        "customers": customers,
        "turns": len(lat),
        "errors": len(errors),
        "wall_seconds": round(wall, 3),
        "turns_per_second": round(len(lat) / wall, 1) if wall else 0.0,
        "latency_ms": {
            "p50": round(pct(50), 2),
            "p95": round(pct(95), 2),
            "p99": round(pct(99), 2),
            "mean": round(statistics.fmean(lat) * 1000, 2) if lat else None,
            "max": round(lat[-1] * 1000, 2) if lat else None,
        },
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="benchmark a running server instead of starting one")
    ap.add_argument(
        "--customers",
        default="4,8,16,32",
        help="concurrency levels, comma-separated (concurrent customers)",
    )
    ap.add_argument("--turns", type=int, default=40, help="messages per customer")
    ap.add_argument("--workers", type=int, default=1, help="server processes (own server)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per level; the median is kept")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=RESULTS / "turns.json")
    args = ap.parse_args()
    levels = [int(x) for x in str(args.customers).split(",") if x.strip()]

    proc = None
    url = args.url
    if url is None:
        proc, url, _data = start_server(args.workers)
    levels_out: list[dict[str, object]] = []
    try:
        for n in levels:
            runs = [
                asyncio.run(run_load(url, n, args.turns, args.seed + 1000 * i))
                for i in range(args.repeat)
            ]
            runs.sort(key=lambda r: float(r["turns_per_second"]))  # type: ignore[arg-type]
            median = runs[len(runs) // 2]
            levels_out.append({"customers": n, "median_run": median, "runs": runs})
            lat = median["latency_ms"]
            print(
                f"{n:>3} customers: {median['turns_per_second']:>7} turns/s  "
                f"p50 {lat['p50']} ms  p95 {lat['p95']} ms  p99 {lat['p99']} ms  "  # type: ignore[index]
                f"errors {median['errors']}"
            )
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=15)
    meeting = [
        lv
        for lv in levels_out
        if float(lv["median_run"]["latency_ms"]["p99"]) <= 50  # type: ignore[index]
    ]
    best = max(levels_out, key=lambda lv: float(lv["median_run"]["turns_per_second"]))  # type: ignore[index]
    best_within = (
        max(meeting, key=lambda lv: float(lv["median_run"]["turns_per_second"]))  # type: ignore[index]
        if meeting
        else None
    )
    result = {
        "benchmark": "turns",
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "server": {
            "url": args.url or "own (fresh SQLite in a temporary data dir)",
            "workers": args.workers,
            "stages": "built-in",
        },
        "load": {
            "turns_per_customer": args.turns,
            "repeat": args.repeat,
            "client": "asyncio HTTP/1.1 keep-alive, same machine, no think time",
        },
        "targets": {"turns_per_second": 300, "p99_ms": 50},
        "summary": {
            "max_turns_per_second": best["median_run"]["turns_per_second"],  # type: ignore[index]
            "at_customers": best["customers"],
            "best_with_p99_within_target": (
                {
                    "customers": best_within["customers"],
                    "turns_per_second": best_within["median_run"]["turns_per_second"],  # type: ignore[index]
                    "p99_ms": best_within["median_run"]["latency_ms"]["p99"],  # type: ignore[index]
                }
                if best_within
                else None
            ),
        },
        "levels": levels_out,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result["summary"], indent=2))


if __name__ == "__main__":
    main()
