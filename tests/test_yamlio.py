"""The YAML reader: libyaml's parser where PyYAML has it, PyYAML's own where libyaml refuses
what PyYAML takes (surrogates, which JSON writes for emoji), and the same data, lines and
errors either way."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from playbook import yamlio
from playbook.errors import PlaybookError

ROOT = Path(__file__).resolve().parent.parent
# A definition, its Chinese catalogue, a workshop in Chinese with its answers, a test catalogue:
# every kind of YAML file the kit reads, in both scripts (PyYAML's own reader is slow: not all).
SAMPLES = sorted([ROOT / "playbook/content/fit_assessment.yml", ROOT / "playbook/content/zh-Hans/empathy_audit.yml",
                  *(ROOT / "examples/zh-Hans").rglob("*.yml"), ROOT / "tests/data/languages/fr.yml"])


def test_libyaml_is_the_parser_here() -> None:
    assert yaml.__with_libyaml__, "PyYAML without libyaml: definitions load ten times slower"
    assert yamlio._loader("a: b\n") is yaml.CSafeLoader


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_kits_files_read_the_same_with_either_parser(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = yamlio.load(path)
    monkeypatch.setattr(yamlio, "_FAST", yaml.SafeLoader)
    own = yamlio.load(path)
    assert (fast.data, fast.lines) == (own.data, own.lines)


@pytest.mark.parametrize("text", [
    '{"persona": "Ana \\ud83d\\ude00"}',  # JSON's escaped emoji
    '{"persona": "Ana \\U0000d83d\\U0000de00"}',
])
def test_escaped_surrogate_pairs_become_the_character(text: str) -> None:
    assert yamlio._loader(text) is yaml.SafeLoader
    assert yamlio.parse(text, "a.json").data == {"persona": "Ana 😀"}


@pytest.mark.parametrize("text", ['{"persona": "\\ud83d"}', "persona: a\udc00b\n"])
def test_a_lone_surrogate_is_an_error_not_a_crash(text: str) -> None:
    with pytest.raises(PlaybookError) as err:
        yamlio.parse(text, "a.yml")
    assert err.value.file == "a.yml"


@pytest.mark.parametrize(("text", "what"), [
    ("a: [" * 5_000 + "]" * 5_000 + "\n", "nesting depth"),  # libyaml stops at 1,000 levels
    ("a: " + "[" * 300 + "]" * 300 + "\n", "nested more than 200 levels deep"),
    ("".join(" " * i + "a:\n" for i in range(2_000)), "nesting depth"),
])
def test_deep_nesting_is_an_error_naming_the_file_and_line(text: str, what: str) -> None:
    with pytest.raises(PlaybookError, match=what) as err:
        yamlio.parse(text, "deep.yml")
    assert err.value.file == "deep.yml" and err.value.line is not None


def test_syntax_errors_name_the_same_line_with_either_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    cases = ["a: 1\nb: [2\nc: 3\n", "a:\n  - x\n - y\n", 'a: "open\n', "a: 1\n\tb: 2\n", "a: b: c\n"]
    fast = [_line(text) for text in cases]
    monkeypatch.setattr(yamlio, "_FAST", yaml.SafeLoader)
    assert fast == [_line(text) for text in cases]


def _line(text: str) -> int | None:
    with pytest.raises(PlaybookError, match="not valid YAML") as err:
        yamlio.parse(text, "bad.yml")
    return err.value.line
