"""The kit's languages: which there are, the one in use, its messages and its formats.

The bottom of the kit (beside `fsio` and `paths`): every layer may mark a string with `_`.
Languages are found from the catalogues (`languages`); interface strings are gettext messages
compiled from `.po` files with Babel (`messages`); dates and numbers are written the locale's
way (`formats`). Definition texts have their own key catalogues (`playbook.model.i18n`), and a
workshop's language selects both (`playbook.workshop.Folder.speaking`).
"""

from playbook.i18n.languages import SOURCE, available, native_name, normalise, resolve
from playbook.i18n.messages import N_, Language, _, activate, current, gettext, language, ngettext, use

__all__ = ["N_", "SOURCE", "Language", "_", "activate", "available", "current", "gettext", "language",
           "native_name", "ngettext", "normalise", "resolve", "use"]
