"""`playbook import`: answers typed up from paper, exported or written by hand, into the store.

The module is `import_` because `import` is a Python keyword; the command is `playbook import`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click


@click.command("import")
@click.argument("directory", type=click.Path())
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--author", default=None, help="Recorded with every imported answer (default: the file name).")
def import_cmd(directory: str, files: Sequence[str], author: str | None) -> None:
    """Import answers (JSON, YAML or CSV) into the workshop's response store.

    Every row of a file is checked first; a file is saved whole, in one transaction, or
    not at all, and its errors list each bad row with its line number.

    \b
    Example:
      playbook import acme-2026-q4 paper-answers.csv
      playbook import acme-2026-q4 examples/acme/answers/*.yml
    """
    from playbook.answers import transfer
    from playbook.answers.store import Store
    from playbook.i18n import ngettext
    from playbook.workshop import Folder

    with Store.for_folder(Folder(directory)) as store:
        for name in files:
            count = transfer.import_file(store, name, author=author or f"import:{Path(name).name}")
            click.echo(ngettext("%(file)s: %(num)s answer saved", "%(file)s: %(num)s answers saved", count) % {
                "file": name, "num": count})
