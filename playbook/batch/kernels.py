"""Kernels that talk over Unix sockets in a private folder, not TCP ports.

For a TCP kernel, jupyter_client picks five free ports by binding to port 0 and closing the
sockets; the kernel binds them about a second later. Any process on the machine that opens a
connection in between can be given one of those ports, and the kernel then dies at start
("Address already in use"): a CI run of the test suite failed so, with browsers, servers and
kernels starting side by side. Socket files in a folder of one's own leave no such window, stay
on this machine, and spare each kernel ipykernel's "running over TCP" warning.

The batch worker's kernels use these settings; so do the tests that run a notebook in a kernel,
with nbclient or papermill (`config=`, the `kernel_config` fixture) or nbval (tests/nbval_ipc.py).
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

_started = itertools.count()  # kernels of one process started together must not share a name


def sockets(folder: str | Path) -> dict[str, str]:
    """The settings of a kernel manager (`transport`, `ip`) whose kernel's sockets are files in
    `folder`, which must exist: as keyword arguments of a KernelManager, or its section of a
    traitlets Config (nbclient and papermill take `config=`). The files' names hold this
    process's id and a counter, so kernels started at once, by one process or several, never
    pick the same one. Keep `folder`'s path short: a socket's path may not exceed 107 bytes."""
    return {"transport": "ipc", "ip": str(Path(folder) / f"kernel-{os.getpid()}-{next(_started)}")}
