"""Imported first, and only, in batch worker processes (the forkserver's preload list).

`import nbformat` imports jsonschema, which builds Lark grammars for the optional
`rfc3987_syntax` package: 1-3 s in every process (jsonschema issue 1428), for IRI format
checks that notebook validation never uses. Marking the package as absent makes jsonschema
skip it. This is not done on import of any other playbook module, so it never changes
jsonschema's behaviour in a user's own process.
"""

from __future__ import annotations

import sys

sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
