"""The ipywidgets layer of Workshop Playbook: worksheet forms, autosave, live charts, dashboard.

It imports `playbook`, never the reverse. Its contents arrive with the live-worksheet issue.
"""

__all__: list[str] = []
