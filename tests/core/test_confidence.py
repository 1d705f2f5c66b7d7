"""The learned confidence: a table of cell weights turned into a bounded probability, with back-off and clear fallbacks."""
import copy
import json
import logging
import math

import pytest

from quotedesk.core.attribution import attribute_text, confidence
from quotedesk.core.attribution.confidence import (ConfidenceTable, TableError, assign_confidences, estimate,
                                                   load_table, parse_table, quote_features)
from quotedesk.core.model import ORIGIN_HUMAN
from quotedesk.core.resources import resource_path

STORY = ("Harbour board backs night ferries\n\n"
         "“We will not close the port,” Ana Kovac said on Monday.\n\n"
         "Ivo Marsh, the board's treasurer, said the levy would pay for two new berths.\n\n"
         "She told reporters that the ferries would run “every hour, all night.”\n\n"
         "The plan was criticized by residents.\n\n"
         "“It is a gamble.”\n")

WORDS = {"be_words": ["was", "been"], "prepositions": ["by", "from"], "wh_words": ["whether"]}


def small_table(**weights) -> dict:
    data = {"format": "quotedesk-confidence", "version": 1, "bias": 0.5, "floor": 0.05, "ceiling": 0.95,
            "words": WORDS, "weights": {"type": {"direct": 0.4, "indirect": -0.2, "mixed": 0.0},
                                        "rule": {"direct:quote-cue-speaker": 1.0}}}
    data["weights"].update(weights)
    return data


@pytest.fixture(scope="module")
def doc():
    return attribute_text(STORY)


def test_the_shipped_table_has_the_schema():
    path = resource_path(confidence.TABLE_NAME)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == confidence.TABLE_FORMAT and data["version"] == confidence.TABLE_VERSION
    assert set(data["weights"]) <= set(confidence.GROUPS)
    assert {"type", "rule"} <= set(data["weights"])
    for cells in data["weights"].values():
        assert cells and all(isinstance(k, str) and isinstance(v, float) and math.isfinite(v) for k, v in cells.items())
    assert set(data["words"]) == set(confidence.WORD_LISTS)
    assert 0 < data["floor"] < data["ceiling"] < 1
    assert data["fitted_on"]["quotes"] > 0
    table = parse_table(data, str(path))
    assert isinstance(table, ConfidenceTable)


def test_every_feature_group_is_computed(doc):
    table = parse_table(small_table())
    for q in doc.quotes.values():
        feats = quote_features(doc, q, table.words)
        assert set(feats) == set(confidence.GROUPS)
        assert feats["type"] == q.type and feats["rule"] == q.rule
        assert feats["rule+speaker"].split("|")[-1] in ("name", "role", "pronoun", "none")


def test_features_read_the_speaker_kind_and_the_clause(doc):
    table = parse_table(small_table())
    feats = {q.rule: quote_features(doc, q, table.words) for q in doc.quotes.values()}
    assert feats["direct:quote-cue-speaker"]["rule+speaker"] == "direct:quote-cue-speaker|name"
    opened = [f for f in feats.values() if f["type+opener"].endswith("|that")]
    assert opened, feats


def test_confidences_are_probabilities_within_the_bounds(doc):
    shipped = load_table()
    assert shipped is not None
    for table in (shipped, parse_table(small_table(rule={"direct:quote-cue-speaker": 80.0}, cue={"said": -90.0}))):
        d = copy.deepcopy(doc)
        assign_confidences(d, table)
        assert d.quotes
        for q in d.quotes.values():
            assert table.floor <= q.confidence <= table.ceiling


def test_a_heavier_cell_gives_a_higher_confidence_and_nothing_else_moves(doc):
    q = next(q for q in doc.quotes.values() if q.rule == "direct:quote-cue-speaker")
    others = [o for o in doc.quotes.values() if o.rule != q.rule]
    base = parse_table(small_table())
    feats = {o.id: quote_features(doc, o, base.words) for o in doc.quotes.values()}
    last = None
    for w in (-3.0, -1.0, 0.0, 0.5, 2.0):
        table = parse_table(small_table(rule={"direct:quote-cue-speaker": w}))
        p = estimate(table, feats[q.id])
        assert last is None or p > last
        last = p
        for o in others:
            assert estimate(table, feats[o.id]) == estimate(base, feats[o.id])


def test_estimate_is_monotone_in_the_sum_of_weights():
    table = parse_table(small_table())
    ps = [estimate(table, {"type": "direct", "rule": "r"}) for _ in range(1)]
    for bias in (-2.0, -1.0, 0.0, 1.0, 2.0):
        t = ConfidenceTable(bias, table.weights, table.words, 0.01, 0.99)
        ps.append(estimate(t, {"type": "direct"}))
    assert ps[1:] == sorted(ps[1:]) and len(set(ps[1:])) == 5


def test_an_unknown_rule_backs_off_to_its_coarser_cells(doc):
    table = parse_table(small_table(**{"rule+speaker": {"direct:quote-cue-speaker|name": 0.7}}))
    d = copy.deepcopy(doc)
    q = next(q for q in d.quotes.values() if q.rule == "direct:quote-cue-speaker")
    q.rule = "direct:a-rule-added-after-the-fit"
    feats = quote_features(d, q, table.words)
    p = estimate(table, feats)
    # only the coarser 'type' cell applies: bias + direct
    assert p == pytest.approx(1 / (1 + math.exp(-(0.5 + 0.4))))
    assign_confidences(d, table)
    assert d.quotes[q.id].confidence == pytest.approx(p)


def test_an_unseen_cell_adds_nothing():
    table = parse_table(small_table(cue={"said": 1.5}))
    seen = estimate(table, {"type": "indirect", "cue": "said"})
    unseen = estimate(table, {"type": "indirect", "cue": "harrumphed"})
    bare = estimate(table, {"type": "indirect"})
    assert unseen == bare < seen


def test_an_unknown_type_gets_the_bias_alone():
    table = parse_table(small_table())
    assert estimate(table, {"type": "unknown", "rule": "nobody:knows"}) == pytest.approx(1 / (1 + math.exp(-0.5)))


def test_a_missing_table_keeps_the_rules_own_confidences_and_says_so(doc, tmp_path, caplog):
    missing = tmp_path / "nowhere" / "confidence.json"
    with caplog.at_level(logging.WARNING, logger=confidence.__name__):
        assert load_table(missing) is None
    assert str(missing) in caplog.text and "not found" in caplog.text and "rules' own" in caplog.text
    d = copy.deepcopy(doc)
    before = {qid: q.confidence for qid, q in d.quotes.items()}
    assign_confidences(d, None)
    assert {qid: q.confidence for qid, q in d.quotes.items()} == before


@pytest.mark.parametrize("content, problem", [
    ("{not json", "unreadable"),
    ('{"format": "something-else", "version": 1}', "'format'"),
    ('{"format": "quotedesk-confidence", "version": 99, "bias": 0, "weights": {}}', "version 99"),
    ('{"format": "quotedesk-confidence", "version": 1, "bias": "high", "weights": {}}', "'bias'"),
    ('{"format": "quotedesk-confidence", "version": 1, "bias": 0, "weights": {"moon": {}}}', "'moon'"),
    ('{"format": "quotedesk-confidence", "version": 1, "bias": 0, "weights": {"rule": {"r": null}}}', "finite"),
    ('{"format": "quotedesk-confidence", "version": 1, "bias": 0, "floor": 0.9, "ceiling": 0.1, "weights": {}}',
     "floor"),
    ("[1, 2]", "JSON object"),
])
def test_a_bad_table_file_is_refused_with_its_name_and_problem(tmp_path, caplog, content, problem):
    path = tmp_path / f"table-{abs(hash(content))}.json"
    path.write_text(content, encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger=confidence.__name__):
        assert load_table(path) is None
    assert str(path) in caplog.text and problem in caplog.text
    with pytest.raises(TableError):
        parse_table(json.loads(content) if not content.startswith("{not") else None, str(path))


def test_assigning_twice_changes_nothing_and_people_keep_their_confidence(doc):
    table = load_table()
    d = copy.deepcopy(doc)
    human = next(iter(d.quotes.values()))
    human.origin, human.confidence = ORIGIN_HUMAN, 1.0
    assign_confidences(d, table)
    once = {qid: q.confidence for qid, q in d.quotes.items()}
    assign_confidences(d, table)
    assert {qid: q.confidence for qid, q in d.quotes.items()} == once
    assert d.quotes[human.id].confidence == 1.0


def test_features_of_odd_quotes_do_not_fail():
    table = parse_table(small_table())
    d = attribute_text("“”\n\n“\n'' ''\n")
    for q in d.quotes.values():
        estimate(table, quote_features(d, q, table.words))
    empty = attribute_text("Kovac said so.")
    for q in empty.quotes.values():
        q.mention, q.cue, q.rule = "m-gone", "c-gone", ""
        assert table.floor <= estimate(table, quote_features(empty, q, table.words)) <= table.ceiling


def test_quote_confidences_equal_estimate_of_quote_features(doc):
    """quote_confidences' one-pass sum is exactly estimate() over quote_features() (float for float)."""
    tables = [load_table(), parse_table(small_table()),
              parse_table(small_table(cue={"said": 1.5}, **{"type+opener": {"indirect|that": -0.3},
                                                            "headline": {"no": 0.25}}))]
    for table in tables:
        assert table is not None
        want = {qid: estimate(table, quote_features(doc, q, table.words)) for qid, q in doc.quotes.items()}
        assert confidence.quote_confidences(doc, table) == want
