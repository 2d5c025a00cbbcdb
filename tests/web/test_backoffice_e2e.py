"""The staff back-office (issue 15) in a real browser against a real `maillage dev` (embedded store, the real
broker, the embedded identity provider), seeded with `maillage seed`: web/e2e/staff.mjs signs a staff member in,
runs a local group meeting from its template to the attendance XLSX and the PDF attendance sheet (read back),
a PACTE committee to a certificate whose QR code decodes to the verification URL, and the activity report whose
figures equal those computed from the seed files; axe-core on every page, screenshots in
var/e2e-screenshots/staff (gitignored)."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration  # starts the dev server, a store, and uses the broker

ROOT = Path(__file__).resolve().parents[2]
MAILLAGE = str(Path(sys.executable).with_name("maillage"))
SCREENSHOTS = ROOT / "var" / "e2e-screenshots" / "staff"

# The same dev server as the console's journeys (tests/web/test_console_e2e.py), not a second one.
_spec = importlib.util.spec_from_file_location("console_e2e", Path(__file__).with_name("test_console_e2e.py"))
_console = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_console)
DevServer = _console.DevServer


@pytest.fixture
def staff_dev_server(tmp_path, amqp_server_url, built_console):
    server = DevServer(tmp_path / "var", amqp_server_url)
    try:
        yield server
    finally:
        server.stop()


def test_staff_back_office_journey_in_chromium(staff_dev_server, chromium, web_run):
    print(staff_dev_server.seed())
    done = web_run(["node", "e2e/staff.mjs"], timeout=600, env={
        "BASE_URL": staff_dev_server.base_url, "MAILLAGE_CLI": MAILLAGE, "PYTHON": sys.executable,
        "CHROMIUM": chromium, "E2E_OUT": str(SCREENSHOTS), "MAILLAGE_ENV": "dev"})
    print(done.stdout)
    assert done.returncode == 0, (f"{done.stdout[-8000:]}\n{done.stderr[-3000:]}\n"
                                  f"maillage dev said:\n{staff_dev_server.log.read_text(errors='replace')[-3000:]}")
    assert " 0 failed" in done.stdout
