"""The web console's tests need Node.js (≥ 20.19, with npm) and, for the end-to-end ones, Debian's chromium.

Missing tools skip these tests on a developer's machine and fail them under CI=true (.ci/run installs
chromium; Node.js comes with the machine). `web/node_modules` is installed with `npm ci` once per
session when it is missing or older than the lockfile.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def need(what: str, present: bool, install: str) -> None:
    if present:
        return
    message = f"{what} is missing: {install}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


def run(command: list[str], *, timeout: float, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=WEB, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


@pytest.fixture(scope="session")
def web_run():
    """run(command, timeout=…, env=…) in web/."""
    return run


@pytest.fixture(scope="session")
def web_modules() -> Path:
    """web/ with its node_modules installed from the lockfile."""
    need("node", shutil.which("node") is not None and shutil.which("npm") is not None,
         "install Node.js ≥ 20.19 and npm")
    stamp = WEB / "node_modules" / ".package-lock.json"  # npm writes it on every install
    if not stamp.exists() or stamp.stat().st_mtime < (WEB / "package-lock.json").stat().st_mtime:
        done = run(["npm", "ci", "--no-audit", "--no-fund"], timeout=600)
        assert done.returncode == 0, f"npm ci failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return WEB


@pytest.fixture(scope="session")
def built_console(web_modules) -> Path:
    """web/dist built from the working tree (what `make dev` serves; tsc is a test of its own)."""
    done = run(["npx", "vite", "build"], timeout=600)
    assert done.returncode == 0, f"the console does not build:\n{done.stdout[-4000:]}\n{done.stderr[-2000:]}"
    return WEB / "dist"


@pytest.fixture(scope="session")
def chromium() -> str:
    need("chromium", Path(CHROMIUM).exists(), "apt-get install -y chromium (.ci/run does it)")
    return CHROMIUM
