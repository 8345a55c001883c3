"""One small stylesheet for worksheets and the dashboard, sent as an HTML widget.

ipywidgets' defaults clip tab titles at a fixed width, use a monospace font in text areas
and the widget line height in paragraphs, and keep labels and buttons on one line cut short
with "…"; a participant should see none of that. Text wraps instead, in every language: at
spaces, between CJK characters, and inside a word too long for its box.
"""

from __future__ import annotations

import ipywidgets as W

CSS = """<style>
.playbook .jupyter-widgets.jupyter-widget-tab > .lm-TabBar .lm-TabBar-tab {
  flex: 0 0 auto; max-width: none; }
.playbook textarea { font-family: inherit; }
.playbook .widget-html-content { line-height: 1.45; }
.playbook td:first-child { white-space: nowrap; }
.playbook .widget-html-content { overflow-wrap: anywhere; }
.playbook .widget-label, .playbook .widget-label-basic, .playbook .jupyter-button {
  /* one line as high as before (28 px), centred as before; more lines when the text needs them */
  white-space: normal; overflow-wrap: anywhere; height: auto; line-height: 1.3;
  padding-top: calc((var(--jp-widgets-inline-height) - 1.3em) / 2);
  padding-bottom: calc((var(--jp-widgets-inline-height) - 1.3em) / 2); }
.playbook .widget-button:not([style*="width"]) {  /* a fixed 148 px cut "Reveal: How well …" short */
  width: fit-content; min-width: var(--jp-widgets-inline-width-short); max-width: 100%; }
.playbook .widget-checkbox { height: auto; }
.playbook .jupyter-widget-tab > .lm-TabBar { min-height: fit-content; }
.playbook .jupyter-widget-tab > .lm-TabBar > .lm-TabBar-content { flex-wrap: wrap; }
</style>"""


def stylesheet() -> W.HTML:
    return W.HTML(CSS, layout=W.Layout(display="none"))
