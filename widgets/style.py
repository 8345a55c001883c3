"""One small stylesheet for worksheets and the dashboard, sent as an HTML widget.

ipywidgets' defaults clip tab titles at a fixed width, use a monospace font in text areas
and the widget line height in paragraphs; a participant should see none of that.
"""

from __future__ import annotations

import ipywidgets as W

CSS = """<style>
.playbook .jupyter-widgets.jupyter-widget-tab > .lm-TabBar .lm-TabBar-tab {
  flex: 0 0 auto; max-width: none; }
.playbook textarea { font-family: inherit; }
.playbook .widget-html-content { line-height: 1.45; }
.playbook td:first-child { white-space: nowrap; }
</style>"""


def stylesheet() -> W.HTML:
    return W.HTML(CSS, layout=W.Layout(display="none"))
