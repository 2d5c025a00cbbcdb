"""The console's own tests, from pytest: Vitest (client-side logic) and the generated API types' freshness."""
from __future__ import annotations

import sys
from pathlib import Path

MAILLAGE = str(Path(sys.executable).with_name("maillage"))


def test_vitest_unit_tests_pass(web_modules, web_run):
    done = web_run(["npx", "vitest", "run", "--reporter=dot"], timeout=300)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]


def test_the_generated_api_types_match_the_four_openapi_documents(web_modules, web_run):
    """`npm run api` regenerates web/src/api/schema/*.ts; a change to an API without it fails here."""
    done = web_run(["node", "scripts/generate-api.mjs", "--check"], timeout=300, env={"MAILLAGE_CLI": MAILLAGE})
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_console_type_checks(web_modules, web_run):
    done = web_run(["npx", "tsc", "-b"], timeout=300)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
