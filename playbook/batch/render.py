"""Executed notebooks -> files: HTML through nbconvert (written by `playbook.fsio.write_atomic`)."""

from __future__ import annotations

import ast
import contextlib
import json
from typing import Any


class Renderer:
    """Holds one HTML exporter for the life of a worker process (building one costs ~0.3 s).

    Reports use the kit's `playbook_report` template (no code, no prompts, no CDN scripts, print
    CSS) and carry the workshop's branding, read from the notebook's papermill parameters.
    """

    def __init__(self, template: str = "playbook_report", paper: str = "a4") -> None:
        self.template = template
        self.paper = paper
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
        brand(nb, self.paper)
        body, _ = self.exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
        return str(body)


def _parameters(nb: Any) -> dict[str, Any]:
    """The job's parameters: papermill's metadata, else the literals of the injected-parameters cell."""
    found = nb.get("metadata", {}).get("papermill", {}).get("parameters") or {}
    if found:
        return dict(found)
    for cell in nb.get("cells", []):
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            out: dict[str, Any] = {}
            try:
                body = ast.parse(cell.get("source", "")).body
            except SyntaxError:
                return {}
            for node in body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                    with contextlib.suppress(ValueError):
                        out[node.targets[0].id] = ast.literal_eval(node.value)
            return out
    return {}


def brand(nb: Any, paper: str = "a4") -> None:
    """Add `metadata.playbook` (client, title, date, team, logo, accent) from the papermill parameters.

    Branding never fails a report: without a readable workshop the page is rendered plainly.
    """
    params = _parameters(nb)
    if "playbook" in nb.get("metadata", {}) or not isinstance(params.get("workshop"), str):
        return
    from playbook.errors import PlaybookError
    from playbook.publish.handouts import branding
    from playbook.workshop import Folder

    try:
        folder = Folder(params["workshop"])
    except (PlaybookError, OSError):
        return
    team = params.get("team")
    name = next((t.name for t in folder.config.teams if t.id == team), team) if team else "All teams"
    nb["metadata"]["playbook"] = branding(folder, paper, name)


def notebook_json(nb: Any) -> str:
    """An executed notebook as .ipynb text (json directly: nbformat.writes validates, slowly)."""
    return json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


