"""Evaluation: the scorer's metrics reproduced exactly, and agreement between two annotation sets."""
import copy
import json
import random
import subprocess
import sys

import pytest

from quotedesk.core import edits as E
from quotedesk.core.evaluation import (Comparison, cohen_kappa, compare_corpora, compare_documents, format_report,
                             score_quotes, speaker_matches)
from quotedesk.core.formats.jsonl import document_to_record
from tests.core.test_convert_polnear import invented_corpus


def perturb(gold: dict, seed: int = 7) -> dict:
    """A prediction that gets some things right and many wrong, in every way the scorer cares about."""
    rnd = random.Random(seed)
    pred = {}
    for i, (did, g) in enumerate(sorted(gold.items())):
        if i % 17 == 5:
            continue  # a document the system missed
        n = len(g["text"])
        quotes = []
        for q in g["quotes"]:
            r = rnd.random()
            if r < 0.15:
                continue
            q = copy.deepcopy(q)
            if r < 0.35:
                q["start"] = max(0, q["start"] + rnd.randint(-3, 3))
                q["end"] = min(n, max(q["start"], q["end"] + rnd.randint(-4, 2)))
            if rnd.random() < 0.2:
                q["speaker"] = rnd.choice([None, "", "someone else", (q.get("speaker") or "x").split()[-1]])
                q["speaker_spans"] = [] if rnd.random() < 0.5 else [[0, 3]]
            if rnd.random() < 0.1:
                q["type"] = "direct"
            quotes.append(q)
        for _ in range(rnd.randint(0, 3)):
            s = rnd.randrange(0, max(1, n - 50))
            quotes.append({"start": s, "end": s + rnd.randint(0, 40), "type": "indirect",
                           "speaker": rnd.choice([None, "The Post"]), "speaker_spans": [], "cue_spans": []})
        pred[did] = {"id": did, "text": g["text"], "quotes": quotes}
    return pred


def _write(path, docs):
    with open(path, "w", encoding="utf-8") as f:
        for d in docs.values():
            f.write(json.dumps(d) + "\n")


@pytest.mark.parametrize("types", [None, "direct,mixed", "indirect"])
def test_equals_shared_scorer_on_polnear(shared_dir, tmp_path, types):
    src = shared_dir / "data" / "polnear" / "dev.jsonl"
    gold = {}
    for line in src.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            gold[d["id"]] = d
    pred = perturb(gold)
    _write(tmp_path / "pred.jsonl", pred)
    cmd = [sys.executable, str(shared_dir / "eval" / "score.py"), str(src), str(tmp_path / "pred.jsonl"),
           "--json", str(tmp_path / "theirs.json")]
    if types:
        cmd += ["--types", types]
    subprocess.run(cmd, check=True, capture_output=True)
    theirs = json.loads((tmp_path / "theirs.json").read_text())
    mine = score_quotes(gold, pred, set(types.split(",")) if types else None)
    assert json.loads(json.dumps(mine)) == theirs
    assert 0 < mine["overlap"]["F1"] < 1 and mine["docs_missing_in_pred"] > 0


def _records(docs):
    return {d.id: document_to_record(d) for d in docs}


def test_identical_sets_score_one():
    gold = _records(invented_corpus())
    res = score_quotes(gold, gold)
    for k in ("exact", "exact_norm", "overlap", "token", "e2e_overlap", "e2e_exact"):
        assert res[k]["F1"] == 1.0
    assert res["attr_acc"] == 1.0 and res["null_acc"] == 1.0
    assert "e2e_overlap" in format_report(res)


def test_scorer_rules_on_a_small_case():
    text = "\u201cNo comment,\u201d the minister said. Later Ana Ruiz said talks were over."
    gold = {"a": {"id": "a", "text": text, "quotes": [
        {"start": 1, "end": 12, "type": "direct", "speaker": "the minister", "speaker_spans": [[14, 26]]},
        {"start": 51, "end": 67, "type": "indirect", "speaker": "Ana Ruiz", "speaker_spans": [[39, 47]]}]}}
    pred = {"a": {"id": "a", "text": text, "quotes": [
        {"start": 0, "end": 13, "type": "direct", "speaker": "minister", "speaker_spans": []},  # marks included
        {"start": 51, "end": 60, "type": "indirect", "speaker": "Ruiz", "speaker_spans": []},
        {"start": 30, "end": 30, "speaker": None}]}}  # empty: ignored
    res = score_quotes(gold, pred)
    assert res["exact"]["F1"] == 0.0
    assert res["exact_norm"]["P"] == 0.5 and res["exact_norm"]["n_pred"] == 2
    assert res["overlap"]["F1"] == 1.0 and res["attr_acc"] == 1.0
    assert res["e2e_exact"]["R"] == 0.5
    assert res["by_type_recall"]["indirect"]["exact_norm_R"] == 0.0


def test_speaker_matches():
    assert speaker_matches("Rex Vance", [], "Vance", [])
    assert speaker_matches("Vance's aide", [], "aide", [])
    assert not speaker_matches("Rex Vance", [], "Ana", [])
    assert speaker_matches("he", [[5, 7]], "the mayor", [[6, 9]])
    assert speaker_matches(None, [], "", [])
    assert not speaker_matches(None, [], "Ana", [])


def test_kappa():
    assert cohen_kappa(10, 0, 0, 90) == 1.0
    assert cohen_kappa(0, 10, 10, 0) < 0
    assert abs(cohen_kappa(20, 5, 10, 65) - 0.625) < 1e-12  # po .85, pe .25*.3+.75*.7 = .6


def test_compare_documents_lists_every_disagreement():
    a = invented_corpus()[0]
    b = copy.deepcopy(a)
    E.apply_all(b, E.move_boundary(b, "quote", "q1", "end", b.quotes["q1"].end - 1))
    E.apply_all(b, E.set_quote_type(b, "q3", "direct"))
    E.apply_all(b, E.relink_quote(b, "q2", "m3"))
    E.apply_all(b, E.delete_cue(b, "c5"))
    E.apply_all(b, E.mark_quote(b, 0, 15))
    cmp = compare_documents(a, b)
    assert isinstance(cmp, Comparison)
    what = {(d.kind, d.what) for d in cmp.disagreements}
    assert ("quote", "boundaries differ") in what
    assert ("quote", "type differs: mixed vs direct") in what
    assert ("quote", "speaker differs: Lena Morrow vs Abel Quist") in what
    assert ("cue", "only in a") in what and ("quote", "only in b") in what
    assert len(cmp.disagreements) == 5
    only_b = next(d for d in cmp.disagreements if d.what == "only in b")
    assert only_b.b == (0, 15) and only_b.a is None and only_b.b_id in b.quotes
    s = cmp.summary()
    assert s["quote"]["exact"]["R"] == 4 / 5 and s["quote"]["exact"]["P"] == 4 / 6
    assert s["cue"]["overlap"]["R"] == 4 / 5 and s["cue"]["overlap"]["P"] == 1.0
    assert s["speaker_acc"] == 4 / 5 and s["type_acc"] == 4 / 5
    assert 0 < s["quote"]["token_kappa"] < 1 and s["mention"]["token_kappa"] == 1.0


def test_compare_corpora_and_report():
    a = {d.id: d for d in invented_corpus()}
    b = {k: copy.deepcopy(v) for k, v in a.items()}
    same = compare_corpora(a, b)
    assert same["quote"]["exact"]["F1"] == 1.0 and same["disagreements"] == []
    assert same["quote"]["agreement_f1"] == 1.0 and same["cue"]["token_kappa"] == 1.0
    del b["library"]
    res = compare_corpora(a, b)
    assert res["docs_missing_in_b"] == 1
    assert res["quote"]["exact"]["R"] == 5 / 10
    report = format_report(res)
    assert "disagreements: " in report and "only in a" in report and "kappa" in report
    json.dumps(res)  # the CLI writes it as JSON


def test_different_texts_are_refused():
    a, b = invented_corpus()
    b.id = a.id
    with pytest.raises(ValueError, match="different texts"):
        compare_documents(a, b)
