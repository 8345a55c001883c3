"""The ipywidgets layer of Workshop Playbook: worksheet forms, autosave, live charts, dashboard.

It imports `playbook`, never the reverse.

    widgets.worksheet(folder, team)       # a team's worksheet, every exercise as a tab
    widgets.dashboard(folder)             # the facilitator's live view, refreshing itself
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from widgets.worksheet import Worksheet

if TYPE_CHECKING:
    from playbook.workshop import Folder
    from widgets.dashboard import Dashboard
    from widgets.timer import StepTimer


def worksheet(folder: str | Path | Folder, team: str, exercise: str | None = None,
              author: str | None = None, *, facilitator: bool = False) -> Worksheet:
    """A team's worksheet bound to the workshop's store; every exercise as a tab when
    `exercise` is None. `facilitator=True` adds the facilitator notes to each step. In a kernel
    it also picks up, every few seconds, what teammates save from other laptops."""
    return Worksheet(folder, team, exercise, author, facilitator=facilitator).start()


def dashboard(folder: str | Path | Folder, *, auto_refresh: bool = True) -> Dashboard:
    """The facilitator's live view of every team; refreshes itself every few seconds in a kernel."""
    from widgets.dashboard import Dashboard  # charts import matplotlib: not in a team's kernel

    board = Dashboard(folder)
    return board.start() if auto_refresh else board


def __getattr__(name: str) -> Any:
    """`widgets.Dashboard` and `widgets.StepTimer`, imported when first asked for (PEP 562)."""
    if name == "Dashboard":
        from widgets.dashboard import Dashboard
        return Dashboard
    if name == "StepTimer":
        from widgets.timer import StepTimer
        return StepTimer
    raise AttributeError(f"module 'widgets' has no attribute {name!r}")


__all__ = ["Dashboard", "StepTimer", "Worksheet", "dashboard", "worksheet"]
