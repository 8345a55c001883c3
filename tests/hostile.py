"""Hostile text for every field of a definition and of workshop.yml, for the handout tests."""

from __future__ import annotations

from pathlib import Path

import yaml

from playbook.model import exercises, i18n
from playbook.model.exercises import Exercise
from playbook.paths import copy_example

LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitän" * 8
HOSTILE = [
    "<script>window.__pwned = 'script'</script>",
    "<img src=x onerror=\"window.__pwned='img'\">",
    "\"><svg onload=\"window.__pwned='svg'\"></svg>",
    "<a href=\"javascript:window.__pwned='link'\">click me</a>",
    "[click](javascript:window.__pwned='md') **bold** `code` # not a heading",
    "</td></tr></table></main><h1 onclick=\"window.__pwned='h1'\">Injected</h1>",
    "<style>body{display:none}</style><iframe src=\"https://example.com/\"></iframe>",
    "{{ 7*7 }} {% raw %} ${7*7} &amp; &lt;b&gt;",
    LONG_WORD,
    "مرحبا بالعالم، هذا نص من اليمين إلى اليسار",
    "客户同理心审计：我们真的了解客户吗？",
]
NOTE_MARK = "FACILITATOR-ONLY-"


def hostile_exercise(ex: Exercise) -> Exercise:
    """`ex` with every translatable text hostile; facilitator notes carry a unique marker."""
    catalog = {}
    for n, key in enumerate(sorted(i18n.strings(ex))):
        if ".metrics." in key and key.endswith(".unit"):
            continue  # a metric's unit is a keyword (percent, points), not text
        text = HOSTILE[n % len(HOSTILE)]
        catalog[key] = f"{NOTE_MARK}{n} {text}" if key.endswith(".facilitator_notes") else text
    return i18n.localise(ex, catalog)


def hostile_exercises() -> list[Exercise]:
    return [hostile_exercise(ex) for ex in exercises.all_exercises()]


def hostile_workshop(tmp: Path) -> Path:
    """A copy of the example workshop whose client, title, facilitator and team names are hostile."""
    folder = copy_example(tmp / "acme")
    cfg = yaml.safe_load((folder / "workshop.yml").read_text(encoding="utf-8"))
    cfg["client"] = HOSTILE[0] + " " + HOSTILE[9]
    cfg["title"] = HOSTILE[1] + " " + HOSTILE[10]
    cfg["facilitator"] = HOSTILE[3]
    cfg["teams"][0]["name"] = "../../etc"
    cfg["teams"][1]["name"] = HOSTILE[2]
    cfg["branding"]["accent"] = "#ffee00"  # far too light for text: must be darkened
    (folder / "workshop.yml").write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return folder
