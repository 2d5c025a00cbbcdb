"""TCP ports on this machine: is one answering, give me a free one."""
from __future__ import annotations

import socket


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def can_bind(port: int, host: str = "127.0.0.1") -> bool:
    """Whether a server could listen on `port` now: not listening elsewhere, nor held by a client socket (which
    `port_open` does not see)."""
    with socket.socket() as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
        return True
