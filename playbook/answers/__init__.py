"""Team answers: the answers format (format), the response store (store), import and export
(transfer), and a workshop's answers scored (results).

The package's face re-exports the answers format's names: `check`, `check_value`, `parse`,
`load_file`, `load_dir`, `Answers` and `FORMAT`, and names the store's environment variable,
`ENV_URL`, here rather than in the store: what only reads answers files or snapshots (a
report kernel) never imports SQLAlchemy (20 MB).
"""

from playbook.answers.format import FORMAT, Answers, check, check_value, load_dir, load_file, parse

ENV_URL = "PLAYBOOK_STORE_URL"  # an SQLAlchemy URL: a shared store instead of the folder's responses.db

__all__ = ["ENV_URL", "FORMAT", "Answers", "check", "check_value", "load_dir", "load_file", "parse"]
