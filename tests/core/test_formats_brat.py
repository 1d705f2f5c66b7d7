"""brat standoff: files obey brat's rules (checked by an independent parser) and read back exactly."""
import json
import re

import pytest

from quotedesk.core.formats.brat import BratError, ann_to_document, fragments, read_brat, write_brat
from quotedesk.core.formats.jsonl import read_jsonl
from tests.core.test_convert_polnear import annotations, invented_corpus, span_key, story_b

T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")


def check_standoff(txt: str, ann: str) -> int:
    """brat's standoff rules, checked without QuoteDesk's reader: returns the number of T lines."""
    ids, n = set(), 0
    for line in ann.split("\n"):
        if not line:
            continue
        ident = line.split("\t", 1)[0]
        # INCEpTION's brat reader takes only T, A, M, R, E and # lines (no `*`); pybrat fails on `*` too
        assert re.match(r"^[TAMRE#]\d+$", ident), f"a line INCEpTION cannot read: {line!r}"
        assert ident not in ids, f"duplicate id {ident}"
        ids.add(ident)
        if ident.startswith("T"):
            m = T_LINE.match(line)
            assert m, f"malformed T line {line!r}"
            frags = [tuple(map(int, f.split())) for f in m.group(3).split(";")]
            for s, e in frags:
                assert 0 <= s <= e <= len(txt)
                assert "\n" not in txt[s:e] and "\r" not in txt[s:e], "brat fragments may not cross a line break"
            assert all(a[1] <= b[0] for a, b in zip(frags, frags[1:])), "fragments in order"
            assert m.group(4) == " ".join(txt[s:e] for s, e in frags), f"{ident} text differs from the .txt"
            n += 1
        elif ident.startswith("R"):
            assert re.match(r"^R\d+\t\S+ Arg1:T\d+ Arg2:T\d+\t?$", line), line
        elif ident.startswith("#"):
            assert re.match(r"^#\d+\tAnnotatorNotes T\d+\t", line), line
        elif ident.startswith("A"):
            assert re.match(r"^A\d+\t\S+ T\d+( \S+)?$", line), line
    # every reference points at a T that exists
    for ref in re.findall(r"(?:Arg\d|AnnotatorNotes) ?:?(T\d+)", ann):
        assert ref in ids
    return n


def _check_folder(folder):
    total = 0
    for ann in sorted(folder.glob("*.ann")):
        txt = ann.with_suffix(".txt").read_bytes().decode("utf-8")
        total += check_standoff(txt, ann.read_bytes().decode("utf-8"))
    return total


def test_written_files_obey_standoff_rules(tmp_path):
    docs = invented_corpus()
    write_brat(docs, tmp_path)
    assert (tmp_path / "annotation.conf").exists() and (tmp_path / "visual.conf").exists()
    assert _check_folder(tmp_path) > 0
    # the .txt is the article byte for byte
    from quotedesk.core.safe_paths import file_stem

    for d in docs:
        assert (tmp_path / f"{file_stem(d.id)}.txt").read_bytes() == d.article.encode("utf-8")


def test_polnear_written_files_obey_standoff_rules(shared_dir, tmp_path):
    docs = list(read_jsonl(shared_dir / "data" / "polnear" / "dev.jsonl"))
    write_brat(docs, tmp_path)
    assert _check_folder(tmp_path) >= sum(len(d.quotes) for d in docs)


def test_fragments_cut_at_line_breaks():
    t = "ab\ncd\r\n\nef"
    assert fragments(t, 0, len(t)) == [(0, 2), (3, 5), (8, 10)]
    assert fragments(t, 2, 3) == []


def test_round_trip_exact_annotations(tmp_path):
    docs = invented_corpus()
    write_brat(docs, tmp_path)
    back = {d.article: d for d in read_brat(tmp_path)}
    for d in docs:
        assert (back[d.article].id, back[d.article].status) == (d.id, d.status)  # via the manifest
        assert annotations(back[d.article]) == annotations(d)
        assert span_key(back[d.article]) == span_key(d)


def test_foreign_file_without_notes():
    """A brat file from elsewhere: PolNeAR-style event, a quote cut at a blank line, a group of two parts."""
    t = "Mayor Ito said:\n\"Taxes stay.\n\nFees rise.\" The plan, she added, is final."
    a, b = t.index("Taxes"), t.index("Fees")
    p, s, c, f = t.index("The plan,"), t.index("she"), t.index("added"), t.index("is final")
    ann = "\n".join([
        "T1\tSource 0 9\tMayor Ito",
        "T2\tAttribution 10 14\tsaid",
        f"T3\tContent {a} {a + 11};{b} {b + 10}\tTaxes stay. Fees rise.",
        "E1\tAttribution:T2 Content:T3 Source:T1",
        f"T4\tQuote {p} {p + 9};{f} {f + 8}\tThe plan, is final",
        f"T5\tSpeaker {s} {s + 3}\tshe",
        f"T6\tCue {c} {c + 5}\tadded",
        "R1\tSaidBy Arg1:T4 Arg2:T5\t",
        "R2\tCueOf Arg1:T6 Arg2:T4\t",
        "*\tCoref T1 T5",
        "A1\tQuoteType T4 indirect",
    ]) + "\n"
    doc = ann_to_document("ito", t, ann)
    quotes = doc.sorted_quotes()
    assert [(q.start, q.end) for q in quotes] == [(a, b + 10), (p, p + 9), (f, f + 8)]
    q1, q2, q3 = quotes
    assert q1.group is None and q2.group == q3.group is not None and q2.type == "indirect"
    assert doc.span_text(doc.mentions[q1.mention]) == "Mayor Ito" and doc.span_text(doc.cues[q1.cue]) == "said"
    assert doc.speaker_entity(q2) is doc.speaker_entity(q1)
    assert doc.speaker_name(q3) == "Mayor Ito"


def test_edits_made_in_brat_win_over_stale_notes(tmp_path):
    doc = story_b()
    write_brat([doc], tmp_path)
    ann_path = tmp_path / "library.ann"
    ann = ann_path.read_text(encoding="utf-8")
    # the annotator shortened quote T1 in brat; our note still has the old span
    ann = ann.replace("T1\tQuote 27 63\tThe council will fund Sunday opening",
                      "T1\tQuote 27 48\tThe council will fund")
    ann_path.write_text(ann, encoding="utf-8")
    back = next(read_brat(tmp_path))
    assert (27, 48) in {(q.start, q.end) for q in back.quotes.values()}
    assert (27, 63) not in {(q.start, q.end) for q in back.quotes.values()}


@pytest.mark.parametrize("line,message", [
    ("T1\tQuote 0 5\tWrong", "differs from the .txt"),
    ("T1\tQuote 0 500\tx", "outside the text"),
    ("T1\tQuote zero five\tx", "bad offsets"),
])
def test_bad_ann_is_reported(line, message):
    with pytest.raises(BratError, match=message):
        ann_to_document("d", "Hello world", line + "\n")


def test_crlf_text_keeps_offsets(tmp_path):
    """A .txt with CRLF (written by another tool): offsets count \\r, as brat does."""
    t = "Line one said Kim.\r\n\"Two,\r\nthree\" said Kim."
    (tmp_path / "crlf.txt").write_bytes(t.encode("utf-8"))
    s = t.index("Two")
    e = t.index("three") + 5
    (tmp_path / "crlf.ann").write_text(f"T1\tQuote {s} {t.index(chr(13), s)};{t.index('three')} {e}\tTwo, three\n",
                                       encoding="utf-8")
    doc = next(read_brat(tmp_path))
    assert [(q.start, q.end) for q in doc.quotes.values()] == [(s, e)]
    assert json.dumps(doc.article) == json.dumps(t)


def test_event_with_cue_argument_ignores_trigger_span():
    t = "Aides said talks failed."
    ann = ("T1\tSource 0 5\tAides\nT2\tCue 6 10\tsaid\nT3\tContent 11 23\ttalks failed\n"
           "T4\tAttribution 6 10\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n")
    doc = ann_to_document("e", t, ann)
    assert len(doc.cues) == 1 and len(doc.quotes) == 1
    q = next(iter(doc.quotes.values()))
    assert doc.speaker_name(q) == "Aides" and doc.span_text(doc.cues[q.cue]) == "said"


def test_relations_and_attributes_written_are_declared(tmp_path):
    from quotedesk.core.resources import resource_path

    conf = resource_path("brat/annotation.conf").read_text(encoding="utf-8")
    section, declared = None, {}
    for line in conf.splitlines():
        if line.startswith("["):
            section = line.strip("[]")
        elif line.strip() and not line.startswith("#"):
            declared.setdefault(section, set()).add(line.split()[0])
    write_brat(invented_corpus(), tmp_path)
    ann = "".join(p.read_text(encoding="utf-8") for p in tmp_path.glob("*.ann"))
    assert "Coref Arg1:" in ann
    assert set(re.findall(r"^R\d+\t(\S+)", ann, re.M)) <= declared["relations"]
    assert set(re.findall(r"^A\d+\t(\S+)", ann, re.M)) <= declared["attributes"]
    assert set(re.findall(r"^T\d+\t(\S+)", ann, re.M)) <= declared["entities"]


def test_coref_relations_alone_rebuild_entities(tmp_path):
    """Without QuoteDesk's notes (an annotator's brat or INCEpTION copy), Coref relations still join
    the mentions of one speaker."""
    doc = story_b()
    write_brat([doc], tmp_path)
    ann_path = tmp_path / "library.ann"
    ann = ann_path.read_text(encoding="utf-8")
    ann_path.write_text("".join(l + "\n" for l in ann.splitlines() if not l.startswith("#")), encoding="utf-8")
    back = next(read_brat(tmp_path))
    ents = {m.entity for m in back.mentions.values()}
    assert len(back.mentions) == 2 and len(ents) == 1


T = "Mayor Ito said taxes stay."


@pytest.mark.parametrize("ann,message", [
    # a second T1 used to replace the first and relink the quote's speaker to the wrong words
    ("T1\tSpeaker 0 9\tMayor Ito\nT1\tCue 10 14\tsaid\nT2\tQuote 15 25\ttaxes stay\nR1\tSaidBy Arg1:T2 Arg2:T1\t\n",
     r"line 2: duplicate id T1 \(already used on line 1\)"),
    ("T1\tPerson 0 9\tMayor Ito\n", r"line 1: T1 has label 'Person'"),
    ("T1\tQuote 15 25\ttaxes stay\nR1\tSaidBy Arg1:T1 Arg2:T7\t\n", r"line 2: refers to T7"),
    ("T1\tQuote 15 25\ttaxes stay\nT2\tSpeaker 0 9\tMayor Ito\nR1\tSpokeFor Arg1:T1 Arg2:T2\t\n",
     r"line 3: R1 is a 'SpokeFor' relation"),
    ("T1\tQuote 15 25\ttaxes stay\nT2\tCue 10 14\tsaid\nR1\tSaidBy Arg1:T1 Arg2:T2\t\n",
     r"line 3: a SaidBy relation links a Quote and a Speaker"),
    ("T1\tQuote 15 25\ttaxes stay\nthis is not brat\n", r"line 2: not a brat annotation line"),
    ("T1\tQuote 15 25\ttaxes stay\nR1\tSaidBy T1\t\n", r"line 2: a relation needs"),
    ("T1\tQuote 15 25\ttaxes stay\nA1\tNegated T1\n", r"line 2: A1 is a 'Negated' attribute"),
    ("T1\tQuote 15 25\ttaxes stay\nA1\tQuoteType T1 shouted\n", r"QuoteType of T1 is 'shouted'"),
    ("T1\tQuote 15 25\ttaxes stay\n#1\tAnnotatorNotes T4\tx\n", r"line 2: refers to T4"),
    ("T1\tQuote 15 25\ttaxes stay\n*\tCoref T1 T9\n", r"line 2: refers to T9"),
    ("T1\tSource 0 9\tMayor Ito\nT2\tAttribution 10 14\tsaid\nE1\tAttribution:T2 Content:T5 Source:T1\n",
     r"line 3: refers to T5"),
])
def test_ann_that_cannot_be_represented_is_refused(ann, message):
    with pytest.raises(BratError, match=r"^ito\.ann, line \d+: |^ito\.ann: ") as e:
        ann_to_document("ito", T, ann, source="ito.ann")
    assert re.search(message, str(e.value)), str(e.value)


def test_old_star_coref_lines_still_read():
    ann = ("T1\tSpeaker 0 9\tMayor Ito\nT2\tQuote 15 25\ttaxes stay\nT3\tSpeaker 0 5\tMayor\n"
           "R1\tSaidBy Arg1:T2 Arg2:T1\t\n*\tCoref T1 T3\n")
    doc = ann_to_document("ito", T, ann)
    assert len({m.entity for m in doc.mentions.values()}) == 1


def test_missing_conf_fails_before_writing(tmp_path, monkeypatch):
    """A wheel without resources/brat/*.conf wrote documents and then failed."""
    from quotedesk.core import resources
    from quotedesk.core.formats import MissingResourceError

    monkeypatch.setattr(resources, "RESOURCES", tmp_path / "no-such-folder")
    with pytest.raises(MissingResourceError, match="annotation.conf"):
        write_brat(invented_corpus(), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_conf_never_makes_brat_write_star_lines():
    """A relation declared symmetric-transitive is saved by brat as a `*` line."""
    from quotedesk.core.resources import resource_path

    assert "<REL-TYPE>:symmetric-transitive" not in resource_path("brat/annotation.conf").read_text(encoding="utf-8")


def test_other_tools_type_prefixes_and_argument_roles_are_read():
    ann = ("T1\tcustom.Speaker 0 9\tMayor Ito\nT2\tcustom.Quote 15 25\ttaxes stay\n"
           "R1\tcustom.SaidBy Governor:T2 Dependent:T1\nA1\tcustom.QuoteType T2 indirect\n")
    doc = ann_to_document("ito", T, ann)
    (q,) = doc.quotes.values()
    assert doc.speaker_name(q) == "Mayor Ito" and q.type == "indirect"


def test_note_summary_is_one_line_of_utf8(tmp_path):
    """A speaker's name with a line break or a lone surrogate broke the .ann (a note is one line)."""
    doc = story_b()
    doc.entities["e1"].name = "a spokes\nwoman \ud800"
    ann = __import__("quotedesk.core.formats.brat", fromlist=["x"]).document_to_ann(doc)
    ann.encode("utf-8")
    back = ann_to_document("library", doc.article, ann)
    assert {e.name for e in back.entities.values()} == {"a spokes\nwoman \ud800"}


def test_lone_surrogates_are_written_as_replacement_characters(tmp_path):
    """The window exports without convert's clean-up: brat files must still be UTF-8, offsets unchanged."""
    doc = story_b()
    i = doc.article.index("Sunday")
    doc.article = doc.raw = doc.article[:i] + "\ud800" + doc.article[i + 1:]
    write_brat([doc], tmp_path)
    back = next(read_brat(tmp_path))
    assert back.article == doc.article.replace("\ud800", "\ufffd")
    spans = lambda d: sorted((o.start, o.end) for pool in (d.quotes, d.mentions, d.cues) for o in pool.values())
    assert spans(back) == spans(doc)
