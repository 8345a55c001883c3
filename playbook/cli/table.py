"""Kept for imports from before the tables moved to `playbook.publish.tables` (tests/test_widgets.py)."""

from playbook.publish.tables import render, share, width

__all__ = ["render", "share", "width"]
