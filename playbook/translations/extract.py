"""The interface messages of the kit, as Babel extracts them (babel.cfg at the checkout's top)."""

from __future__ import annotations

import io
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg

from playbook.errors import PlaybookError
from playbook.paths import _checkout
from playbook.publish.html import compact
from playbook.version import __version__

CONFIG = "babel.cfg"
COMMENT_TAGS = ("Translators:",)
PROJECT = "Workshop Playbook"


def templates(fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str],
              options: Mapping[str, Any]) -> Iterator[tuple[int, str, Any, list[str]]]:
    """Babel's extractor for the kit's `.html.j2` templates: their layout dropped first (as at
    run time), then Jinja's own extractor; calls whose message is not a literal are skipped
    (`_(STEP_MODES[mode])`: the literal is marked with `N_` where it is written)."""
    from jinja2.ext import babel_extract

    source = fileobj.read().decode("utf-8")
    name = getattr(fileobj, "name", "")
    text = compact(source) if str(name).endswith(".html.j2") or not name else source
    found = babel_extract(io.BytesIO(text.encode("utf-8")), list(keywords), list(comment_tags), dict(options))
    for lineno, func, message, comments in found:
        parts = message if isinstance(message, tuple) else (message,)
        if parts and parts[0]:
            yield lineno, func, message, comments


def root() -> Path:
    """The checkout extraction runs in (the messages are read from its sources)."""
    found = _checkout()
    if found is None or not (found / CONFIG).is_file():
        raise PlaybookError("the interface messages are extracted from a checkout of the kit", file=CONFIG,
                            fix="run this in a clone of the repository (git clone ...; make catalogues)")
    return found


def template() -> Catalog:
    """Every interface message of the kit's sources, with where each is used (no line numbers)."""
    base = root()
    with (base / CONFIG).open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    catalog = Catalog(project=PROJECT, version=__version__, msgid_bugs_address="", charset="utf-8",
                      fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            base, method_map, options_map, comment_tags=COMMENT_TAGS, strip_comment_tags=True):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog
