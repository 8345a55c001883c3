"""Chinese (and any CJK) text in charts and PDFs: drawn with a CJK font, never as silent boxes.

Charts find the font through fontconfig, as Chromium does (`playbook.publish.fonts`); the seam
for a machine without one is fontconfig's own: FONTCONFIG_FILE naming a configuration with no
font folders (`no_fonts`). Without the font, one `MissingFontWarning` names fonts-noto-cjk.
The PDF test prints one report page with a Chinese client, team name and answers through the
kit's printer, then reads it back with pdffonts and pdftotext (poppler-utils, make test installs it).
Chromium embeds Noto Sans CJK (a CFF font) as Type 3 fonts: pdffonts shows no name for them, the
font descriptors in the file do.
"""

from __future__ import annotations

import io
import re
import subprocess
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from matplotlib.figure import Figure
from matplotlib.image import imread

from playbook import paths
from playbook.batch.plan import plan
from playbook.batch.runner import check_fonts
from playbook.cli import cli, main
from playbook.errors import MissingFontWarning
from playbook.publish import charts, fonts

CLIENT = "华东数据分析有限公司"
TEAM = "客户成功团队"
SCOPE = "我们一百四十家中型客户的数据负责人和报表制作人；公司内部决定路线图的产品经理。"
LONG_WORD = "https://brightline.example.com/reports/board-pack/2026-11-16/revenue-export-final-v7-really-final.xlsx"
REFLECTION = f"我们以为流失风险表现为登录次数少。实际上是客户的分析师离职了。见 {LONG_WORD}"


@pytest.fixture
def no_fonts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A machine without fonts, as fontconfig (and so the kit) sees it: a configuration naming
    no font folders. Each test gets its own, so each may warn once."""
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
                    f"<fontconfig><cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>\n", encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    return conf


def test_the_cjk_font_is_found_through_fontconfig(no_fonts: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert fonts.cjk_font() is None and charts.font_family() == [charts.LATIN]
    monkeypatch.delenv("FONTCONFIG_FILE")
    found = fonts.cjk_font()  # make test installs fonts-noto-cjk
    assert found is not None and found.family == fonts.SANS and found.file.is_file(), found
    assert charts.font_family() == [charts.LATIN, fonts.SANS]


@pytest.mark.parametrize(("text", "cjk"), [
    ("Customer Success", False), ("Chloé Martin, Ελένη, Łódź", False), (TEAM, True),
    ("営業チーム", True), ("영업팀", True), ("Team ＡＢ", True), ("", False),
])
def test_has_cjk(text: str, cjk: bool) -> None:
    assert fonts.has_cjk(text) is cjk


@pytest.mark.parametrize(("language", "cjk"), [("zh-Hans", True), ("zh", True), ("ja", True), ("ko_KR", True),
                                               ("en", False), ("pt-BR", False), ("", False)])
def test_cjk_languages(language: str, cjk: bool) -> None:
    assert fonts.is_cjk_language(language) is cjk


@pytest.mark.parametrize(("text", "width", "lines"), [
    ("Customer Success", 22, ["Customer Success"]),  # fits: as it was
    ("Stage: awareness no single A", 18, ["Stage: awareness", "no single A"]),
    ("客户成功与售后支持团队", 16, ["客户成功与售后支", "持团队"]),  # a CJK character is two columns wide
    # an opening bracket goes with the character after it, a comma with the one before
    ("产品市场部（华东区），负责续约", 12, ["产品市场部", "（华东区），", "负责续约"]),
    ("Supercalifragilistic word", 10, ["Supercalif", "ragilistic", "word"]),  # a word longer than a line
    ("客户 Success 团队", 10, ["客户", "Success 团", "队"]),
])
def test_chart_labels_wrap_in_every_script(text: str, width: int, lines: list[str]) -> None:
    assert charts._wrap(text, width).split("\n") == lines


# --- one chart ------------------------------------------------------------------------------

# Two team names of three characters: few strokes against many. Drawn as glyphs they differ in
# ink; drawn as boxes (no CJK font) they are the same three boxes.
LIGHT, DARK = "一二三", "鑫爨龘"


def _gut_chart(example_readonly: Path) -> Figure:
    from playbook.answers.results import score_folder
    from playbook.model import exercises

    fit = [r.result for r in score_folder(example_readonly) if r.exercise == "fit_assessment"]
    spec = next(c for s in exercises.get("fit_assessment").report for c in s.charts if c.kind == "gut_vs_evidence")
    return charts.gut_vs_evidence({LIGHT: fit[0], DARK: fit[1]}, spec.metric or "", title="直觉判断与证据对比")


def _label_ink(fig: Figure) -> list[float]:
    """How dark each y tick label is in the chart's PNG (the sum of 1 - grey over its box)."""
    image = imread(io.BytesIO(charts.png(fig)))
    grey = image[..., :3].mean(axis=2)
    height = grey.shape[0]
    ink = []
    for label in fig.axes[0].get_yticklabels():
        box = label.get_window_extent()
        rows = slice(int(height - box.y1), int(height - box.y0) + 1)
        ink.append(float((1 - grey[rows, int(box.x0):int(box.x1) + 1]).sum()))
    return ink


def test_chinese_chart_draws_glyphs_not_boxes(example_readonly: Path, no_fonts: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.warns(MissingFontWarning) as caught:
        boxes = _label_ink(_gut_chart(example_readonly))  # the same chart with no CJK font
    assert len(caught) == 1  # one warning, and none of matplotlib's per missing glyph
    monkeypatch.delenv("FONTCONFIG_FILE")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        fig = _gut_chart(example_readonly)
        glyphs = _label_ink(fig)
    assert [str(w.message) for w in seen] == []  # no "Glyph ... missing" and no font warning
    assert boxes[0] == pytest.approx(boxes[1], rel=0.05)  # boxes: as dark whatever the character
    assert glyphs[1] > 2.5 * glyphs[0], glyphs  # glyphs: many strokes are darker than few
    assert glyphs != boxes
    assert f"{LIGHT}: gut call" in charts.alt_text(fig) and f"{DARK}: gut call" in charts.alt_text(fig)


def test_without_a_cjk_font_one_warning_names_the_package(no_fonts: Path) -> None:
    with pytest.warns(MissingFontWarning) as caught:
        for title in ("条形图", "另一张"):
            charts.png(charts.bars({TEAM: 40.0, "Proof": None}, title=title))
    assert len(caught) == 1, [str(w.message) for w in caught]
    text = str(caught[0].message)
    assert "'条形图'" in text and "empty boxes" in text and "apt-get install fonts-noto-cjk" in text
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert fonts.check(["Customer Success"], "an English chart")  # nothing to draw in CJK: no warning


@pytest.mark.filterwarnings("default::playbook.errors.PlaybookWarning")
def test_the_command_prints_the_warning_once(no_fonts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    @click.command("draw-chinese")
    def draw() -> None:
        for _ in range(2):
            charts.png(charts.bars({TEAM: 40.0}, title="条形图"))
        click.echo("drawn")

    cli.add_command(draw)
    try:
        assert main(["draw-chinese"]) == 0
    finally:
        cli.commands.pop("draw-chinese")
    out = capsys.readouterr()
    assert out.out == "drawn\n"
    assert out.err.count("warning:") == 1 and "fix: install Debian's fonts-noto-cjk" in out.err, out.err


def test_a_report_batch_warns_before_it_runs(example_copy: Path, no_fonts: Path) -> None:
    """The charts are drawn in kernels, where no one sees a warning: the batch checks first."""
    english = plan([example_copy]).workshops[0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check_fonts(english)
    cfg = yaml.safe_load((example_copy / "workshop.yml").read_text(encoding="utf-8"))
    cfg["teams"][1]["name"] = TEAM
    (example_copy / "workshop.yml").write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    with pytest.warns(MissingFontWarning, match=f"the reports of {example_copy}"):
        assert not check_fonts(plan([example_copy]).workshops[0])


# --- one PDF ----------------------------------------------------------------------------------


def _chinese_workshop(root: Path) -> Path:
    """The example with a Chinese client, first team name and answers (one with a long URL)."""
    folder = paths.copy_example(root / "acme")
    cfg = yaml.safe_load((folder / "workshop.yml").read_text(encoding="utf-8"))
    cfg["client"] = CLIENT
    cfg["teams"][0]["name"] = TEAM
    (folder / "workshop.yml").write_text(yaml.safe_dump(cfg, sort_keys=False, allow_unicode=True), encoding="utf-8")
    path = folder / "answers" / "empathy_audit.yml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    north = doc["teams"]["north"]["empathy_audit"]
    north["customers_in_scope"], north["reflection"] = SCOPE, REFLECTION
    north["contact_log"][0]["with_whom"] = "数据负责人 王敏"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A Chinese team's report as HTML (lang zh-Hans) and PDF, and the printer's browser."""
    from playbook.publish import handouts, report
    from playbook.publish import nbtemplates as templates
    from playbook.publish.pdf import PdfPrinter
    from playbook.workshop import Folder

    folder = Folder(_chinese_workshop(tmp_path_factory.mktemp("cjk")))
    meta = handouts.branding(folder, "a4", team=TEAM) | {"lang": "zh-Hans"}  # what a Chinese workshop sets
    page = folder.reports_dir / "team-north.html"
    page.parent.mkdir(parents=True)
    page.write_text(handouts.render(templates.REPORT, handouts.notebook(report.team_html(folder, "north"), TEAM, meta)),
                    encoding="utf-8")
    with PdfPrinter("a4") as printer:
        pdf = printer.print(page, page.with_suffix(".pdf"), {"client": CLIENT, "title": "工作坊", "team": TEAM})
        yield {"html": page, "pdf": pdf, "printer": printer}


def _poppler(tool: str, pdf: Path, *args: str) -> str:
    return subprocess.run([tool, *args, str(pdf), *(["-"] if tool == "pdftotext" else [])], capture_output=True,
                          text=True, check=True).stdout


@pytest.mark.slow
def test_the_chinese_pdf_embeds_a_cjk_font_and_holds_the_text(printed: dict[str, Any]) -> None:
    """Chromium (Skia) embeds a CFF-flavoured OpenType font such as Noto Sans CJK as Type 3 fonts:
    pdffonts lists them as "[none] Type 3", embedded and mapped to Unicode, while their font
    descriptors still name the font. Latin text stays in DejaVu Sans (CID TrueType)."""
    rows = [line.split() for line in _poppler("pdffonts", printed["pdf"]).splitlines()[2:]]
    assert rows and all(r[-5] == "yes" and r[-3] == "yes" for r in rows)  # every font embedded, with Unicode
    assert any(r[1:3] == ["Type", "3"] for r in rows) and any(r[0].endswith("+DejaVuSans") for r in rows)
    named = set(re.findall(rb"/FontName /[A-Z]{6}\+([\w-]+)", printed["pdf"].read_bytes()))
    assert b"NotoSansCJKsc-Regular" in named, named
    # in the order drawn (-raw: a line ending in "-" keeps it); CJK lines wrap anywhere, so no spaces
    text = "".join(_poppler("pdftotext", printed["pdf"], "-raw").split())
    for expected in (CLIENT, TEAM, SCOPE, "数据负责人王敏", REFLECTION.split("见")[0], LONG_WORD):
        assert "".join(expected.split()) in text, expected
    assert '<html lang="zh-Hans">' in printed["html"].read_text(encoding="utf-8")


@pytest.mark.slow
def test_long_words_and_chinese_wrap_on_the_printed_page(printed: dict[str, Any]) -> None:
    """Printed at A4 width, nothing is wider than the page: the long URL and the Chinese text wrap."""
    context = printed["printer"].browser.new_context(java_script_enabled=True, offline=True,
                                                     viewport={"width": 680, "height": 900})
    try:
        page = context.new_page()
        page.emulate_media(media="print")
        page.goto(printed["html"].resolve().as_uri())
        widest = page.evaluate("""() => Math.max(...[...document.querySelectorAll('td, th, p, li')]
            .map(e => e.getBoundingClientRect().right))""")
        assert widest <= 680, widest
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 680
    finally:
        context.close()


@pytest.mark.slow
def test_a_pdf_with_chinese_warns_when_no_font_would_draw_it(printed: dict[str, Any], no_fonts: Path,
                                                             tmp_path: Path) -> None:
    page = tmp_path / "short.html"
    page.write_text(f"<html><body><p>{TEAM}</p></body></html>", encoding="utf-8")
    with pytest.warns(MissingFontWarning, match="short.pdf"):
        printed["printer"].print(page, tmp_path / "short.pdf")  # checked with fc-list before printing
