"""Where the kit's bundled files are: inside the installed package, or in a checkout.

A wheel carries notebooks and examples as package data (`playbook/_notebooks`,
`playbook/_examples`); an editable install or a clone has them at the repository's top
level instead, and edits there must take effect without a reinstall.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

# What a workshop folder gains at run time; never part of a copy of the example.
RUNTIME = ("out", "responses.db*", ".playbook", ".ipynb_checkpoints")


def _checkout() -> Path | None:
    root = Path(str(resources.files("playbook"))).parent
    return root if (root / "pyproject.toml").is_file() else None


def bundled(kind: str) -> Path:
    """The folder of bundled `kind` ("examples", "notebooks", "templates")."""
    root = _checkout()
    if root is not None and (root / kind).is_dir():
        return root / kind
    packaged = Path(str(resources.files("playbook") / f"_{kind}"))
    if packaged.is_dir():
        return packaged
    raise FileNotFoundError(f"the kit's {kind} are not installed")  # a broken install


def example(name: str = "acme") -> Path:
    return bundled("examples") / name


def copy_example(dest: str | Path, name: str = "acme") -> Path:
    """A fresh working copy of a bundled example, without stores, secrets or outputs."""
    target = Path(dest)
    shutil.copytree(example(name), target, ignore=shutil.ignore_patterns(*RUNTIME))
    return target
