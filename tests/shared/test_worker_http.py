"""A worker's own HTTP endpoint: what an orchestrator probes and Prometheus scrapes."""
import requests

from shared.devserver import free_port
from shared.testing import running_worker, wait_until
from shared.worker_http import serve_worker_http


def test_a_running_worker_is_live_and_ready_and_shows_its_consumers_connected(runtime):
    rt = runtime("events")
    with running_worker(rt) as worker:
        server = serve_worker_http(worker, free_port(), host="127.0.0.1")
        base = f"http://127.0.0.1:{server.server_port}"
        try:
            wait_until(lambda: requests.get(f"{base}/health/ready", timeout=2).status_code == 200, timeout=20)
            ready = requests.get(f"{base}/health/ready", timeout=2).json()
            assert ready["relay"]["state"] in ("leader", "standby")
            assert [c["state"] for c in ready["consumers"]] == ["consuming"]
            assert requests.get(f"{base}/health/live", timeout=2).status_code == 200
            metrics = requests.get(f"{base}/metrics", timeout=2).text
            queue = ready["consumers"][0]["queue"]
            assert f'maillage_consumers_connected{{queue="{queue}"}} 1.0' in metrics
        finally:
            server.shutdown()
