"""The headless commands, run the way a batch user runs them: through main.main()."""
import json

import pytest

from quotedesk import main

PAGE = """Home | World | Business | Sport

Harbour strike ends after overnight talks

March 4
09:12 2025

LISBON: Dock workers in the port of Alvera returned to work on Tuesday after union leaders and the port authority agreed a new pay deal overnight.

“We did not get everything we asked for, but we got respect,” union chief Marta Quintal said.

Port director Henrik Vale said the agreement would cost the authority about 4 million euros a year.

He told reporters the first ships would be unloaded by Wednesday morning.–AFP

Related Articles

Sign up for our morning briefing
"""


def run(capsys, *argv):
    code = main.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_analyze_text_page_offsets_index_the_input(tmp_path, capsys):
    page = tmp_path / "strike.txt"
    page.write_bytes(PAGE.replace("\n", "\r\n").encode("utf-8"))
    raw = page.read_bytes().decode("utf-8")
    code, out, err = run(capsys, "analyze", str(page), "--jobs", "1")
    assert code == 0, err
    rec = json.loads(out)
    assert rec["id"] == "strike" and rec["offsets"] == "input"
    texts = {raw[q["start"]:q["end"]] for q in rec["quotes"]}
    assert "We did not get everything we asked for, but we got respect," in texts
    direct = next(q for q in rec["quotes"] if raw[q["start"]:q["end"]].startswith("We did not"))
    # The mention keeps the speaker's role with the name.
    assert [raw[s:e] for s, e in direct["speaker_spans"]] in (["Marta Quintal"], ["union chief Marta Quintal"])
    assert direct["speaker"].endswith("Marta Quintal")
    assert [raw[s:e] for s, e in direct["cue_spans"]] == ["said"]
    assert rec["article"]["agency"] == "AFP"
    assert "Related Articles" not in rec["article"]["body"]


def test_analyze_jsonl_corpus_types_filter_and_parallel_jobs(tmp_path, capsys):
    corpus = tmp_path / "c.jsonl"
    docs = [{"id": f"d{i}", "text": f"Mayor Lena Fisk{i} said the bridge would reopen. "
                                     f"\u201cIt is safe,\u201d she said."} for i in range(10)]
    corpus.write_text("\n".join(json.dumps(d) for d in docs), encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    code, _, err = run(capsys, "analyze", str(corpus), "-o", str(out), "--jobs", "2", "--types", "direct")
    assert code == 0, err
    recs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in recs] == [d["id"] for d in docs]
    for r, d in zip(recs, docs):
        assert {q["type"] for q in r["quotes"]} == {"direct"}
        assert [d["text"][q["start"]:q["end"]] for q in r["quotes"]] == ["It is safe,"]


def test_analyze_skips_unreadable_input_and_reports_failure(tmp_path, capsys):
    good = tmp_path / "good.txt"
    good.write_text("\u201cWe are ready,\u201d coach Ivo Brandt said.\n", encoding="utf-8")
    bad = tmp_path / "photo.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    code, out, err = run(capsys, "analyze", str(bad), str(good), "--jobs", "1")
    assert code == 1
    assert "photo" in err
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["good"]


def test_extract_writes_zyte_json(tmp_path, capsys):
    page = tmp_path / "p1.txt"
    page.write_text(PAGE, encoding="utf-8")
    out = tmp_path / "zyte.json"
    code, _, err = run(capsys, "extract", str(page), "--format", "zyte", "-o", str(out), "--jobs", "1")
    assert code == 0, err
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["p1"]["headline"] == "Harbour strike ends after overnight talks"
    assert data["p1"]["articleBody"].startswith("LISBON: Dock workers")
    assert "Sign up" not in data["p1"]["articleBody"]


def test_eval_prints_metrics_for_identical_sets(tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    text = "\u201cNo comment,\u201d the minister said."
    rec = {"id": "a", "text": text, "quotes": [{"start": 1, "end": 12, "type": "direct",
                                                "speaker": "the minister", "speaker_spans": [[14, 26]],
                                                "cue_spans": [[27, 31]]}]}
    gold.write_text(json.dumps(rec), encoding="utf-8")
    code, out, _ = run(capsys, "eval", str(gold), str(gold))
    assert code == 0
    assert "e2e_overlap" in out and "1.000" in out


def test_unknown_option_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main.main(["analyze"])
    assert exc.value.code == 2
