"""A machine quote's confidence as a probability: how often a quote like it is found with the right speaker.

The table (``resources/confidence.json``) is fitted on PolNeAR train by ``bench/fit_confidence.py``:
a quote falls in one cell of each feature group (its type; its rule; its rule with the speaker's kind
(name, role, pronoun, none); its cue word; how its clause opens; a passive cue; the speaker's distance
from the quote, shape and place in its sentence; how many quotes the speaker's entity has; the quote's
length; whether it is in the headline: GROUPS), every cell holds a log-odds weight, and the confidence
is the logistic of the bias plus the weights of the quote's cells.  Coarse cells (the type) carry
the main rate; finer cells (the rule, the rule with the speaker kind, the cue word) carry only the
deviation the training data supports, because the fit penalises every weight towards zero.  A cell
the table lacks (a rule added after the fit, a cue word never seen) adds nothing, so such a quote
backs off to the coarser cells it shares with the quotes the table was fitted on.

The pipeline's last stage calls :func:`assign_confidences` on the attributed document.  Without a
readable table the quotes keep their rules' own confidences, and one message says why.
Features read only what attribution leaves in the document: the quote's rule, type and span, its
speaker mention (kind, entity kind), its cue and the article text.
"""
from __future__ import annotations

import json
import logging
import math
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..model import ORIGIN_MACHINE, Document, Quote
from ..resources import resource_path

__all__ = ["ConfidenceTable", "TableError", "assign_confidences", "estimate", "load_table", "parse_table",
           "quote_confidences", "quote_features", "TABLE_NAME"]

log = logging.getLogger(__name__)

TABLE_NAME = "confidence.json"
TABLE_FORMAT = "quotedesk-confidence"
TABLE_VERSION = 1

# The feature groups, coarse to fine; a table may use any subset of them.
GROUPS = ("type", "rule", "type+speaker", "rule+speaker", "type+entity", "cue", "type+cue", "type+opener",
          "rule+opener", "type+passive", "type+speaker_distance", "type+speaker_shape", "type+speaker_position",
          "type+speaker_quotes", "type+length", "headline")
# The word lists the features read travel inside the table (they are part of what was fitted).
WORD_LISTS = ("be_words", "prepositions", "wh_words")

SPEAKER_KINDS = {"name": "name", "nominal": "role", "pronoun": "pronoun"}
DISTANCE_EDGES = (2, 20, 80)        # characters between the speaker mention and the quote
LENGTH_EDGES = (40, 100, 200, 400)  # characters of the quote
_OPEN_STRIP = " \t\n\u00a0\"'“”‘’«»„‹›(["


class TableError(ValueError):
    """A confidence table that cannot be used (wrong format, missing or non-numeric fields)."""


@dataclass(frozen=True)
class ConfidenceTable:
    bias: float
    weights: dict          # group -> {cell value -> log-odds weight}
    words: dict            # word list name -> frozenset of lowercase words
    floor: float = 0.02
    ceiling: float = 0.99
    source: str = ""       # the file it was read from, for messages


def parse_table(data, source: str = "") -> ConfidenceTable:
    """A ConfidenceTable from the decoded JSON of a table file; TableError names the first bad field."""
    where = source or "confidence table"
    if not isinstance(data, dict):
        raise TableError(f"{where}: expected a JSON object")
    if data.get("format") != TABLE_FORMAT:
        raise TableError(f"{where}: 'format' is {data.get('format')!r}, expected {TABLE_FORMAT!r}")
    if data.get("version") != TABLE_VERSION:
        raise TableError(f"{where}: version {data.get('version')!r} is not {TABLE_VERSION} "
                         "(rebuild it with bench/fit_confidence.py)")

    def number(value, what):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise TableError(f"{where}: {what} must be a finite number, got {value!r}")
        return float(value)

    bias = number(data.get("bias"), "'bias'")
    floor, ceiling = number(data.get("floor", 0.02), "'floor'"), number(data.get("ceiling", 0.99), "'ceiling'")
    if not 0.0 < floor < ceiling < 1.0:
        raise TableError(f"{where}: need 0 < floor < ceiling < 1, got {floor} and {ceiling}")
    raw_weights = data.get("weights")
    if not isinstance(raw_weights, dict):
        raise TableError(f"{where}: 'weights' must be an object of feature groups")
    weights = {}
    for group, cells in raw_weights.items():
        if group not in GROUPS:
            raise TableError(f"{where}: unknown feature group {group!r}")
        if not isinstance(cells, dict):
            raise TableError(f"{where}: weights[{group!r}] must be an object")
        weights[group] = {str(k): number(v, f"weights[{group!r}][{k!r}]") for k, v in cells.items()}
    raw_words = data.get("words", {})
    if not isinstance(raw_words, dict):
        raise TableError(f"{where}: 'words' must be an object of word lists")
    words = {}
    for name in WORD_LISTS:
        lst = raw_words.get(name, [])
        if not isinstance(lst, list) or not all(isinstance(w, str) for w in lst):
            raise TableError(f"{where}: words[{name!r}] must be a list of strings")
        words[name] = frozenset(w.lower() for w in lst)
    return ConfidenceTable(bias, weights, words, floor, ceiling, source)


def load_table(path=None) -> ConfidenceTable | None:
    """The table in ``path`` (default: resources/confidence.json), or None with one logged message
    naming the file and the problem when it is missing or unusable."""
    return _load(str(path if path is not None else resource_path(TABLE_NAME)))


@lru_cache(maxsize=8)
def _load(path: str) -> ConfidenceTable | None:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        return parse_table(data, path)
    except FileNotFoundError:
        problem = "not found"
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:  # TableError is a ValueError
        problem = str(exc) if isinstance(exc, TableError) else f"unreadable ({exc})"
        if isinstance(exc, TableError) and problem.startswith(path + ": "):
            problem = problem[len(path) + 2:]
    log.warning("quotedesk: confidence table %s: %s; quotes keep their rules' own confidences "
                "(rebuild it with bench/fit_confidence.py)", path, problem)
    return None


# -- features -----------------------------------------------------------------------------------------
def _bucket(x: int, edges: tuple) -> str:
    labels = _BUCKETS.get(edges)
    if labels is None:
        labels = _BUCKETS[edges] = tuple(f"<={e}" for e in edges) + (f">{edges[-1]}",)
    return labels[bisect_left(edges, x)]   # the first edge >= x, or past the last


_BUCKETS: dict[tuple, tuple[str, ...]] = {}


_FIRST_WORD = re.compile(r"[\w'’-]*")


def _first_word(s: str) -> str:
    return _FIRST_WORD.match(s).group().lower()


def _opener(text: str, start: int, end: int, words) -> str:
    """How the quote's clause opens: 'that', 'to', a preposition, a wh-word, or a capital / lowercase word."""
    s = text[start:min(end, start + 60)].lstrip(_OPEN_STRIP)
    w = _first_word(s)
    if not w:
        return "punct"
    if w in ("that", "to"):
        return w
    if w in words["prepositions"]:
        return "prep"
    if w in words["wh_words"]:
        return "wh"
    return "cap" if s[:1].isupper() else "low"


def _position(text: str, start: int) -> str:
    """Where a speaker mention sits in its sentence: opening it, after a comma, or further in."""
    line = text.rfind("\n", 0, start) + 1
    before = text[max(line, start - 300):start]
    cut = max(before.rfind(". "), before.rfind("? "), before.rfind("! "))
    if cut >= 0:
        before = before[cut + 2:]
    if not before.strip():
        return "initial"
    return "comma" if before.rstrip().endswith(",") else "mid"


def entity_quote_counts(doc: Document) -> Counter:
    """How many quotes each speaker entity has in the document (a speaker quoted often is seldom a misfire)."""
    counts: Counter = Counter()
    for q in doc.quotes.values():
        m = doc.mentions.get(q.mention) if q.mention else None
        if m is not None and m.entity:
            counts[m.entity] += 1
    return counts


def _quote_count(n: int) -> str:
    return "1" if n <= 1 else "2-3" if n <= 3 else "4+"


def headline_end(text: str) -> int:
    """Where the article's first line ends (-1: it is all one line)."""
    i = 0
    while i < len(text) and text[i].isspace():
        i += 1
    return text.find("\n", i)


def quote_features(doc: Document, quote: Quote, words, entity_quotes: Counter | None = None,
                   first_line_end: int | None = None) -> dict[str, str]:
    """The cell of each feature group that ``quote`` falls in (``words``: the table's word lists;
    ``entity_quotes`` and ``first_line_end``: entity_quote_counts(doc) and headline_end(doc.article),
    worked out here when not given)."""
    text = doc.article
    mention = doc.mentions.get(quote.mention) if quote.mention else None
    cue = doc.cues.get(quote.cue) if quote.cue else None
    entity = doc.entities.get(mention.entity) if mention is not None and mention.entity else None
    t, rule = quote.type, quote.rule or "none"
    kind = SPEAKER_KINDS.get(mention.kind, "name") if mention is not None else "none"
    if mention is not None:
        if mention.start >= quote.start and mention.end <= quote.end:
            gap = "in"
        else:
            gap = _bucket(max(mention.start - quote.end, quote.start - mention.end, 0), DISTANCE_EDGES)
        spk = text[mention.start:mention.end]
        shape = "poss" if spk.endswith(("'s", "’s")) else ("lower" if spk[:1].islower() else "cap")
        position = _position(text, mention.start)
        if mention.entity:
            if entity_quotes is None:
                entity_quotes = entity_quote_counts(doc)
            quoted = _quote_count(entity_quotes.get(mention.entity, 1))
        else:
            quoted = "no-entity"
    else:
        gap = shape = position = quoted = "none"
    if cue is not None:
        cue_word = " ".join(text[cue.start:cue.end].lower().split())[:40] or "none"
        before = text[max(0, cue.start - 40):cue.start].split()
        prev = before[-1].lower() if before else ""
        passive = "be" if prev in words["be_words"] else ("adv" if prev.endswith("ly") else "other")
    else:
        cue_word = passive = "none"
    line_end = headline_end(text) if first_line_end is None else first_line_end
    headline = "yes" if line_end < 0 or quote.start < line_end else "no"
    opener = _opener(text, quote.start, quote.end, words)
    return {
        "type": t,
        "rule": rule,
        "type+speaker": f"{t}|{kind}",
        "rule+speaker": f"{rule}|{kind}",
        "type+entity": f"{t}|{entity.kind if entity is not None else 'none'}",
        "cue": cue_word,
        "type+cue": f"{t}|{cue_word}",
        "type+opener": f"{t}|{opener}",
        "rule+opener": f"{rule}|{opener}",
        "type+passive": f"{t}|{passive}",
        "type+speaker_distance": f"{t}|{gap}",
        "type+speaker_shape": f"{t}|{shape}",
        "type+speaker_position": f"{t}|{position}",
        "type+speaker_quotes": f"{t}|{quoted}",
        "type+length": f"{t}|{_bucket(quote.end - quote.start, LENGTH_EDGES)}",
        "headline": headline,
    }


def estimate(table: ConfidenceTable, features: dict[str, str]) -> float:
    """The probability the table gives a quote with these feature cells (cells it lacks add nothing)."""
    z = table.bias
    weights = table.weights
    for group, value in features.items():
        cells = weights.get(group)
        if cells is not None:
            z += cells.get(value, 0.0)
    z = max(-30.0, min(30.0, z))
    p = 1.0 / (1.0 + math.exp(-z))
    return min(table.ceiling, max(table.floor, p))


def quote_confidences(doc: Document, table: ConfidenceTable) -> dict[str, float]:
    """quote id -> learned confidence for every machine quote of ``doc`` not yet reviewed (pure).
    The same as ``estimate(table, quote_features(...))`` for each quote (a test holds them equal), in
    one pass: the table's cells are looked up as each feature is worked out, no dict of features."""
    counts, line_end = entity_quote_counts(doc), headline_end(doc.article)
    weights, words = table.weights, table.words
    cells = [weights.get(g) or _EMPTY for g in GROUPS]
    bias, floor, ceiling, exp = table.bias, table.floor, table.ceiling, math.exp
    text = doc.article
    mentions, cues, entities = doc.mentions, doc.cues, doc.entities
    be_words = words["be_words"]
    c_type, c_rule, c_tspk, c_rspk, c_tent, c_cue, c_tcue, c_topen, c_ropen, c_tpass, c_tdist, c_tshape, \
        c_tpos, c_tquot, c_tlen, c_head = cells
    out = {}
    for qid, quote in doc.quotes.items():
        if quote.origin != ORIGIN_MACHINE or quote.reviewed:
            continue
        qs, qe = quote.start, quote.end
        mention = mentions.get(quote.mention) if quote.mention else None
        t, rule = quote.type, quote.rule or "none"
        if mention is not None:
            ms, me, ment = mention.start, mention.end, mention.entity
            kind = SPEAKER_KINDS.get(mention.kind, "name")
            entity = entities.get(ment) if ment else None
            if ms >= qs and me <= qe:
                gap = "in"
            else:
                gap = _bucket(max(ms - qe, qs - me, 0), DISTANCE_EDGES)
            spk = text[ms:me]
            shape = "poss" if spk.endswith(("'s", "’s")) else ("lower" if spk[:1].islower() else "cap")
            position = _position(text, ms)
            quoted = _quote_count(counts.get(ment, 1)) if ment else "no-entity"
        else:
            kind = "none"
            entity = None
            gap = shape = position = quoted = "none"
        cue = cues.get(quote.cue) if quote.cue else None
        if cue is not None:
            cs = cue.start
            cue_word = " ".join(text[cs:cue.end].lower().split())[:40] or "none"
            before = text[max(0, cs - 40):cs].split()
            prev = before[-1].lower() if before else ""
            passive = "be" if prev in be_words else ("adv" if prev.endswith("ly") else "other")
        else:
            cue_word = passive = "none"
        opener = _opener(text, qs, qe, words)
        tb = t + "|"
        # the sum in GROUPS order, as estimate() adds a quote_features() dict
        z = bias
        z += c_type.get(t, 0.0)
        z += c_rule.get(rule, 0.0)
        z += c_tspk.get(tb + kind, 0.0)
        z += c_rspk.get(f"{rule}|{kind}", 0.0)
        z += c_tent.get(tb + (entity.kind if entity is not None else "none"), 0.0)
        z += c_cue.get(cue_word, 0.0)
        z += c_tcue.get(tb + cue_word, 0.0)
        z += c_topen.get(tb + opener, 0.0)
        z += c_ropen.get(f"{rule}|{opener}", 0.0)
        z += c_tpass.get(tb + passive, 0.0)
        z += c_tdist.get(tb + gap, 0.0)
        z += c_tshape.get(tb + shape, 0.0)
        z += c_tpos.get(tb + position, 0.0)
        z += c_tquot.get(tb + quoted, 0.0)
        z += c_tlen.get(tb + _bucket(qe - qs, LENGTH_EDGES), 0.0)
        z += c_head.get("yes" if line_end < 0 or qs < line_end else "no", 0.0)
        z = max(-30.0, min(30.0, z))
        out[qid] = min(ceiling, max(floor, 1.0 / (1.0 + exp(-z))))
    return out


_EMPTY: dict = {}


SHIPPED = "shipped"  # assign_confidences' default: the table in resources/


def assign_confidences(doc: Document, table: ConfidenceTable | None | str = SHIPPED) -> None:
    """The pipeline's confidence stage: each unreviewed machine quote's confidence from ``table``
    (by default resources/confidence.json).  Without a usable table (None) nothing changes."""
    if isinstance(table, str):
        table = load_table()
    if table is None:
        return
    for qid, p in quote_confidences(doc, table).items():
        doc.quotes[qid].confidence = p
