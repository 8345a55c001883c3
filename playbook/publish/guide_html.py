"""HTML fragments of the facilitator guide: agenda, notes per step, statistics, references.

The only module that prints `facilitator_notes` and fields' `reveal` texts (the reference a
team sees only after its own answer). Every text is data and is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence

from playbook.model.exercises import Exercise, Step
from playbook.publish.handout_html import MODES, TRACED, e, facts, minutes


def _clock(offset: int) -> str:
    return f"{offset // 60}:{offset % 60:02d}"


def agenda(exercises: Sequence[Exercise]) -> str:
    """One table across the exercises, with the running time from the start of the session."""
    rows, t = [], 0
    for ex in exercises:
        rows.append(f'<tr><th scope="rowgroup" colspan="4">{e(ex.title)}</th></tr>')
        for s in ex.steps:
            rows.append(f"<tr><td>{_clock(t)}–{_clock(t + s.minutes)}</td><td>{e(s.title)}</td>"
                        f"<td>{e(MODES[s.mode])}</td><td>{e(minutes(s.minutes))}</td></tr>")
            t += s.minutes
    head = ('<tr><th scope="col" style="width:18%">Time</th><th scope="col">Step</th>'
            '<th scope="col" style="width:18%">How</th><th scope="col" style="width:14%">Length</th></tr>')
    prep = sum(ex.prep_minutes for ex in exercises)
    return (f"<h2>Agenda</h2><p>Running time {e(minutes(t))}, plus breaks; preparation about "
            f"{e(minutes(prep))} beforehand.</p>"
            f'<table class="pb-agenda"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>')


def study_year(year: int | None) -> str:
    """The year of the study behind a figure; the article quoting it is a different year."""
    return "unknown" if year is None else str(year)


def quoted_in(year: int | None) -> str:
    """The year of the article that quoted the figure, when it came through one."""
    return "\u2013" if year is None else str(year)


def statistics(ex: Exercise) -> str:
    """Each figure with its study year and the year of the article quoting it, apart: a figure
    quoted in 2018 may come from a study years older, or of no known year."""
    if not ex.statistics:
        return ""
    rows = "".join(
        f'<tr class="pb-stat"><td>{e(s.claim)}' + (f'<br><span class="pb-muted">{e(s.note)}</span>' if s.note else "")
        + f"</td><td>{e(s.figure)}</td><td>{e(s.source)}</td><td>{e(study_year(s.year))}</td>"
        f"<td>{e(quoted_in(s.quoted_year))}</td>"
        f'<td><span class="pb-traced pb-traced-{e(s.traced)}">{e(s.traced)}</span><br>'
        f'<span class="pb-muted">{e(TRACED[s.traced])}</span></td></tr>'
        for s in ex.statistics
    )
    head = ('<tr><th scope="col" style="width:29%">Claim</th><th scope="col" style="width:14%">Figure</th>'
            '<th scope="col">Source</th><th scope="col" style="width:8%">Study year</th>'
            '<th scope="col" style="width:8%">Quoted in</th><th scope="col" style="width:15%">Traced</th></tr>')
    return ('<div class="pb-keep"><h3>Statistics and how far to trust them</h3><p>Quote a figure only with its '
            'source and year; say so when it is not traced.</p>'
            f'<table class="pb-stats"><thead>{head}</thead><tbody>{rows}</tbody></table></div>')


def references(ex: Exercise) -> str:
    if not ex.references:
        return ""
    items = "".join(f"<li><b>{e(r.title)}</b>, {e(r.author)}" + (f". {e(r.note)}" if r.note else "") + "</li>"
                    for r in ex.references)
    return f"<h3>References</h3><ul>{items}</ul>"


def reveals(ex: Exercise, step: Step) -> str:
    """The reveal texts of the step's fields, for the facilitator to hold back until the team answered."""
    sections = {s.id: s for s in ex.sections}
    out = []
    for sid in step.sections:
        for f in sections[sid].fields:
            if f.reveal:
                text = "<br>".join(e(line) for line in f.reveal.splitlines())
                out.append('<div class="pb-notes pb-reveal"><p class="pb-notes-label">Reveal after the team\'s own '
                           f"draft: {e(f.label)}</p><p>{text}</p></div>")
    return "".join(out)


def guide_exercise(ex: Exercise) -> str:
    steps = []
    for n, s in enumerate(ex.steps, 1):
        notes = (f'<div class="pb-notes"><p class="pb-notes-label">Facilitator notes</p><p>{e(s.facilitator_notes)}</p>'
                 "</div>" if s.facilitator_notes else "")
        steps.append(f'<div class="pb-step"><h4>{n}. {e(s.title)} <span class="pb-muted">({e(minutes(s.minutes))}, '
                     f"{e(MODES[s.mode]).lower()})</span></h4><p>{e(s.instructions)}</p>{notes}{reveals(ex, s)}</div>")
    return (f'<section class="pb-exercise"><h2>{e(ex.title)}</h2><p class="pb-lead">{e(ex.summary)}</p>'
            f"{facts(ex)}<p><b>Preparation:</b> about {e(minutes(ex.prep_minutes))}. {e(ex.purpose)}</p>"
            f'<h3>Steps</h3>{"".join(steps)}{statistics(ex)}{references(ex)}</section>')


def guide(title: str, exercises: Sequence[Exercise]) -> list[str]:
    intro = (f"<h1>Facilitator guide</h1><p class=\"pb-lead\">{e(title)}</p>"
             "<p>For the facilitator only: the notes below are not in the participants' handouts.</p>")
    return [intro + agenda(exercises), *(guide_exercise(ex) for ex in exercises)]
