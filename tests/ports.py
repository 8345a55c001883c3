"""Ports for tests, held rather than merely picked.

A port found free and closed again can be given to any process before it is used: another
server asking for port 0, or a connection being opened (a CI run lost a kernel so). A port
held by a socket that is bound but not listening is given to nobody else, refuses
connections, and can still be taken by a server that binds it with SO_REUSEADDR, as
`playbook serve` and PostgreSQL do.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def reserved() -> Iterator[int]:
    """A free port on 127.0.0.1, held until the block ends: start its server inside."""
    with socket.socket() as holder:
        holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        holder.bind(("127.0.0.1", 0))
        yield int(holder.getsockname()[1])
