"""Fuzzing the whole path: readers -> extraction -> attribution -> annotation file save/load -> exchange formats.

    python bench/fuzz.py                      # 100,000 cases, seed 0, one worker process
    python bench/fuzz.py --cases 2000 --only html-deep
    python bench/fuzz.py --replay html-trap:1234   # one case again, with its traceback

Each case is generated from (seed, case number), so any failure is replayed by its name.  A case is
read as a page (bytes through decode_bytes or a real file through read_path, text, or a JSONL corpus
line through read_corpus), analysed (core.commands.analyze_record), checked (every span of the
document and of the analyze output record inside its text, confidences in [0, 1], the document
one an annotation file accepts), saved and loaded as an annotation file (equal after the trip),
then converted with core.convert to jsonl, brat, labelstudio and csv and read back (same quotes,
speakers and cues).  HTML cases whose page holds an <embed>/<source>/<track> or thousands of
unclosed elements are also extracted without that trap: marked words the clean page keeps but the
trapped page loses are counted as lost text.

Failures are grouped by stage and message; each group keeps its first case for --replay.  The cases
run in one worker process (multiprocessing, niced): a case that hangs past --timeout or kills the
worker is recorded and the run goes on from the next case.
"""
from __future__ import annotations

import argparse
import collections
import gzip
import json
import math
import multiprocessing as mp
import os
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import main  # noqa: E402,F401  (the checkout becomes the quotedesk package)

from quotedesk.core.annotation_file import (document_to_dict, dumps, load_document, loads, save_document,  # noqa: E402
                                            validate_document)
from quotedesk.core.atomic import json_dumps  # noqa: E402
from quotedesk.core.analysis_records import analysis_record, analyze_record  # noqa: E402
from quotedesk.core.convert import convert, read_documents  # noqa: E402
from quotedesk.core.formats.brat import ann_to_document, document_to_ann  # noqa: E402
from quotedesk.core.formats.csv_quotes import COLUMNS, document_rows, neutralise, read_csv  # noqa: E402
from quotedesk.core.formats.jsonl import document_to_record, record_to_document  # noqa: E402
from quotedesk.core.formats.labelstudio import document_to_task, task_to_document  # noqa: E402
from quotedesk.core.readers import (InputRecord, ReadError, decode_bytes, looks_like_html, read_corpus,  # noqa: E402
                                    read_path)
from quotedesk.core.textmap import normalize_newlines  # noqa: E402

FORMATS = ("jsonl", "brat", "labelstudio", "csv")
OUT_NAMES = {"jsonl": "out.jsonl", "brat": "out-brat", "labelstudio": "out-ls", "csv": "out.csv"}


class Failure(Exception):
    """A check that did not hold (not a crash): ``stage`` says where."""

    def __init__(self, stage: str, message: str):
        super().__init__(message)
        self.stage = stage


# -- generators -----------------------------------------------------------------------------------
NAMES = ["Ana Kovac", "Ivo Marsh", "Sen. Maria Lopez", "the harbour master", "officials", "Dr. Lena Dorn",
         "she", "he", "They", "Marsh", "a spokesman for the port", "Kovac’s", "O'Neil-Brandt", "李明", "Zoë Ångström"]
VERBS = ["said", "says", "told reporters", "added", "warned", "according to", "argued", "insisted", "asked",
         "testified", "wrote", "tweeted", "noted", "explained", "replied:", "a déclaré", "sagte"]
CLAUSES = ["the port will stay open", "the levy would pay for two berths", "nobody saw the ferry leave",
           "talks resumed on Monday", "the vote was a mistake", "prices rose 4.5% in 2024", "it is not over"]
MARKS = ["“", "”", "\"", "'", "‘", "’", "«", "»", "« ", " »", "„", "‹", "›", "「", "」", "『", "』", "``", "''",
         "—", "–", "―", "(", ")", ":", ";", ",", ".", "?", "!", "…"]
ODD = ["\n", "\n\n", "\r\n", "\r", "\r\n\r\n", "\u2028", "\u2029", "\u0085", "\t", "\u00a0", "\u200b", "\ufeff",
       "\u202e", "\u0301", "😀", "👩‍👩‍👧", "🇺🇸", "\U0001F600", "\x00", "\x0b", "\x0c", "\x1c", "&amp;", "<", ">",
       "\ud800", "\udfff", "\ud83d", "\U0010FFFF", "\uFFFE", "\uFFFF"]
NO_SURROGATE = [x for x in ODD if not ("\ud800" <= x[:1] <= "\udfff")]


def _sentence(rng) -> str:
    name, verb, clause = rng.choice(NAMES), rng.choice(VERBS), rng.choice(CLAUSES)
    shape = rng.randrange(6)
    if shape == 0:
        return f"“{clause.capitalize()},” {name} {verb}."
    if shape == 1:
        return f"{name} {verb} {clause}."
    if shape == 2:
        return f"{clause.capitalize()}, {name} {verb}."
    if shape == 3:
        return f"{name} {verb} the plan was “{clause}.”"
    if shape == 4:
        return f"“{clause.capitalize()}” ― {name}"
    return f"{clause.capitalize()}."


def _wordy(rng, n: int, odd=ODD) -> str:
    parts = []
    for _ in range(n):
        r = rng.random()
        if r < 0.35:
            parts.append(_sentence(rng))
        elif r < 0.6:
            parts.append(rng.choice(MARKS))
        elif r < 0.8:
            parts.append(rng.choice(odd))
        else:
            parts.append(rng.choice(NAMES + VERBS + CLAUSES))
    sep = rng.choice(["", " ", " ", "\n"])
    return sep.join(parts)


def _random_text(rng, n: int) -> str:
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.5:
            out.append(chr(rng.randrange(0x20, 0x7f)))
        elif r < 0.65:
            out.append(chr(rng.randrange(0x80, 0x800)))
        elif r < 0.75:
            out.append(chr(rng.randrange(0xD800, 0xE000)))  # lone surrogates
        elif r < 0.85:
            out.append(chr(rng.randrange(0x10000, 0x110000)))
        elif r < 0.95:
            out.append(chr(rng.randrange(0, 0x20)))
        else:
            out.append(chr(rng.randrange(0x800, 0xD800)))
    return "".join(out)


@dataclass
class Case:
    gen: str
    kind: str                 # bytes | text | corpus
    data: object              # bytes or str (corpus: bytes of the file)
    suffix: str | None = None  # read through a real file with this suffix
    html: bool | None = None   # the kind to analyse a str as (None: sniffed)
    clean: str | None = None   # the same page without its trap (html-trap, html-deep)
    marks: list = field(default_factory=list)  # words the clean page keeps that must survive the trap


def gen_text_words(rng) -> Case:
    return Case("text-words", "text", _wordy(rng, rng.randint(0, 120)), html=rng.random() < 0.2)


def gen_text_random(rng) -> Case:
    return Case("text-random", "text", _random_text(rng, rng.randint(0, 400)), html=rng.random() < 0.3)


BOMS = [b"", b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"]
MAGIC = [b"", b"", b"", b"\x89PNG\r\n", b"%PDF-1.4", b"\x1f\x8b\x08", b"PK\x03\x04", b"<html>", b"<!doctype html>",
         b"<?xml version='1.0' encoding='koi8-r'?>", b"<meta charset=utf-16>", b"\x00\x00\x00"]


def gen_bytes_random(rng) -> Case:
    data = rng.choice(BOMS) + rng.choice(MAGIC) + rng.randbytes(rng.randint(0, 600))
    suffix = rng.choice([None, None, None, ".txt", ".html", ".htm", ".html.gz", ".txt.gz"])
    return Case("bytes-random", "bytes", data, suffix=suffix)


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "cp1250", "cp1251",
             "koi8-r", "latin-1", "shift_jis", "gb18030", "iso-8859-7", "mac-roman"]
CYRILLIC = ["Мэр заявил, что порт останется открытым.", "«Мы не сдадимся», — сказала Анна Ковач.",
            "Żółć gęślą jaźń, řekl starosta.", "Příliš žluťoučký kůň úpěl ďábelské ódy."]


def gen_bytes_encoded(rng) -> Case:
    text = _wordy(rng, rng.randint(0, 60), NO_SURROGATE) + " " + " ".join(rng.sample(CYRILLIC, rng.randint(0, 4)))
    enc = rng.choice(ENCODINGS)
    if rng.random() < 0.4:
        declared = rng.choice(ENCODINGS + ["bogus-charset", "", "x-user-defined", "utf8"])
        text = (f"<html><head><meta charset=\"{declared}\"><title>T</title></head><body><article><p>"
                + text.replace("\n", "</p><p>") + "</p></article></body></html>")
    data = text.encode(enc, "replace")
    if rng.random() < 0.2:
        data = data[: rng.randint(0, len(data))]  # cut mid-character
    suffix = rng.choice([None, None, ".txt", ".html", ".html.gz"])
    return Case("bytes-encoded", "bytes", data, suffix=suffix)


def _article_paragraphs(rng, n: int, tag: str = "mark") -> tuple[list[str], list[str]]:
    """Long wire-style paragraphs, each holding one marked word (``Zq<tag><k>x``) to look for later."""
    paras, marks = [], []
    for k in range(n):
        word = f"Zq{tag}{k}x"
        body = " ".join(_sentence(rng) for _ in range(rng.randint(3, 6)))
        cut = rng.randrange(len(body) // 2, len(body))
        paras.append(f"{body[:cut]} {word} {body[cut:]}")
        marks.append(word)
    return paras, marks


def _page(head: str, paras: list[str], wrap_p=True) -> str:
    body = "".join(f"<p>{p}</p>\n" if wrap_p else p for p in paras)
    return (f"<!doctype html><html><head><title>Port stays open</title>{head}</head><body>"
            f"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>Port stays open</h1>"
            f"<p class='byline'>By Lena Dorn</p>\n{body}</article><footer>© Example News</footer></body></html>")


TRAPS = ["<embed src='x.swf'>", "<embed>", "<source src='a.mp4' type='video/mp4'>", "<track kind='captions' src='c.vtt'>",
         "<source>", "<track>", "<embed src=x><source src=y><track src=z>", "<video><source src=v.mp4></video>",
         # (closed: an unclosed <video>/<audio> makes the rest fallback content, hidden in a browser too)
         "<audio><source src=a.ogg><track src=t.vtt></audio>", "<picture><source srcset=a.webp><img src=a.jpg></picture>",
         "<video controls><source src=v.webm type='video/webm'><track kind=subtitles src=s.vtt>Your browser</video>",
         "<img src=x>", "<br>", "<wbr>", "<input>", "<param name=a>", "<area>", "<col>", "<keygen>", "</embed>",
         "<source/>", "<embed/>", "<object><embed src=x></object>"]


def gen_html_trap(rng) -> Case:
    paras, marks = _article_paragraphs(rng, rng.randint(4, 8))
    at = rng.randrange(1, len(paras) - 1)
    trap = "".join(rng.choice(TRAPS) for _ in range(rng.randint(1, 3)))
    inside = rng.random() < 0.5
    trapped = list(paras)
    if inside:  # inside a paragraph, between two sentences
        p = trapped[at]
        cut = p.find(". ") + 2 if ". " in p else len(p)
        trapped[at] = p[:cut] + trap + p[cut:]
    else:
        trapped.insert(at, trap)
    head = "<meta property='og:title' content='Port stays open'>"
    page = _page(head, trapped)
    as_bytes = rng.random() < 0.5
    return Case("html-trap", "bytes" if as_bytes else "text", page.encode("utf-8") if as_bytes else page,
                suffix=rng.choice([None, ".html"]) if as_bytes else None, html=True, clean=_page(head, paras),
                marks=marks[at + 1:])


NEST = ["<div>", "<span>", "<b>", "<i>", "<font>", "<section>", "<div class='x'>", "<em>", "<p>", "<li>", "<table>",
        "<td>", "<blockquote>", "<u>"]  # not <a>: an unclosed link makes the rest link text, as in a browser


def gen_html_deep(rng) -> Case:
    paras, marks = _article_paragraphs(rng, rng.randint(4, 7))
    at = rng.randrange(1, len(paras) - 1)
    depth = rng.choice([300, 1000, 2047, 2048, 2049, 2100, 3000, 5000, 8000])
    tags = [rng.choice(NEST)] if rng.random() < 0.5 else NEST
    nest = "".join(rng.choice(tags) for _ in range(depth))
    trapped = list(paras)
    trapped.insert(at, nest)
    return Case("html-deep", "text", _page("", trapped), html=True, clean=_page("", paras), marks=marks[at + 1:])


ENTITIES = ["&amp", "&#", "&#x", "&#xD800;", "&#55296;", "&#1114112;", "&#99999999999999999999;", "&#0;", "&nbsp",
            "&notanentity;", "&#x1F600;", "&#X41;", "&lt", "&&&", "&;", "&#-1;", "&#x-1;", "&#x110000;", "&#128;",
            "&#x80;", "&#13;", "&#x2028;", "&#xFEFF;", "&quot", "&ldquo;", "&rdquo", "&#8220;", "&#x201D;", "&#xDFFF;",
            "&#65535;", "&Amp;", "&AMP;", "&#9;", "&#10;&#13;", "&#x0D;&#x0A;"]


def gen_html_entities(rng) -> Case:
    paras, _ = _article_paragraphs(rng, rng.randint(2, 6))
    out = []
    for p in paras:
        words = p.split(" ")
        for _ in range(rng.randint(1, 8)):
            words.insert(rng.randrange(len(words) + 1), rng.choice(ENTITIES) + rng.choice(["", "x", " ", "1"]))
        out.append(" ".join(words))
    page = _page("", out)
    if rng.random() < 0.5:
        return Case("html-entities", "text", page, html=True)
    return Case("html-entities", "bytes", page.encode("utf-8", "surrogatepass" if rng.random() < 0.2 else "replace"),
                suffix=rng.choice([None, ".html"]))


SOUP = ["<p>", "</p>", "<div class='article-body'>", "</div>", "<br>", "<a href='#'>", "</a>", "<script>", "</script>",
        "<nav>", "</nav>", "<h1>", "</h1>", "<figure>", "<li>", "<!--", "-->", "<", ">", "<![CDATA[", "]]>", "<?php x ?>",
        "<meta property='og:title' content='T'>", "<time datetime='2024'>", "<button>", "<style>", "<html>", "<body>",
        "</body>", "<textarea>", "<plaintext>", "<xmp>", "<noscript>", "<template>", "<svg><foreignObject>", "<math>",
        "<table><tr><td>", "</td></tr></table>", "<iframe srcdoc='<p>x</p>'>", "<!doctype html>", "<!DOCTYPE>",
        "<title>", "</title>", "<base href='x'>", "<frameset>", "<select><option>", "<ruby>漢<rt>kan</rt></ruby>",
        "<p dir='rtl'>", "<article>", "</article>", "<main>", "<header>", "<aside>", "<script type='application/ld+json'>",
        "{\"@type\": \"NewsArticle\", \"headline\": \"x\", \"author\": {\"@id\": 1}}", "<meta name='author' content=''>",
        "<meta charset='koi8-r'>", "<a>", "<embed>", "<source>", "<track>"]


def gen_html_soup(rng) -> Case:
    parts = []
    for _ in range(rng.randint(0, 80)):
        r = rng.random()
        if r < 0.45:
            parts.append(rng.choice(SOUP))
        elif r < 0.8:
            parts.append(_sentence(rng))
        elif r < 0.9:
            parts.append(rng.choice(ODD))
        else:
            parts.append(rng.choice(ENTITIES))
    page = "".join(parts)
    if rng.random() < 0.6:
        return Case("html-soup", "text", page, html=True)
    return Case("html-soup", "bytes", page.encode("utf-8", "replace"), suffix=rng.choice([None, ".html", ".htm"]))


IDS = ["a", "../../x", "/etc/passwd", "", " ", "a/b", "CON", "x" * 300, "ä", "\ud800", "id\nnewline", 7, None, True,
       "a.quotedesk", ".hidden", "AUX.txt"]


def gen_corpus(rng) -> Case:
    lines = []
    for _ in range(rng.randint(1, 3)):
        r = rng.random()
        rec_id = rng.choice(IDS)
        if r < 0.55:
            obj = {"id": rec_id, "text": _wordy(rng, rng.randint(0, 60))}
        elif r < 0.8:
            obj = {"id": rec_id, "html": _page("", [_wordy(rng, rng.randint(1, 20))])}
        elif r < 0.9:
            obj = {"id": rec_id, "text": rng.choice([None, 3, [], {"a": 1}, ""])}
        else:
            obj = rng.choice([[1, 2], "text", 3, {"id": "x"}])
        lines.append(json.dumps(obj))  # ensure_ascii: a lone surrogate travels as \ud800
    r = rng.random()
    if r < 0.05:
        lines.append("[" * 100_000 + "]" * 100_000)
    elif r < 0.1:
        lines.append("{\"id\": \"cut\", \"text\": \"unterminated")
    elif r < 0.13:
        lines.append("\ufeff{}")
    return Case("corpus", "corpus", ("\r\n" if rng.random() < 0.2 else "\n").join(lines).encode("utf-8"),
                suffix=rng.choice([".jsonl", ".jsonl", ".jsonl.gz"]))


GENERATORS = {
    "text-words": (gen_text_words, 18),
    "text-random": (gen_text_random, 10),
    "bytes-random": (gen_bytes_random, 10),
    "bytes-encoded": (gen_bytes_encoded, 10),
    "html-trap": (gen_html_trap, 14),
    "html-deep": (gen_html_deep, 3),
    "html-entities": (gen_html_entities, 10),
    "html-soup": (gen_html_soup, 20),
    "corpus": (gen_corpus, 5),
}


def case_for(seed: int, index: int, only: str | None = None) -> Case:
    """Case ``index`` of run ``seed``: the generator and its input depend on nothing else."""
    rng = random.Random(seed * 1_000_003 + index)
    if only:
        name = only
    else:
        names = list(GENERATORS)
        name = rng.choices(names, weights=[GENERATORS[n][1] for n in names])[0]
    return GENERATORS[name][0](rng)


# -- checks ---------------------------------------------------------------------------------------
def _span_ok(s, e, n: int, empty_ok: bool = True) -> bool:
    return (isinstance(s, int) and isinstance(e, int) and not isinstance(s, bool) and not isinstance(e, bool)
            and 0 <= s <= e <= n and (empty_ok or s < e))


def check_document(doc, where: str = "analyze") -> None:
    """Every span of ``doc`` inside its text, every link resolved, every confidence a probability."""
    n, raw_n = len(doc.article), len(doc.raw)
    prev = None
    for i, p in enumerate(doc.paragraphs):
        if not _span_ok(p.start, p.end, n) or not _span_ok(p.raw_start, p.raw_end, raw_n):
            raise Failure("span", f"{where}: paragraph {i} {p.start}-{p.end} (raw {p.raw_start}-{p.raw_end}) "
                                  f"outside article {n} / raw {raw_n}")
        if prev is not None and p.start < prev.end:
            raise Failure("span", f"{where}: paragraph {i} starts before the previous one ends")
        prev = p
    for name, (s, e) in doc.meta.raw_spans.items():
        if not _span_ok(s, e, raw_n):
            raise Failure("span", f"{where}: meta {name} raw span {s}-{e} outside raw {raw_n}")
    for pool in (doc.quotes, doc.mentions, doc.cues):
        for oid, o in pool.items():
            if not _span_ok(o.start, o.end, n):
                raise Failure("span", f"{where}: {oid} {o.start}-{o.end} outside article {n}")
    for qid, q in doc.quotes.items():
        if not (isinstance(q.confidence, (int, float)) and math.isfinite(q.confidence) and 0 <= q.confidence <= 1):
            raise Failure("value", f"{where}: {qid} confidence {q.confidence!r}")
        for link in [q.mention, *q.extra_mentions]:
            if link is not None and link not in doc.mentions:
                raise Failure("link", f"{where}: {qid} speaker {link} missing")
        for link in [q.cue, *q.extra_cues]:
            if link is not None and link not in doc.cues:
                raise Failure("link", f"{where}: {qid} cue {link} missing")
    for mid, m in doc.mentions.items():
        if m.entity is not None and m.entity not in doc.entities:
            raise Failure("link", f"{where}: {mid} entity {m.entity} missing")


def check_record_offsets(out: dict, input_len: int) -> None:
    """The analyze output record (what the CLI writes) indexes its input (or the article for HTML)."""
    base = out["offsets"]
    n = input_len if base == "input" else len(out["page"]) if base == "page" else len(out["article"]["body"])
    for q in out["quotes"]:
        spans = [(q["start"], q["end"])] + [tuple(x) for x in q["speaker_spans"] + q["cue_spans"]]
        for s, e in spans:
            if not _span_ok(s, e, n):
                raise Failure("span", f"analyze output: span {s}-{e} outside its {out['offsets']} text ({n})")
    json.dumps(out, ensure_ascii=False)


def _quotes_key(doc) -> list:
    """What every exchange format must bring back: quote spans and types, their speaker and cue spans."""
    out = []
    for q in doc.quotes.values():
        m = doc.mentions.get(q.mention) if q.mention else None
        c = doc.cues.get(q.cue) if q.cue else None
        out.append((q.start, q.end, q.type, (m.start, m.end) if m else None, (c.start, c.end) if c else None))
    return sorted(out, key=repr)


def _records(case: Case, work: Path) -> list:
    """The input records the readers make of a case (ReadErrors included), with each input's length."""
    if case.kind == "corpus":
        path = work / ("corpus" + case.suffix)
        data = case.data
        path.write_bytes(gzip.compress(data, 1) if case.suffix.endswith(".gz") else data)
        return [(r, None) for r in read_corpus(path)]
    if case.kind == "bytes" and case.suffix:
        path = work / ("page" + case.suffix)
        data = case.data
        path.write_bytes(gzip.compress(data, 1) if case.suffix.endswith(".gz") else data)
        try:
            rec = read_path(path)
        except ReadError as e:
            return [(e, None)]
        return [(rec, rec.newline_map.to_source(len(rec.text)))]
    if case.kind == "bytes":
        try:
            text = decode_bytes(case.data, source="fuzz")
        except ReadError as e:
            return [(e, None)]
    else:
        text = case.data
    kind = ("html" if case.html else "text") if case.html is not None else ("html" if looks_like_html(text) else "text")
    norm, nmap = normalize_newlines(text)
    if nmap.to_source(len(norm)) != len(text):
        raise Failure("newline map", f"normalised length {len(norm)} maps to {nmap.to_source(len(norm))}, not {len(text)}")
    return [(InputRecord(id="fuzz", text=norm, kind=kind, source="fuzz", newline_map=nmap), len(text))]


def _lost_marks(case: Case, doc) -> list[str]:
    """Marked words the clean page keeps but the trapped page's article lacks."""
    if not case.marks:
        return []
    lost = [w for w in case.marks if w not in doc.article]
    if not lost:
        return []
    norm, nmap = normalize_newlines(case.clean)
    clean_doc = analyze_record(InputRecord(id="clean", text=norm, kind="html", source="clean", newline_map=nmap))
    return [w for w in lost if w in clean_doc.article]


def _same_quotes(want, back, fmt: str) -> None:
    check_document(back, f"{fmt} read back")
    got = _quotes_key(back)
    if got != want:
        lost = [x for x in want if x not in got]
        new = [x for x in got if x not in want]
        raise Failure(fmt, f"round trip changed the quotes: lost {lost[:2]} gained {new[:2]} "
                           f"({len(want)} -> {len(got)})")


def _same_file(doc, back) -> None:
    a, b = document_to_dict(doc), document_to_dict(back)
    if a != b:
        diff = sorted(k for k in a if a.get(k) != b.get(k))
        raise Failure("annotation file", f"save/load changed {', '.join(diff)}")


def round_trips_in_memory(doc, work: Path, formats=FORMATS) -> None:
    """The same trips through the formats' own functions, without convert's files (most cases)."""
    _same_file(doc, loads(dumps(doc)))
    want = _quotes_key(doc)
    for fmt in formats:
        if fmt == "jsonl":
            back = record_to_document(json.loads(json_dumps(document_to_record(doc))))
        elif fmt == "brat":
            back = ann_to_document(doc.id, doc.article, document_to_ann(doc))
        elif fmt == "labelstudio":
            back = task_to_document(json.loads(json_dumps(document_to_task(doc))))
        else:
            import csv
            import io
            buf = io.StringIO()
            w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\r\n")
            w.writeheader()
            for row in document_rows(doc):
                w.writerow({k: neutralise(v) for k, v in row.items()})
            path = work / "mem.csv"
            path.write_text(buf.getvalue(), encoding="utf-8", errors="surrogatepass")
            back = next(iter(read_csv(path, texts={doc.id: doc.article})))
        _same_quotes(want, back, fmt)


def round_trips(doc, work: Path, formats=FORMATS) -> None:
    """Annotation file save/load, then convert to each exchange format and read back: the public
    file path (``quotedesk convert``), which must keep the document."""
    path = work / "doc.quotedesk.json"
    save_document(doc, path)
    _same_file(doc, load_document(path))
    want = _quotes_key(doc)
    for fmt in formats:
        out = work / OUT_NAMES[fmt]
        if out.is_dir():
            shutil.rmtree(out)
        report = convert(path, out, "quotedesk", fmt)
        src = Path(report.written[0]) if fmt in ("jsonl", "labelstudio", "csv") else out
        docs = read_documents(src, fmt)
        if len(docs) != 1:
            raise Failure(fmt, f"{len(docs)} documents came back, not 1")
        _same_quotes(want, docs[0], fmt)


def run_case(case: Case, work: Path, formats=FORMATS, files: bool = True) -> str:
    """Check one case; returns 'ok' or 'refused' (a reader's clean ReadError); raises on failure."""
    status = "ok"
    for rec, input_len in _records(case, work):
        if isinstance(rec, ReadError):
            if not str(rec).strip():
                raise Failure("read", "a ReadError without a message")
            status = "refused"
            continue
        doc = analyze_record(rec)
        check_document(doc)
        try:
            validate_document(doc)
        except ValueError as e:
            raise Failure("validate", f"analyze made a document its own loader refuses: {e}") from None
        check_record_offsets(analysis_record(doc, rec), input_len if input_len is not None
                             else rec.newline_map.to_source(len(rec.text)))
        lost = _lost_marks(case, doc)
        if lost:
            raise Failure("lost text", f"{len(lost)} of {len(case.marks)} paragraphs after the trap are missing "
                                       f"from the article (kept without it)")
        (round_trips if files else round_trips_in_memory)(doc, work, formats)
    return status


# -- the runner -----------------------------------------------------------------------------------
def failure_key(stage: str, exc: BaseException) -> str:
    msg = str(exc).split("\n")[0]
    msg = re.sub(r"/(?:dev/shm|tmp)/[^\s:'\"]*", "<tmp>", msg)
    msg = re.sub(r"""\((['"]).*?\1\)""", "(...)", msg)  # the text of a region or span: not part of the kind
    msg = re.sub(r"\d+", "N", msg)[:160]
    return f"{stage}: {type(exc).__name__}: {msg}"


def _where(exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    for fr in reversed(tb):
        if "/quotedesk/" in fr.filename or str(ROOT) in fr.filename:
            if not fr.filename.endswith("fuzz.py"):
                return f"{Path(fr.filename).relative_to(ROOT) if str(ROOT) in fr.filename else fr.filename}:{fr.lineno}"
    return f"{tb[-1].filename}:{tb[-1].lineno}" if tb else "?"


def one(seed: int, index: int, only, work: Path, formats=FORMATS,
        files_every: int = 1) -> tuple[str, str, str | None, str | None]:
    """(generator, status, failure key, where) for one case; never raises.  Every ``files_every``-th
    case takes the file path (save_document/load_document, convert, read_documents), the others the
    formats' in-memory functions."""
    case = case_for(seed, index, only)
    for p in work.iterdir():
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    try:
        return case.gen, run_case(case, work, formats, files=index % files_every == 0), None, None
    except Failure as f:
        return case.gen, "failed", failure_key(f.stage, f), None
    except ValueError as e:
        if type(e).__module__.startswith("quotedesk."):
            # QuoteDesk's own clean message, but about a file it has just written: a round trip that failed
            return case.gen, "failed", failure_key("refused its own output", e), _where(e)
        return case.gen, "crashed", failure_key("crash", e), _where(e)
    except RecursionError as e:
        return case.gen, "crashed", failure_key("crash", e), _where(e)
    except Exception as e:  # noqa: BLE001  (a crash is what we are counting)
        return case.gen, "crashed", failure_key("crash", e), _where(e)


def _worker(seed, start, stop, only, conn, progress, files_every, work):
    os.nice(10)
    for i in range(start, stop):
        progress.value = i
        gen, status, key, where = one(seed, i, only, work, files_every=files_every)
        conn.send([(i, gen, status, key, where)])  # at once: a case that kills the worker loses no other
    conn.send(None)


def run(cases: int, seed: int, only, timeout: float, report_every: int, files_every: int = 1) -> dict:
    ctx = mp.get_context("fork" if sys.platform != "win32" else "spawn")
    counts = collections.Counter()
    by_gen = collections.defaultdict(collections.Counter)
    groups: dict[str, dict] = {}
    t0 = time.time()

    def record(i, gen, status, key, where):
        counts[status] += 1
        by_gen[gen][status] += 1
        if key:
            g = groups.setdefault(key, {"n": 0, "first": f"{gen}:{i}", "where": where, "status": status})
            g["n"] += 1

    # the cases' scratch folder belongs to the runner: a worker killed mid-case leaves nothing behind
    work = Path(tempfile.mkdtemp(prefix="qd-fuzz-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None))
    try:
        _run(ctx, cases, seed, only, timeout, report_every, files_every, work, counts, record, t0)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"counts": counts, "by_gen": by_gen, "groups": groups, "seconds": time.time() - t0}


def _run(ctx, cases, seed, only, timeout, report_every, files_every, work, counts, record, t0) -> None:
    next_i, last_report = 0, 0
    while next_i < cases:
        progress = ctx.Value("q", next_i)
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_worker, args=(seed, next_i, cases, only, child, progress, files_every, work),
                           daemon=True)
        proc.start()
        _stop_with(proc)
        child.close()
        last_seen, last_t = progress.value, time.time()
        done = False
        while True:
            if parent.poll(1.0):
                try:
                    msg = parent.recv()
                except EOFError:
                    msg = "died"
                if msg is None:
                    done = True
                    break
                if msg == "died":
                    break
                for item in msg:
                    record(*item)
                    next_i = item[0] + 1
                if counts.total() - last_report >= report_every:
                    last_report = counts.total()
                    rate = counts.total() / (time.time() - t0)
                    print(f"  {counts.total():7d} cases, {counts['crashed']} crashed, {counts['failed']} failed "
                          f"({rate:.0f}/s)", flush=True)
            if progress.value != last_seen:
                last_seen, last_t = progress.value, time.time()
            elif time.time() - last_t > timeout:
                break
            if not proc.is_alive() and not parent.poll(0.2):
                break
        if done:
            proc.join()
            break
        # the worker hung or died on the case it was at: record it, go on after it
        stuck = progress.value
        proc.kill()
        proc.join()
        while parent.poll(0):  # results it sent before
            try:
                msg = parent.recv()
            except EOFError:
                break
            if msg:
                for item in msg:
                    if item[0] < stuck:
                        record(*item)
        case = case_for(seed, stuck, only)
        kind = "hang" if proc.exitcode in (-9, None) else f"worker died (exit {proc.exitcode})"
        record(stuck, case.gen, "crashed", f"crash: {kind} (over {timeout:.0f} s)" if kind == "hang" else f"crash: {kind}",
               None)
        next_i = stuck + 1


def _stop_with(proc) -> None:
    """A TERM or INT to the runner ends its worker too (no worker left behind)."""
    import signal

    def stop(signum, frame):
        proc.kill()
        proc.join()
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def replay(spec: str, seed: int, files_every: int = 1) -> int:
    gen, _, index = spec.rpartition(":")
    case = case_for(seed, int(index))
    if gen and case.gen != gen:  # a case of a run with --only GEN
        case = case_for(seed, int(index), gen)
    data = case.data
    print(f"{case.gen} case {index} (seed {seed}): {case.kind}, suffix {case.suffix}, {len(data)} "
          f"{'bytes' if isinstance(data, bytes) else 'characters'}")
    print("input:", repr(data[:600]), "..." if len(data) > 600 else "")
    work = Path(tempfile.mkdtemp(prefix="qd-fuzz-replay-"))
    try:
        files = int(index) % max(1, files_every) == 0
        print(f"through {'files and convert' if files else 'the formats in memory'}")
        print("result:", run_case(case, work, files=files))
        return 0
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main_(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", choices=sorted(GENERATORS), help="one generator only")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds one case may take before it counts as a hang")
    ap.add_argument("--every", type=int, default=5000, help="print progress every N cases")
    ap.add_argument("--replay", metavar="GEN:INDEX", help="run one case again and show its traceback")
    ap.add_argument("--json", help="write the counts and failure groups here")
    ap.add_argument("--files-every", type=int, default=10, metavar="N",
                    help="every Nth case goes through files and convert (default 10; 1: every case); "
                         "the others through the formats' in-memory functions")
    a = ap.parse_args(argv)
    if a.replay:
        return replay(a.replay, a.seed, a.files_every)
    print(f"fuzz: {a.cases} cases, seed {a.seed}{', only ' + a.only if a.only else ''}, one worker process; "
          f"1 case in {max(1, a.files_every)} through files and convert")
    res = run(a.cases, a.seed, a.only, a.timeout, a.every, max(1, a.files_every))
    c = res["counts"]
    print(f"\ncases tried: {c.total()} in {res['seconds']:.0f} s; ok {c['ok']}, refused by a reader with a message "
          f"{c['refused']}, crashed {c['crashed']}, failed checks {c['failed']}")
    spans = sum(g["n"] for k, g in res["groups"].items() if k.startswith("span:"))
    print(f"out-of-range spans: {spans}")
    print("by generator: " + "; ".join(f"{g} {sum(v.values())} ({v['crashed']} crashed, {v['failed']} failed)"
                                        for g, v in sorted(res["by_gen"].items())))
    if res["groups"]:
        print("\nfailures (count, first case for --replay, where):")
        for key, g in sorted(res["groups"].items(), key=lambda kv: -kv[1]["n"]):
            print(f"  {g['n']:6d}  {g['first']:>20s}  {key}" + (f"  [{g['where']}]" if g["where"] else ""))
    if a.json:
        Path(a.json).write_text(json.dumps({"counts": dict(c), "by_generator": {k: dict(v) for k, v in res["by_gen"].items()},
                                            "failures": res["groups"], "seconds": res["seconds"]}, indent=1))
    return 1 if c["crashed"] or c["failed"] else 0


if __name__ == "__main__":
    sys.exit(main_())
