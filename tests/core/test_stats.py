"""Who is quoted: speaker rows, type shares and the CSV export, on invented documents."""
import csv

from quotedesk.core.model import Document, Entity, Mention, Quote
from quotedesk.core.stats import UNATTRIBUTED, count_words, speaker_stats, to_csv, type_shares


def make_doc(doc_id, article, quotes):
    """``quotes``: (quoted phrase, type, speaker phrase or None, entity name or None)."""
    doc = Document(id=doc_id, raw=article, article=article)
    for phrase, qtype, speaker, entity in quotes:
        mid = None
        if speaker:
            s = article.index(speaker)
            eid = None
            if entity:
                eid = next((e.id for e in doc.entities.values() if e.name == entity), None)
                if eid is None:
                    eid = doc.new_id("e")
                    doc.entities[eid] = Entity(eid, entity, "person")
            mid = doc.new_id("m")
            doc.mentions[mid] = Mention(mid, s, s + len(speaker), eid)
        s = article.index(phrase)
        qid = doc.new_id("q")
        doc.quotes[qid] = Quote(qid, s, s + len(phrase), qtype, mention=mid)
    return doc


A = ('"We will open the bridge in May," said Ruta Vask. Vask said the works were nearly finished. '
     'Mayor Ines Kolar called it "a good day for the city." Someone shouted "too late".')
B = ('"The ferry is safe," Ruta Vask told reporters. She said inspections ran "every single week". '
     'Harbour master Oskar Feld said nothing had changed.')


def docs():
    a = make_doc("a", A, [
        ("We will open the bridge in May,", "direct", "Ruta Vask", "Ruta Vask"),
        ("the works were nearly finished", "indirect", "Vask", "Ruta Vask"),
        ("a good day for the city.", "mixed", "Ines Kolar", "Ines Kolar"),
        ("too late", "direct", None, None),
    ])
    b = make_doc("b", B, [
        ("The ferry is safe,", "direct", "Ruta Vask", "ruta  vask"),  # same person, other spelling
        ("inspections ran \"every single week\"", "mixed", "She", "ruta  vask"),
        ("nothing had changed", "indirect", "Oskar Feld", None),  # a mention with no entity
    ])
    return [a, b]


def test_count_words():
    assert count_words("We won't stop, not in 2025 - ever.") == 7
    assert count_words("") == 0


def test_speaker_rows_single_document():
    rows = speaker_stats(docs()[0])
    assert [(r.speaker, r.quotes, r.words) for r in rows] == [
        ("Ruta Vask", 2, 12), ("Ines Kolar", 1, 6), (UNATTRIBUTED, 1, 2)]
    assert rows[0].by_type == {"direct": 1, "mixed": 0, "indirect": 1, "unknown": 0}
    assert [r.speaker for r in speaker_stats(docs()[0], include_unattributed=False)] == [
        "Ruta Vask", "Ines Kolar"]


def test_speaker_rows_merge_across_documents():
    rows = {r.speaker: r for r in speaker_stats(docs())}
    assert set(rows) == {"Ruta Vask", "Ines Kolar", "Oskar Feld", UNATTRIBUTED}
    vask = rows["Ruta Vask"]
    assert vask.quotes == 4 and vask.documents == 2
    assert vask.words == 12 + 4 + 5
    assert vask.by_type == {"direct": 2, "mixed": 1, "indirect": 1, "unknown": 0}
    assert rows["Oskar Feld"].quotes == 1 and rows["Oskar Feld"].words == 3
    assert speaker_stats(docs())[0].speaker == "Ruta Vask"


def test_type_shares():
    shares = type_shares(docs())
    assert shares == {"direct": 3 / 7, "mixed": 2 / 7, "indirect": 2 / 7, "unknown": 0.0}
    assert type_shares([]) == {"direct": 0.0, "mixed": 0.0, "indirect": 0.0, "unknown": 0.0}


def test_csv(tmp_path):
    path = tmp_path / "speakers.csv"
    to_csv(speaker_stats(docs()), path)
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows[0] == {"speaker": "Ruta Vask", "quotes": "4", "words": "21", "direct": "2", "mixed": "1",
                       "indirect": "1", "unknown": "0", "documents": "2"}
    assert len(rows) == 4


def test_corpus_rows_from_saved_summaries(tmp_path):
    import json

    from quotedesk.core.corpus import Corpus

    path = tmp_path / "wire.jsonl"
    path.write_text(json.dumps({"id": "a", "text": A}) + "\n" + json.dumps({"id": "b", "text": B}) + "\n"
                    + json.dumps({"id": "c", "text": "Nothing quoted here."}) + "\n", encoding="utf-8")
    c = Corpus.open(path)
    a, b = docs()
    c.save(a)
    c.save(b)
    expected = [r.as_dict() for r in speaker_stats([a, b])]
    assert [r.as_dict() for r in c.speaker_rows()] == expected
    # Kept in project.json: a reopened corpus answers without loading any document.
    assert [r.as_dict() for r in Corpus.open(path).speaker_rows()] == expected
    # The document on screen counts as it is now, saved or not.
    a.quotes.pop("q1")
    assert c.speaker_rows(current=a)[0].quotes == 3
    assert [r.as_dict() for r in c.speaker_rows(ids=["b"])] == [r.as_dict() for r in speaker_stats(b)]
