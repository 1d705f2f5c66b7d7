"""The same quotation across stories: occurrences of one direct or mixed quote grouped over many
documents, with the speakers named for it and how its wording drifts.

How (near-linear in the number of quotes):
1. Each direct or mixed quote becomes an occurrence; for a mixed quote only the words inside its
   quotation marks count.  Consecutive quotes of one document that only a paragraph break or
   quotation marks separate (a quotation continued in the next paragraph) are one occurrence.
2. Words are normalised (case, punctuation, quotation marks, apostrophes, whitespace) and cut into
   word 3-shingles.  Each shingle is hashed once (crc32); an occurrence's sketch is its
   ``SKETCH`` smallest hashes (a bottom-k MinHash sketch).  Occurrences that share a sketch value
   fall in one bucket: only they are compared.  A sketch value of a passage's shingles that is
   among the passage's own smallest stays so inside any shorter excerpt holding it, so an excerpt
   meets its whole passage in a bucket too.
3. A candidate pair is one quotation when most words of the shorter occurrence appear, in order,
   in the longer one (``MATCH`` of them, and at least ``MIN_WORDS`` words): a word or two
   changed, added or cut still matches; the same topic in other words does not.
4. ``speaker_conflict``: the occurrences name different speakers after name merging ("Putin" =
   "Vladimir Putin", as the entities of one story merge); pronouns name nobody.
   ``wording_drift``: one speaker's occurrences differ in words; ``differences`` lists the
   word-level changes of each occurrence against the quotation's text (an excerpt that only
   leaves words out at either end is not drift).

:func:`where_else` answers "where else does this quote appear" for a window (corpus mode) from the
groups :func:`track` returns (or a :class:`TrackIndex`).
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Iterable, Iterator

SHINGLE = 3  # words per shingle
SKETCH = 16  # smallest shingle hashes kept per occurrence: its buckets
MAX_BUCKET = 150  # a bucket this full is a common phrase, not one quotation: not compared within
MIN_WORDS = 6  # shorter quotes (slogans, stock phrases) are too common to tell one quotation from another
EXCERPT_WORDS = 12  # an excerpt this long of a longer quotation is still that quotation
MATCH = 0.75  # share of the shorter occurrence's words found in order in the longer one
TRACKED_TYPES = ("direct", "mixed")

_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*", re.UNICODE)
_QUOTED = re.compile(r"[\"\u201c\u201d\u00ab\u00bb\u201e]([^\"\u201c\u201d\u00ab\u00bb\u201e]+)[\"\u201c\u201d\u00ab\u00bb\u201e]")
_GAP = re.compile(r"[\s\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e]*")
_DETERMINERS = {"the", "a", "an", "his", "her", "their", "its", "our", "this", "that", "these", "those"}
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us", "one", "who", "this", "that"}


@dataclass
class Occurrence:
    doc: str
    start: int
    end: int
    text: str  # the quoted words as printed
    speaker: str | None = None  # the speaker mention as printed
    entity_name: str | None = None  # the speaker's entity (the merged name), when known
    words: list[str] = field(default_factory=list)  # normalised
    sketch: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"doc": self.doc, "start": self.start, "end": self.end, "speaker": self.speaker,
                "entity_name": self.entity_name}


def normal_words(text: str) -> list[str]:
    """Words without case, accents, punctuation, quotation marks or spacing differences."""
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'").casefold())
    if not text.isascii():
        text = "".join(c for c in text if not unicodedata.combining(c))
    return [w.replace("'", "") for w in _WORD.findall(text)]


def _sketch(words: list[str]) -> list[int]:
    if len(words) < SHINGLE:
        grams = [" ".join(words)]
    else:
        grams = [" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)]
    return sorted({zlib.crc32(g.encode("utf-8")) for g in grams})[:SKETCH]


def make_occurrence(doc: str, start: int, end: int, text: str, speaker=None, entity_name=None) -> Occurrence:
    words = normal_words(text)
    return Occurrence(doc, start, end, text, speaker, entity_name, words, _sketch(words) if words else [])


# -- reading -----------------------------------------------------------------------------------
def _quoted_words(span_text: str, qtype: str) -> str:
    if qtype == "mixed":
        parts = _QUOTED.findall(span_text)
        if parts:
            return " ".join(parts)
    return span_text


def record_occurrences(rec: dict) -> list[Occurrence]:
    """The direct and mixed quotes of one record: `analyze`/`batch` output (text in
    ``article.body``) or an annotated corpus line (``text``, scorer-format ``quotes``)."""
    text = rec.get("text")
    if not isinstance(text, str):  # analyze output: spans index the page ("page") or the article
        text = rec.get("page") if rec.get("offsets") == "page" else (rec.get("article") or {}).get("body")
    if not isinstance(text, str):
        return []
    doc = str(rec.get("id", ""))
    entities = {e.get("id"): e.get("name") for e in rec.get("entities") or () if isinstance(e, dict)}
    quotes = sorted((q for q in rec.get("quotes") or () if isinstance(q, dict) and q.get("type") in TRACKED_TYPES
                     and isinstance(q.get("start"), int) and isinstance(q.get("end"), int)
                     and 0 <= q["start"] < q["end"] <= len(text)),
                    key=lambda q: (q["start"], q["end"]))
    out: list[Occurrence] = []
    prev = None
    for q in quotes:
        spans = q.get("speaker_spans") or []
        speaker = None
        if spans and isinstance(spans[0], list) and len(spans[0]) == 2:
            s, e = spans[0]
            if isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text):
                speaker = text[s:e]
        if speaker is None and isinstance(q.get("speaker"), str):
            speaker = q["speaker"]
        entity_name = entities.get(q.get("entity")) if q.get("entity") else None
        piece = _quoted_words(text[q["start"]:q["end"]], q["type"])
        if (prev is not None and _GAP.fullmatch(text[prev.end:q["start"]]) and "\n" in text[prev.end:q["start"]]
                and _same_speaker(prev, speaker, entity_name)):
            # a quotation continued in the next paragraph: one occurrence
            merged = make_occurrence(doc, prev.start, q["end"], f"{prev.text} {piece}",
                                     prev.speaker or speaker, prev.entity_name or entity_name)
            out[-1] = prev = merged
            continue
        prev = make_occurrence(doc, q["start"], q["end"], piece, speaker, entity_name)
        out.append(prev)
    return out


def _same_speaker(prev: Occurrence, speaker, entity_name) -> bool:
    a = _identity_name(prev.entity_name or prev.speaker)
    b = _identity_name(entity_name or speaker)
    return a is None or b is None or a == b or _name_key(a) == _name_key(b)


def _records_of(path: Path, problems: list[str]) -> Iterator[dict]:
    import gzip

    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        f = opener(path, "rt", encoding="utf-8")
    except OSError as e:
        problems.append(f"{path}: cannot be read ({e.strerror or e})")
        return
    with f:
        try:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except ValueError as e:
                    problems.append(f"{path}:{n}: not JSON ({e})")
                    continue
                if isinstance(rec, dict):
                    yield rec
                else:
                    problems.append(f"{path}:{n}: not a JSON object")
        except (OSError, UnicodeDecodeError, EOFError) as e:
            problems.append(f"{path}: cannot be read ({e})")


def input_files(inputs: list[str], problems: list[str]) -> list[Path]:
    """JSONL files (analyze or batch output, annotated corpora); a folder gives its .jsonl files
    except batch error lists."""
    files: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")
                           and f.name.endswith((".jsonl", ".jsonl.gz")) and ".errors." not in f.name)
            if not found:
                problems.append(f"{p}: folder holds no .jsonl file")
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            problems.append(f"{p}: no such file")
    return files


def file_occurrences(path: str) -> tuple[list[Occurrence], list[str]]:
    """One file's occurrences and problems (an engine task: runs in a worker)."""
    problems: list[str] = []
    occ: list[Occurrence] = []
    for rec in _records_of(Path(path), problems):
        occ.extend(record_occurrences(rec))
    return occ, problems


def load_occurrences(inputs: list[str], problems: list[str], engine: str = "local", scheduler=None,
                     workers: int | None = None) -> list[Occurrence]:
    """Every occurrence in ``inputs``; several files are read by the engine's workers
    (``workers`` > 1 or Dask), one file here."""
    files = input_files(inputs, problems)
    if engine == "local" and (len(files) < 2 or (workers or 1) <= 1):
        results = [file_occurrences(str(f)) for f in files]
    else:
        from .engines import make_engine

        results = [None] * len(files)
        with make_engine(engine, workers=workers, scheduler=scheduler) as runner:
            for o in runner.run(file_occurrences, [str(f.resolve()) for f in files]):
                results[o.index] = o.result if o.error is None else ([], [f"{files[o.index]}: {o.error}"])
    occ: list[Occurrence] = []
    for found, probs in results:
        occ.extend(found)
        problems.extend(probs)
    return occ


# -- names --------------------------------------------------------------------------------------
def _identity_name(name: str | None) -> str | None:
    """A name that says who spoke (a proper name), without a possessive; None for pronouns and
    descriptions ("the source")."""
    if not name:
        return None
    name = re.sub(r"['\u2019]s?$", "", " ".join(name.split()))
    if name.casefold() in PRONOUNS or not name[:1].isupper() or name.split()[0].casefold() in _DETERMINERS:
        return None
    return name


def _name_key(name: str) -> str:
    return " ".join(normal_words(name))


def merge_names(names: Iterable[str]) -> dict[str, str]:
    """Each name -> the name it stands for: the same words without case or spacing, and a single
    word (a surname) -> the one longer name ending in it ("Putin" -> "Vladimir Putin"); a surname
    two longer names share stays itself."""
    keys: dict[str, str] = {}
    best: dict[str, str] = {}
    for n in names:
        k = _name_key(n)
        if not k:
            continue
        keys[n] = k
        if k not in best or len(n) > len(best[k]):
            best[k] = n
    by_last: dict[str, set[str]] = defaultdict(set)
    for k in best:
        parts = k.split()
        if len(parts) > 1:
            by_last[parts[-1]].add(k)
    out = {}
    for n, k in keys.items():
        if " " not in k and len(by_last.get(k, ())) == 1:
            k = next(iter(by_last[k]))
        out[n] = best[k]
    return out


# -- grouping -----------------------------------------------------------------------------------
class _Union:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        p = self.parent
        while p[i] != i:
            p[i] = p[p[i]]
            i = p[i]
        return i

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _matched(a: list[str], b: list[str]) -> int:
    return sum(m.size for m in SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())


def same_quotation(a: list[str], b: list[str], set_a: set | None = None, set_b: set | None = None) -> bool:
    """Most words of the shorter found, in order, in the longer; the shorter is at least half
    the longer, or a long excerpt of it."""
    if a == b:
        return len(a) >= MIN_WORDS
    short, long_ = sorted((len(a), len(b)))
    if short < MIN_WORDS or (short * 2 < long_ and short < EXCERPT_WORDS):
        return False
    set_a = set(a) if set_a is None else set_a
    set_b = set(b) if set_b is None else set_b
    if len(set_a & set_b) < MATCH * min(len(set_a), len(set_b)):  # cheap: words in common at all
        return False
    return _matched(a, b) >= MATCH * short


def group_indices(occ: list[Occurrence]) -> list[list[int]]:
    """Occurrence indices grouped into quotations (only groups of two or more)."""
    buckets: dict[int, list[int]] = defaultdict(list)
    for i, o in enumerate(occ):
        if len(o.words) >= MIN_WORDS:
            for h in o.sketch:
                buckets[h].append(i)
    u = _Union(len(occ))
    checked: set[tuple[int, int]] = set()
    sets: dict[int, set] = {}
    for members in buckets.values():
        if len(members) < 2 or len(members) > MAX_BUCKET:
            continue
        for x in range(len(members)):
            i = members[x]
            for y in range(x + 1, len(members)):
                j = members[y]
                if u.find(i) == u.find(j) or (i, j) in checked:
                    continue
                checked.add((i, j))
                si = sets.get(i) or sets.setdefault(i, set(occ[i].words))
                sj = sets.get(j) or sets.setdefault(j, set(occ[j].words))
                if same_quotation(occ[i].words, occ[j].words, si, sj):
                    u.join(i, j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(occ)):
        groups[u.find(i)].append(i)
    return [g for g in groups.values() if len(g) > 1]


def _differences(canon: list[str], words: list[str]) -> list[dict]:
    """Word-level changes from the quotation's text to one occurrence; words only left out at
    either end (an excerpt) are not changes."""
    ops = SequenceMatcher(None, canon, words, autojunk=False).get_opcodes()
    changes = []
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag == "equal":
            continue
        if tag in ("delete", "insert") and (k == 0 or k == len(ops) - 1):
            continue  # an excerpt: it starts later or ends sooner (or goes on further)
        changes.append({"op": tag, "from": " ".join(canon[i1:i2]), "to": " ".join(words[j1:j2])})
    return changes


def describe_group(occ: list[Occurrence], members: list[int]) -> dict:
    items = sorted((occ[i] for i in members), key=lambda o: (o.doc, o.start))
    # the quotation's text: its most printed wording, the longest on a tie
    counts = Counter(tuple(o.words) for o in items)
    canon_words = list(max(counts, key=lambda w: (counts[w], len(w), w)))
    canon = next(o for o in items if o.words == canon_words)
    names = [n for n in (_identity_name(o.entity_name or o.speaker) for o in items) if n]
    merged = merge_names(names)
    speaker_of = [merged.get(_identity_name(o.entity_name or o.speaker) or "", None) for o in items]
    speakers = [s for s, _ in Counter(s for s in speaker_of if s).most_common()]
    flags = []
    if len({_name_key(s) for s in speakers}) > 1:
        flags.append("speaker_conflict")
    differences = []
    by_speaker: dict[str | None, list[Occurrence]] = defaultdict(list)
    for o, s in zip(items, speaker_of):
        by_speaker[s].append(o)
    drift = False
    for s, group in by_speaker.items():
        ref = Counter(tuple(o.words) for o in group).most_common(1)[0][0]
        for o in group:
            changes = _differences(list(ref), o.words)
            if changes:
                drift = True
                differences.append({"doc": o.doc, "start": o.start, "end": o.end, "speaker": s,
                                    "text": o.text, "changes": changes})
    if drift:
        flags.append("wording_drift")
    key = " ".join(canon_words)
    return {"id": "t" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12], "text": canon.text.strip().strip("\"'\u201c\u201d\u2018\u2019").strip(),
            "occurrences": [o.as_dict() for o in items], "speakers": speakers, "flags": flags,
            **({"differences": differences} if differences else {})}


def track(occurrences: list[Occurrence]) -> list[dict]:
    """The quotations found more than once, most occurrences first (then by text)."""
    groups = [describe_group(occurrences, g) for g in group_indices(occurrences)]
    groups.sort(key=lambda g: (-len(g["occurrences"]), g["text"]))
    return groups


def write_tracks(groups: list[dict], out: str) -> None:
    from .atomic import atomic_write_text

    text = "".join(json.dumps(g, ensure_ascii=False) + "\n" for g in groups)
    if out == "-":
        import sys

        sys.stdout.write(text)
    else:
        atomic_write_text(out, text)


# -- for a window: where else does this quote appear ---------------------------------------------
class TrackIndex:
    """Groups by (doc, span), for "where else does this quote appear" in a corpus window."""

    def __init__(self, groups: list[dict]):
        self.groups = groups
        self._by_doc: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
        for gi, g in enumerate(groups):
            for o in g["occurrences"]:
                self._by_doc[o["doc"]].append((o["start"], o["end"], gi))

    @classmethod
    def from_records(cls, records: Iterable[dict]) -> "TrackIndex":
        occ = [o for rec in records for o in record_occurrences(rec)]
        return cls(track(occ))

    @classmethod
    def from_documents(cls, docs: Iterable) -> "TrackIndex":
        """From core.model Documents (a corpus' saved annotations)."""
        from .formats.jsonl import document_to_record

        return cls.from_records(document_to_record(d) for d in docs)

    def group_of(self, doc: str, start: int, end: int) -> dict | None:
        for s, e, gi in self._by_doc.get(doc, ()):
            if s <= start < e or start <= s < end:
                return self.groups[gi]
        return None

    def conflicts(self) -> list[dict]:
        return [g for g in self.groups if "speaker_conflict" in g["flags"]]


def wording_changes(text: str, other: str) -> list[dict]:
    """Word-level changes ({"op", "from", "to"}) from the quoted words ``text`` to ``other``, after
    normalisation; words only left out at either end (an excerpt) are not changes."""
    return _differences(normal_words(text), normal_words(other))


def where_else(index: TrackIndex, doc: str, start: int, end: int) -> list[dict]:
    """The other occurrences (doc, start, end, speaker, entity_name) of the quotation that the
    quote ``doc[start:end]`` belongs to; empty when it appears nowhere else."""
    g = index.group_of(doc, start, end)
    if g is None:
        return []
    return [o for o in g["occurrences"] if not (o["doc"] == doc and o["start"] < end and start < o["end"])]


__all__ = ["Occurrence", "TrackIndex", "load_occurrences", "merge_names", "record_occurrences", "track",
           "where_else", "write_tracks", "same_quotation"]
