"""Gunicorn settings for every Maillage api (one image, one config).

    gunicorn -c deploy/gunicorn.conf.py "services.<svc>.app:create_app()"

Everything is tuned from the environment so compose and Kubernetes need no other file:
PORT, WEB_CONCURRENCY, GUNICORN_THREADS, GUNICORN_TIMEOUT, GUNICORN_GRACEFUL_TIMEOUT,
GUNICORN_KEEPALIVE, GUNICORN_MAX_REQUESTS, FORWARDED_ALLOW_IPS, LOG_LEVEL, LOG_JSON.
"""
from __future__ import annotations

import importlib.util
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return default if not value else value in {"1", "true", "yes", "on"}


# --- Socket -----------------------------------------------------------------
bind = f"0.0.0.0:{_int('PORT', 8000)}"
backlog = 2048

# --- Workers ----------------------------------------------------------------
# Threads serve the I/O-bound requests (Mongo round trips); processes give CPU parallelism.
worker_class = "gthread"
workers = _int("WEB_CONCURRENCY", 2)
threads = _int("GUNICORN_THREADS", 4)
# Heartbeat files on tmpfs: avoids stalls when the container's disk is slow.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# A hung request is killed after `timeout`; on SIGTERM (rolling update, scale-in) in-flight
# requests get `graceful_timeout` to finish — keep it under k8s terminationGracePeriodSeconds.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 25)
keepalive = _int("GUNICORN_KEEPALIVE", 5)  # seconds an idle client connection is kept

# Recycle workers now and then, jittered so they do not all restart together.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = max(1, max_requests // 10) if max_requests else 0

# Load the app in each worker (not in the master): the pymongo client and the broker
# connection must not be shared across fork.
preload_app = False

# No control socket (gunicorn opens one in $HOME/.gunicorn): containers are managed by
# signals, and the root filesystem may be read-only (Kubernetes manifests).
control_socket_disable = True

# --- Proxy ------------------------------------------------------------------
# Requests arrive through the nginx gateway / ingress, whose address is not fixed in a
# container network: trust X-Forwarded-* from anyone that can reach the pod/container
# (the apis are not exposed directly). Narrow it with FORWARDED_ALLOW_IPS if they are.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
proxy_allow_ips = forwarded_allow_ips

# --- Logs -------------------------------------------------------------------
# One access line per request on stdout, carrying the request id the app puts in X-Request-ID
# (the id of its own log lines and of the events the request caused): JSON under LOG_JSON
# (shared/access_log.py), else the combined format followed by the duration and the request id.
accesslog = "-"
access_log_format = ('%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms '
                     'request_id=%({x-request-id}o)s')
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "INFO").lower()
capture_output = False

# Gunicorn's own messages (boot, worker timeouts) in the same JSON shape as the app's,
# when the app's formatter is importable.
if _bool("LOG_JSON", True) and importlib.util.find_spec("shared.logs") is not None:
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "shared.logs.JsonFormatter"},
                       "access_json": {"()": "shared.access_log.AccessJsonFormatter"}},
        "handlers": {
            "error_console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            },
            "access_console": {
                "class": "logging.StreamHandler",
                "formatter": "access_json",
                "stream": "ext://sys.stdout",
            },
        },
        # Replaces gunicorn's defaults wholesale (a shallow merge): root must be set here.
        "root": {"level": loglevel.upper(), "handlers": ["error_console"]},
        "loggers": {
            "gunicorn.error": {
                "level": loglevel.upper(),
                "handlers": ["error_console"],
                "propagate": False,
                "qualname": "gunicorn.error",
            },
            "gunicorn.access": {
                "level": "INFO",
                "handlers": ["access_console"],
                "propagate": False,
                "qualname": "gunicorn.access",
            },
        },
    }

# --- Metrics ------------------------------------------------------------------
# Several worker processes answer /metrics: prometheus-client's multiprocess mode aggregates
# what every worker counted (files in PROMETHEUS_MULTIPROC_DIR, wiped at each start).
def on_starting(server):
    import shutil
    import tempfile

    # Outside dev, a missing, published or short secret stops the master here, in one line,
    # before any worker boots (a worker failing in create_app would be respawned).
    from shared.config import load_settings
    from shared.startup_checks import refuse_unsafe_start

    app_uri = getattr(server.app, "app_uri", None) or ""  # services.<svc>.app:create_app()
    service = app_uri.split(".")[1] if app_uri.startswith("services.") else None
    refuse_unsafe_start(load_settings(), f"the {service} api" if service else "the api")

    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or os.path.join(tempfile.gettempdir(), "maillage-prometheus")
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = path


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
