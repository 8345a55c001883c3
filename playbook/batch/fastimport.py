"""Imported first in batch worker processes (`playbook.batch.executors.BOOT`), in the kit's
own processes (every `playbook` command, and the demo), and in the test suite's
processes (pytest's `-p` in pyproject.toml).

`import nbformat` imports jsonschema, which builds Lark grammars for the optional
`rfc3987_syntax` package: 1-3 s in every process (jsonschema issue 1428), for IRI format
checks that notebook validation never uses. Marking the package as absent makes jsonschema
skip it. No playbook module does this on import, so it never changes jsonschema's behaviour
in a user's own process (a notebook calling `playbook.build_reports`).
"""

from __future__ import annotations

import sys

sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
