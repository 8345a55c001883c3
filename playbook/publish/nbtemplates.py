"""The kit's nbconvert templates: where they are and an HTML exporter that uses them.

The templates ship the way nbconvert's own do, in `share/jupyter/nbconvert/templates/`
(hatchling's shared-data), so `jupyter nbconvert --template playbook_report` works after
install. From a clone the checkout's `templates/` comes first, so edits there take effect
without a reinstall (the installed copy is a snapshot).
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from typing import Any

from playbook.errors import PlaybookError

HANDOUT = "playbook_handout"
GUIDE = "playbook_guide"
REPORT = "playbook_report"
NAMES = (HANDOUT, GUIDE, REPORT)


def _checkout() -> Path | None:
    from playbook.paths import _checkout as root

    found = root()
    return found / "templates" if found is not None and (found / "templates").is_dir() else None


def installed_dirs() -> list[Path]:
    """`nbconvert/templates` folders of the Jupyter data path (the environment's first)."""
    from jupyter_core.paths import jupyter_path

    seen: list[Path] = []
    for base in [str(Path(sys.prefix) / "share" / "jupyter"), *jupyter_path()]:
        p = Path(base) / "nbconvert" / "templates"
        if p not in seen:
            seen.append(p)
    return seen


def template_dirs() -> list[Path]:
    """Folders holding the kit's templates, in search order: checkout, then installed."""
    dirs = [d for d in [_checkout(), *installed_dirs()] if d is not None and (d / REPORT / "conf.json").is_file()]
    if not dirs:
        raise PlaybookError(
            "the kit's nbconvert templates are not installed",
            fix="reinstall the kit (pip install workshop-playbook), or run from a clone with templates/",
        )
    return dirs


@cache
def exporter(name: str) -> Any:
    """An HTMLExporter for template `name`: no code, no prompts, the kit's folders searched first.

    Cached: building one costs about 0.3 s, and an exporter renders any number of notebooks.
    """
    if name not in NAMES:
        raise ValueError(f"unknown template {name!r}; the kit's are {', '.join(NAMES)}")
    from nbconvert import HTMLExporter
    from traitlets import default

    dirs = [str(d) for d in template_dirs()]

    class _Exporter(HTMLExporter):
        @default("template_paths")
        def _template_paths(self, prune: bool = True, root_dirs: Any = None) -> list[str]:
            # `{% include 'playbook_report/...' %}` must find the checkout's copy before an installed one
            return [*dirs, *super()._template_paths(prune, root_dirs)]

    return _Exporter(
        template_name=name, extra_template_basedirs=dirs, exclude_input=True,
        exclude_input_prompt=True, exclude_output_prompt=True,
    )
