"""The attribution registry, pipeline, word lists and quote-mark table: every emitted rule is registered,
each registered example produces its rule, the README's rule list is the registry's."""
import re
from pathlib import Path

import pytest

from quotedesk.core.attribution import attribute_text
from quotedesk.core.attribution import marks, pipeline, quoted, words
from quotedesk.core.attribution.rules import RULES, readme_table, retype

README = Path(__file__).resolve().parents[2] / "README.md"

EXAMPLES = [r for r in RULES.values() if not r.retyped]

# Invented wire copy touching many rules at once.
STORY = (
    "Kovac: Port Will Stay Open\n"
    "CALDER (NWS) - Harbour Master Ana Kovac said on Tuesday that the quay would stay open all winter.\n"
    "“We have the cranes, and we will use them,” Kovac told reporters. “Nobody should doubt it.”\n"
    "Opposition leader Ivo Marsh accused her of “gambling with the port” and said his party would vote no.\n"
    "The plan is unaffordable, said Marsh, who has led the Dock Union since 2019.\n"
    "According to the port board, traffic will fall by a third next year.\n"
    "She added: „Die Zahlen sprechen für sich.“ Officials declined to comment.\n"
    "Asked whether the ferries would run, Kovac said the timetable was under review.\n"
    "If the wall fails, Marsh said, the port will close. Kovac calls the levy ‘a gift’ to the town.\n"
)


@pytest.mark.parametrize("rule", EXAMPLES, ids=lambda r: r.name)
def test_each_registered_example_produces_its_rule(rule):
    doc = attribute_text(rule.example)
    got = [q.rule for q in doc.quotes.values()]
    assert rule.name in got, (rule.example, got)


@pytest.mark.parametrize("text", [STORY] + [r.example for r in EXAMPLES])
def test_every_emitted_rule_is_registered_with_its_type(text):
    for scheme in ("default", "polnear"):
        doc = attribute_text(text, scheme)
        for q in doc.quotes.values():
            assert q.rule in RULES, f"{q.rule!r} is not in core/attribution/rules.py"
            if scheme == "default":
                assert RULES[q.rule].type == q.type, (q.rule, q.type)


def test_retype_gives_registered_names_and_refuses_unknown_ones():
    assert retype("indirect:speaker-cue-clause", "mixed") == "mixed:speaker-cue-clause"
    assert retype("mixed:second-speaker", "indirect") == "indirect:second-speaker"
    with pytest.raises(KeyError):
        retype("direct:no-such-rule", "mixed")


def test_readme_rule_list_is_generated_from_the_registry():
    text = README.read_text(encoding="utf-8")
    m = re.search(r"<!-- rules:start -->\n(.*?)\n<!-- rules:end -->", text, re.S)
    assert m, "README.md lacks the rules:start / rules:end section"
    assert m.group(1) == readme_table(), "regenerate it: python -m quotedesk.core.attribution.rules README.md"


def test_sieve_tables_name_only_registered_rules():
    names = [n for n, *_ in quoted.DIRECT_SIEVES + quoted.LATE_DIRECT_SIEVES + quoted.PENDING_SIEVES]
    names += [n for n, _ in quoted.MIXED_SIEVES]
    emitting = [n for n in names if not n.startswith("not-speech:") and n != "direct:short-orphan"]
    assert all(n in RULES for n in emitting), [n for n in emitting if n not in RULES]


def test_pipeline_runs_its_stages_in_order():
    ctx = pipeline.run(pipeline.Context("“We stay,” Kovac said.", [(0, 22)]))
    assert ctx.stages_run == [name for name, _ in pipeline.STAGES]
    assert ctx.stages_run[:4] == ["scan", "quoted-speech", "conversation", "reported-speech"]
    assert [f.rule for f in ctx.found] == ["direct:quote-cue-speaker"]


def test_word_lists_are_read_once_each_in_order():
    assert words.words("weekdays")[0] == "Monday" and len(words.words("weekdays")) == 7
    sections = words._sections()
    assert len(sections) == len(set(sections))
    with pytest.raises(KeyError):
        words.words("no-such-list")


def test_mark_sets_come_from_the_one_table():
    chars = {c for m in marks.MARK_TABLE for c in m.opener + m.closers}
    for name in ("DOUBLE", "OPENERS_DOUBLE", "CLOSERS_DOUBLE", "OPENERS_SINGLE", "CLOSERS_SINGLE"):
        assert getattr(marks, name) <= chars, name
    assert all(m.family in ("double", "single") for m in marks.MARK_TABLE)


def test_cue_phrases_are_read_from_their_resource_file():
    doc = attribute_text("The quay, in the words of a senior adviser, is “the pride of the town.”")
    q = [q for q in doc.sorted_quotes() if q.type == "mixed"]
    assert q and doc.speaker_name(q[0]) == "a senior adviser", [(x.rule, doc.span_text(x)) for x in doc.sorted_quotes()]
    assert doc.span_text(doc.cues[q[0].cue]) == "in the words of"
    doc = attribute_text("In the words of Ana Kovac, the quay will stay open all winter.")
    assert [(q.rule, doc.speaker_name(q)) for q in doc.sorted_quotes()] == [("indirect:according-to-clause", "Ana Kovac")]
