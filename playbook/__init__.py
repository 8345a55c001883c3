"""Workshop Playbook: exercise definitions, scoring and reports for customer workshops.

The engine is importable without any Jupyter UI package; `widgets` builds on it.
"""

__version__ = "0.1.0"
