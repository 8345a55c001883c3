"""A pytest plugin for the nbval run of test_notebooks (`-p nbval_ipc`): nbval's kernels talk
over Unix sockets in a private folder, as every other kernel the suite starts
(`playbook.batch.kernels` says why). nbval builds its kernel manager from the name
`KernelManager` in its module and has no option for the transport, so the plugin gives that
name a factory of such managers before any notebook starts its kernel. Should nbval stop using
that name, the run fails rather than go back to TCP unnoticed."""

from __future__ import annotations

import shutil
import tempfile
from typing import Any

import nbval.kernel
import pytest
from jupyter_client.manager import KernelManager

from playbook.batch import kernels

_folder = ""
_made = 0


def pytest_configure(config: pytest.Config) -> None:
    global _folder
    _folder = tempfile.mkdtemp(prefix="nbval-kernels-")

    def manager(**kwargs: Any) -> Any:
        global _made
        _made += 1
        return KernelManager(**kwargs, **kernels.sockets(_folder))

    nbval.kernel.KernelManager = manager  # type: ignore[misc,assignment]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if session.testscollected and not _made:
        print("nbval_ipc: nbval started its kernels without nbval.kernel.KernelManager; they ran over TCP")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_unconfigure(config: pytest.Config) -> None:
    nbval.kernel.KernelManager = KernelManager  # type: ignore[misc]
    shutil.rmtree(_folder, ignore_errors=True)
