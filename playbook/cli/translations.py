"""`playbook translations`: check a language's catalogues, bring them up to date, add a language.

A thin layer over `playbook.translations` (check, update); for translators and the kit's
developers, in a checkout of the kit.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from playbook.i18n import _


@click.group("translations")
def translations_group() -> None:
    """Check, update and add the languages of worksheets, handouts and reports.

    Each language has definition catalogues (playbook/content/LANG/*.yml: per text, the English
    it was translated from and the translation) and a catalogue of interface messages
    (playbook/locale/LANG/LC_MESSAGES/messages.po). Both are plain text a translator edits.

    \b
    Example:
      playbook translations check fr
      playbook translations update
      playbook translations add de
    """


@translations_group.command("check")
@click.argument("languages", nargs=-1, metavar="[LANG]...")
@click.option("--all", "show_all", is_flag=True, help="List every problem, not the first 40 of each language.")
def check_cmd(languages: Sequence[str], show_all: bool) -> None:
    """List, per language, the texts and messages missing, extra, stale (the English changed
    since they were translated; fuzzy or obsolete messages) and those whose placeholders differ
    from the English. Exits with status 1 when any language is incomplete, or when the message
    template is out of date with the code.

    \b
    Example:
      playbook translations check
      playbook translations check pt-BR --all
    """
    from playbook import i18n
    from playbook.errors import PlaybookError
    from playbook.translations import check

    tags = [i18n.language(t).tag for t in languages] or None
    reports = check.check(tags)
    try:
        template = check.template_problems()
    except PlaybookError:  # an installed kit has no sources to extract from: its template is as shipped
        template = []
    for problem in template:
        click.echo(problem.text())
    for report in reports:
        click.echo(report.text(None if show_all else 40))
    if not reports:
        click.echo(_("No translated language yet: add one with 'playbook translations add LANG'."))
    if template or not all(r.complete for r in reports):
        raise click.exceptions.Exit(1)


@translations_group.command("update")
@click.argument("languages", nargs=-1, metavar="[LANG]...")
def update_cmd(languages: Sequence[str]) -> None:
    """Extract the interface messages into playbook/locale/messages.pot and bring every
    language's catalogues in step with it and with the definitions: new texts are added with
    their English and no translation, changed messages become fuzzy with the old translation as
    a suggestion; no translation is lost or rewritten. Run from a checkout (make catalogues).

    \b
    Example:
      playbook translations update
      playbook translations update fr
    """
    from playbook import i18n
    from playbook.translations import update

    changed = update.update([i18n.language(t).tag for t in languages] or None)
    for line in changed:
        click.echo(line)
    if not changed:
        click.echo(_("Every catalogue is up to date."))


@translations_group.command("add")
@click.argument("language", metavar="LANG")
def add_cmd(language: str) -> None:
    """Make the catalogues of a new language (a BCP 47 tag: de, es-MX, zh-Hant), to translate.

    \b
    Example:
      playbook translations add de
    """
    from playbook.translations import update

    tag, made = update.add(language)
    for line in made:
        click.echo(line)
    click.echo(_("Translate the files above, then check them with: playbook translations check %(tag)s") % {"tag": tag})
