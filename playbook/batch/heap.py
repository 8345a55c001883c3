"""Memory a batch process has freed, given back to the system.

glibc's malloc keeps what a process frees for its next allocations, in pieces between what
is still in use, and gives it back only from the top of its heap. A batch frees much in
pieces: the parent its answers once the snapshots are written (tens of MB with 1,000
teams), a worker each report's notebook and HTML, a kernel each report's figures. Each
process then stays as large as its largest moment, and a batch's memory creeps up with its
teams. `release` asks glibc to give back every free page (`malloc_trim`, a few milliseconds);
elsewhere (macOS, musl) it does nothing.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim  # the C library this Python runs on
    except (OSError, AttributeError):  # not glibc
        return None
    return trim


def release() -> None:
    """Give the pages this process has freed back to the system, where the C library can."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
