"""The translators' tools: extract the interface strings, keep every catalogue in step with the
English, and check that a language is complete.

Two kinds of catalogue, one per language each (`playbook.i18n.languages` finds them):
definition texts in `playbook/content/<tag>/<exercise>.yml` (`{en, text}` per key,
`playbook.model.i18n`) and interface messages in `playbook/locale/<tag>/LC_MESSAGES/messages.po`
(gettext, from the template `playbook/locale/messages.pot`). `extract` reads the messages out
of the code, `update` brings every catalogue up to date without losing a translation, `check`
lists what a language still lacks. The `playbook translations` command runs them.

It reads every layer of the kit (its strings are everywhere), so it sits just below the CLI.
"""
