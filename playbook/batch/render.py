"""Executed notebooks -> files: HTML through nbconvert (written by `playbook.fsio.write_atomic`)."""

from __future__ import annotations

import json
from typing import Any


class Renderer:
    """Holds one HTML exporter for the life of a worker process (building one costs ~0.3 s).

    Reports use the kit's `playbook_report` template (no code, no prompts, no CDN scripts, print
    CSS for the paper size) and carry the workshop's branding: both come from the notebook's
    `metadata.playbook`, written by the worker with the job's record, so rendering reads
    nothing but the executed notebook.
    """

    def __init__(self, template: str = "playbook_report") -> None:
        self.template = template
        self._exporter: Any = None

    @property
    def exporter(self) -> Any:
        if self._exporter is None:
            from playbook.publish import nbtemplates as templates

            if self.template in templates.NAMES:
                self._exporter = templates.exporter(self.template)
            else:
                from nbconvert import HTMLExporter

                self._exporter = HTMLExporter(
                    template_name=self.template, exclude_input=True, exclude_input_prompt=True,
                    exclude_output_prompt=True,
                )
        return self._exporter

    def warm(self) -> None:
        """Build the exporter and render a small notebook once, so the first report is not slower."""
        import nbformat

        nb = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell("x")
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<p>warm</p>"})]
        nb.cells = [nbformat.v4.new_markdown_cell("# Warm"), cell]
        self.html(nb)

    def html(self, nb: Any, title: str = "Report") -> str:
        body, _ = self.exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
        # nbconvert keeps the metadata of every notebook it has rendered, by title (7 KB a report)
        getattr(self.exporter, "_nb_metadata", {}).clear()
        return str(body)


def notebook_json(nb: Any) -> str:
    """An executed notebook as .ipynb text (json directly: nbformat.writes validates, slowly)."""
    return json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
