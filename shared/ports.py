"""TCP ports on this machine: is one answering, give me a free one."""
from __future__ import annotations

import random
import socket
from pathlib import Path


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port() -> int:
    """A port nothing listens on, for a server started next. Drawn below the kernel's ephemeral range
    (where bind(0) draws): there, any outgoing connection of the machine may take it before the server
    binds it ("port in use" in a test that had just been handed it)."""
    low = _ephemeral_range()[0]
    if low - LOWEST_PORT >= 1000:
        for _ in range(100):
            port = _draw.randrange(LOWEST_PORT, low)
            if can_bind(port):
                return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


LOWEST_PORT = 20000
_draw = random.SystemRandom()  # not the `random` a test may seed: two processes would draw the same ports


def _ephemeral_range() -> tuple[int, int]:
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999  # Linux's default


def can_bind(port: int, host: str = "127.0.0.1") -> bool:
    """Whether a server could listen on `port` now: not listening elsewhere, nor held by a client socket (which
    `port_open` does not see)."""
    with socket.socket() as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
        return True
