"""Linux: be sent a signal when the parent process dies (prctl PR_SET_PDEATHSIG), even by SIGKILL.

`make` does not pass a SIGTERM on to the recipe it runs: without this, `kill <make's pid>` would leave
`maillage dev` (and its store) running. Elsewhere than on Linux these are no-ops.
"""
from __future__ import annotations

import os
import signal
from pathlib import Path

PR_SET_PDEATHSIG = 1


def signal_when_parent_dies(signum: int = signal.SIGTERM) -> bool:
    """Ask the kernel for `signum` when the parent goes (kept across exec; call in the child)."""
    try:
        import ctypes

        return ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, int(signum)) == 0
    except (OSError, AttributeError):
        return False


def parent_is_make() -> bool:
    try:
        return Path(f"/proc/{os.getppid()}/comm").read_text().strip() in {"make", "gmake"}
    except OSError:
        return False
