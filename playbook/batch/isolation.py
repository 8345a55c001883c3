"""Isolation between notebooks run one after another in the same (warm) kernel.

`%reset -f` empties the user namespace but leaves the process as it was: environment
variables, the working directory, matplotlib's rcParams, the random generators, sys.path
and warning filters. The runner calls `capture()` once when a kernel starts and, before each
notebook, `%reset -f` followed by `restore()`, so a notebook never sees what the previous
team's notebook changed. Loaded modules stay loaded: that is what makes a warm kernel fast.
"""

from __future__ import annotations

import gc
import os
import random
import sys
import warnings
from typing import Any

_BASE: dict[str, Any] = {}

RESET_SOURCE = "%reset -f\nimport playbook.batch.isolation\nplaybook.batch.isolation.restore()"


def capture(cwd: str | None = None) -> None:
    """Remember the process state to restore before every notebook."""
    import matplotlib

    _BASE.update(
        environ=dict(os.environ), cwd=cwd or os.getcwd(), random=random.getstate(),
        path=list(sys.path), warnings=list(warnings.filters), rc=dict(matplotlib.rcParams),
    )
    try:
        import numpy

        _BASE["numpy"] = numpy.random.get_state()
    except ImportError:  # pragma: no cover - numpy comes with matplotlib
        pass
    # What the kernel has loaded so far lives as long as the kernel: move it out of the
    # collector's sight, so the full collection inside every `%reset -f` takes ms, not 0.1 s.
    gc.collect()
    gc.freeze()


def restore() -> None:
    """Put the process back as `capture` found it (a no-op before any capture)."""
    if not _BASE:
        return
    os.environ.clear()
    os.environ.update(_BASE["environ"])
    os.chdir(_BASE["cwd"])
    random.setstate(_BASE["random"])
    sys.path[:] = _BASE["path"]
    warnings.filters[:] = _BASE["warnings"]  # type: ignore[index]  # a list, typed as a Sequence
    import matplotlib

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    dict.update(matplotlib.rcParams, _BASE["rc"])  # as saved: no validation, no warnings
    if "numpy" in _BASE:
        import numpy

        numpy.random.set_state(_BASE["numpy"])
    from playbook.batch import heap

    heap.release()  # what the last notebook left, now freed (its figures, its answers)
