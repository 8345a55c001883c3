"""Team answers: the answers format (format), the response store (store), import and export
(transfer), and a workshop's answers scored (results).

The package's face re-exports the answers format's names: `check`, `check_value`, `parse`,
`load_file`, `load_dir`, `Answers` and `FORMAT`.
"""

from playbook.answers.format import FORMAT, Answers, check, check_value, load_dir, load_file, parse

__all__ = ["FORMAT", "Answers", "check", "check_value", "load_dir", "load_file", "parse"]
