"""Browser tests of the console: real processes, a real browser.

``console`` starts what ``make run`` starts, as separate processes on free ports with a
fresh data directory (SQLite database, vault and tool keys): ``trustdesk db upgrade``,
``trustdesk demo``, ``trustdesk bank serve`` and ``trustdesk serve``. ``browser`` is
Debian's Chromium driven by Playwright, headless. Without Chromium the tests skip,
except in CI, where they fail: ``.ci/run`` installs it.

Screenshots of every journey go to ``tests/artifacts/`` (ignored by git) for review.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import in_ci

CHROMIUM = os.environ.get("TRUSTDESK_TEST_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
BIN = Path(sys.executable).parent

#: The demo staff that ``trustdesk demo`` creates (printed by ``make run``).
STAFF = {
    "agent": ("alex", "Northwind desk demo 1"),
    "supervisor": ("sam", "Northwind floor demo 2"),
    "compliance": ("casey", "Northwind audit demo 3"),
    "admin": ("jordan", "Northwind keys demo 4"),
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url} exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within 60 s:\n{log.read_text()[-4000:]}")


def _spawn(argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:  # the child keeps its own descriptor
        return subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)


@dataclass
class Console:
    url: str
    bank_url: str
    data_dir: Path
    env: dict[str, str]

    def bank_address(self, ref: str) -> str:
        """The address the demo core-banking service holds for ``ref`` (its own database)."""
        from sqlalchemy import select

        from trustdesk.bank.models import BankCustomer
        from trustdesk.bank.settings import BankSettings, open_bank_db

        db = open_bank_db(BankSettings(data_dir=self.data_dir))
        try:
            with db.write() as s:
                customer = s.scalar(select(BankCustomer).where(BankCustomer.ref == ref))
                assert customer is not None, ref
                return str(customer.address)
        finally:
            db.dispose()


@pytest.fixture(scope="session")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    data_dir = tmp_path_factory.mktemp("console")
    port, bank_port = _free_port(), _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRUSTDESK_")} | {
        "TRUSTDESK_DATA_DIR": str(data_dir),
        "TRUSTDESK_DEMO": "true",
        "TRUSTDESK_AGENT__BANK_URL": f"http://127.0.0.1:{bank_port}",
        # The browser shares two cores with both servers: these tests check the console,
        # not the stage budgets (bench/turns.py measures those), so give the stages room.
        "TRUSTDESK_GUARD__TIMEOUT_MS": "3000",
        "TRUSTDESK_PRIVACY__TIMEOUT_MS": "3000",
    }
    trustdesk = str(BIN / "trustdesk")
    subprocess.run([trustdesk, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run(
        [trustdesk, "demo", "--customers", "5"], env=env, check=True, capture_output=True
    )
    procs: list[subprocess.Popen[bytes]] = []
    try:
        bank_log = data_dir / "bank.log"
        procs.append(
            _spawn(
                [trustdesk, "bank", "serve", "--host", "127.0.0.1", "--port", str(bank_port)],
                env,
                bank_log,
            )
        )
        _wait(f"http://127.0.0.1:{bank_port}/healthz", procs[-1], bank_log)
        app_log = data_dir / "app.log"
        procs.append(
            _spawn([trustdesk, "serve", "--host", "127.0.0.1", "--port", str(port)], env, app_log)
        )
        _wait(f"http://127.0.0.1:{port}/readyz", procs[-1], app_log)
        yield Console(f"http://127.0.0.1:{port}", f"http://127.0.0.1:{bank_port}", data_dir, env)
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium for one test module. Not for the session: Playwright's sync API keeps an
    event loop running on the main thread while it is open, which would break later
    tests that call ``asyncio.run``."""
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        msg = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if in_ci():
            pytest.fail(f"{msg}; CI=true: the browser tests must run")
        pytest.skip(msg)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage"],
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Any, console: Console, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser context (no cookies) per test; a screenshot when the test ends."""
    context = browser.new_context(base_url=console.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield pg
        assert not errors, f"JavaScript errors on the page: {errors}"
    finally:
        shoot(pg, f"{request.node.name}-end")
        context.close()


def shoot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{safe}.png"), full_page=True)
    except Exception:  # noqa: BLE001 - a failed screenshot must not hide the test's result
        pass


def login(page: Any, role: str) -> None:
    username, password = STAFF[role]
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


@pytest.fixture(scope="module")
def app_client(fresh_database: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The app in-process over the ``fresh_database`` backend, demo staff seeded; one app
    and one client per module (closing an app's lifespan closes its pipeline)."""
    from fastapi.testclient import TestClient

    from tests.conftest import make_settings
    from trustdesk.access.service import AccessService
    from trustdesk.api import create_app
    from trustdesk.demo.seed import seed_staff

    seed_staff(AccessService(fresh_database))
    settings = make_settings(tmp_path_factory.mktemp("console-app"), fresh_database)
    with TestClient(create_app(settings, db=fresh_database)) as c:
        yield c
