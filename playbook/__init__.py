"""Workshop Playbook: exercise definitions, scoring and reports for customer workshops.

The public API, the same calls the `playbook` command makes::

    from playbook import Folder, Store, score_folder, build_reports, build_handouts, serve

    folder = Folder("examples/acme")                 # workshop.yml, validated
    results = score_folder(folder)                   # every team's results
    batch = build_reports([folder.path], formats=("html", "pdf"), jobs=2)
    handouts = build_handouts(folder, formats=("html", "pdf"))
    serve.serve(folder)                              # the live server (`playbook.serve`)

Names are imported on first use, so `import playbook` stays light. The engine is importable
without any Jupyter UI package; `widgets` builds on it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from playbook.version import __version__

_API = {  # name -> "module:attribute" that defines it
    "Folder": "playbook.workshop:Folder",
    "Store": "playbook.answers.store:Store",
    "score_folder": "playbook.answers.results:score_folder",
    "build_reports": "playbook.batch.runner:build_reports",
    "BatchResult": "playbook.batch.jobs:BatchResult",
    "build_handouts": "playbook.publish.handouts:build",
    "PlaybookError": "playbook.errors:PlaybookError",
}
# `serve` is the module `playbook.serve` (serve.serve blocks, serve.start returns a Server): a
# submodule, so `from playbook import serve` imports it without help from __getattr__.
__all__ = ["BatchResult", "Folder", "PlaybookError", "Store", "__version__", "build_handouts", "build_reports",
           "score_folder", "serve"]

if TYPE_CHECKING:
    from playbook import serve
    from playbook.answers.results import score_folder
    from playbook.answers.store import Store
    from playbook.batch.jobs import BatchResult
    from playbook.batch.runner import build_reports
    from playbook.errors import PlaybookError
    from playbook.publish.handouts import build as build_handouts
    from playbook.workshop import Folder


def __getattr__(name: str) -> Any:
    if name in _API:
        module, attribute = _API[name].split(":")
        value = getattr(import_module(module), attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'playbook' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})
