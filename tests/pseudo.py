"""A throwaway test language, never shipped: every definition text and interface message, and
every word a team typed, turned into accented look-alikes (`Team` -> `Ţéáɱ`).

Made under a tmp folder and found through `$PLAYBOOK_CATALOGUES` (which comes before the
kit's own catalogues), it lets a test render everything in "another language" whatever the
state of the real translations: any run of plain ASCII letters left in a page is an English
string that did not go through the catalogues (a string not marked for translation, or not
reaching the one place that applies the language); tests/leftover.py finds it. Placeholders
(`%(name)s`, `{value:.0f}`) are kept as they are, so the catalogues pass the completeness
check. It stands in for French (`fr`): a workshop may only be in a language its definitions'
text rules read (playbook.scoring), and French numbers and dates are written the French way
(only the month names of dates are ASCII words, which tests/leftover.py knows).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from playbook.i18n import languages
from playbook.model import exercises
from playbook.model import i18n as definitions
from playbook.paths import copy_example

TAG = "fr"
_PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ACCENTED = "áƀçďéƒĝĥíĵķĺɱñóþǫŕšţúṽŵẋýžÁƁÇĎÉƑĜĤÍĴĶĹṀÑÓÞǪŔŠŢÚṼŴẊÝŽ"
_MAP = str.maketrans(_PLAIN, _ACCENTED)
_KEEP = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%%|\{[^{}]*\}")


def pseudo(text: str) -> str:
    """`text` with every ASCII letter accented, placeholders left as they are."""
    out, last = [], 0
    for m in _KEEP.finditer(text):
        out += [text[last:m.start()].translate(_MAP), m.group(0)]
        last = m.end()
    return "".join([*out, text[last:].translate(_MAP)])


def write_catalogues(root: Path, tag: str = TAG) -> Path:
    """`root/content/<tag>/*.yml` and `root/locale/<tag>/LC_MESSAGES/messages.po`: everything
    'translated'. Returns `root`, the value for $PLAYBOOK_CATALOGUES."""
    for ex in exercises.all_exercises():
        path = root / "content" / tag / f"{ex.id}.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        body = {k: {"en": v, "text": pseudo(v)} for k, v in definitions.strings(ex).items()}
        path.write_text(yaml.safe_dump(body, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    with (languages.locale_root() / "messages.pot").open("rb") as f:
        template = read_po(f)
    po = Catalog(locale=tag.replace("-", "_"))
    po.update(template)
    for m in po:
        if not m.id:
            continue
        if isinstance(m.id, tuple | list):
            m.string = tuple(pseudo(m.id[0] if n == 0 else m.id[1]) for n in range(po.num_plurals))
        else:
            m.string = pseudo(m.id)
    path = root / "locale" / tag / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    write_po(buf, po)
    path.write_bytes(buf.getvalue())
    return root


# --- a workshop whose every typed word is in the test language ----------------------------------

def _typed(value: Any, field: Any) -> Any:
    """A team's answer with its free text in the test language (ids, dates and numbers kept)."""
    kind = field.type
    if kind in ("short_text", "long_text") and isinstance(value, str):
        return pseudo(value)
    if kind == "notes" and isinstance(value, list):
        texts = {a.id for a in field.attributes if a.kind != "date"}
        return [pseudo(n) if isinstance(n, str) else
                {k: (pseudo(v) if (k == "text" or k in texts) and isinstance(v, str) else v) for k, v in n.items()}
                for n in value]
    return value


def workshop(dest: Path, tag: str = TAG, teams: int = 2) -> Path:
    """A copy of the example workshop in `tag`: its client, title, team names, members and every
    typed answer in the test language, and its first `teams` teams only (a smaller batch)."""
    folder = copy_example(dest)
    cfg = yaml.safe_load((folder / "workshop.yml").read_text(encoding="utf-8"))
    cfg["language"] = tag
    for key in ("client", "title", "facilitator"):
        cfg[key] = pseudo(cfg[key])
    cfg["teams"] = cfg["teams"][:teams]
    for team in cfg["teams"]:
        team["name"] = pseudo(team["name"])
        team["members"] = [pseudo(m) for m in team["members"]]
    (folder / "workshop.yml").write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
    kept = {t["id"] for t in cfg["teams"]}
    for path in (folder / "answers").glob("*.yml"):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        doc["teams"] = {tid: {ex_id: {fid: _typed(v, exercises.get(ex_id).fields[fid])
                                      if fid in exercises.get(ex_id).fields else v for fid, v in given.items()}
                              for ex_id, given in by_ex.items()}
                        for tid, by_ex in doc["teams"].items() if tid in kept}
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder
