"""Imported first in the kit's own processes: every `playbook` command, the demo, the served
pages' server (`playbook.serve.SERVER_BOOT`), the batch's worker processes
(`playbook.batch.executors.BOOT`) and their kernels (the boot cell in `playbook.batch.worker`),
and the test suite's processes (pytest's `-p` in pyproject.toml). No playbook module imports
it, so a user's own process that imports the kit (a notebook calling `playbook.build_reports`)
keeps its jsonschema and its garbage collector as they are.

- `import nbformat` imports jsonschema, which builds Lark grammars for the optional
  `rfc3987_syntax` package: 1-3 s in every process (jsonschema issue 1428), for IRI format
  checks that notebook validation never uses. Marking the package as absent makes jsonschema
  skip it.
- CPython's collector looks at the young objects every 700 net allocations and at everything
  every hundredth time. The kit's processes import Jupyter, Solara and matplotlib and build
  large graphs that live as long as they do (definitions, widgets, notebooks), so most of its
  work walked objects that were never garbage: 18% of the CPU of the CLI and of the test
  processes, measured here with the collector's callbacks. Looking 14 times less often cut
  the test processes' share to about 40%; a process then holds up to 10,000 young objects more
  before they are looked at (a few MB at most).
"""

from __future__ import annotations

import gc
import sys

sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

THRESHOLDS = (10_000, 10, 10)  # CPython's: (700, 10, 10)
gc.set_threshold(*THRESHOLDS)
