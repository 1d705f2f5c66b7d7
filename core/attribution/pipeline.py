"""The attribution pipeline: an ordered list of named stages over one Context.

    scan -> quoted-speech -> conversation -> reported-speech -> groups -> running-quotes -> headlines -> fragments -> scheme -> entities -> confidence

Each stage is a function ``stage(ctx)`` that reads what earlier stages left in the context and
sets its own fields; ``STAGES`` is the order (data: a stage may be inserted by name).  The context
owns the shared state, among it the cues already used by a quote (``take_cue`` / ``cue_taken``):
no rule changes a caller's set behind its back.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module

from ..model import Cue, Document, Quote
from .conversation import stage_conversation
from .cues import CueHits
from .direct import last_speaker
from .found import Found
from .indirect import headline_quote, sentence_quotes
from .marks import OPENING, Quoted, scan
from .mentions import link, next_id
from .quoted import Paragraph, paragraph_quotes
from .rules import retype
from .sentences import logical_paragraphs, sentence_spans

SCHEMES = ("default", "polnear")
HEADLINE_CHARS = 220


@dataclass
class Context:
    """Everything the stages share for one document."""
    text: str
    paragraphs: list[tuple[int, int]]
    scheme: str = "default"
    doc: Document | None = None
    # scan
    quoted: list[Quoted] = field(default_factory=list)
    cues: CueHits | None = None
    para_quoted: dict[int, list[Quoted]] = field(default_factory=dict)     # quoted spans of each paragraph
    sentences: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # paragraphs some rule reads
    # quoted speech: each paragraph's quotes (paragraph index -> its Found), then reported speech
    para_found: dict[int, list[Found]] = field(default_factory=dict)
    reported: list[Found] = field(default_factory=list)
    found: list[Found] = field(default_factory=list)   # the result, in text order, after the passes
    stages_run: list[str] = field(default_factory=list)
    _taken: set[int] = field(default_factory=set)

    def take_cue(self, cue: tuple[int, int]) -> None:
        """A quote's cue serves no other quote."""
        self._taken.add(cue[0])

    def cue_taken(self, start: int) -> bool:
        return start in self._taken

    def quotes(self) -> list[Found]:
        """Quoted speech found so far, in text order."""
        return [f for pi in sorted(self.para_found) for f in self.para_found[pi]]


class _Coverage:
    """Sorted, non-overlapping spans already claimed by a quote, for overlap tests in log time."""

    def __init__(self, spans):
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def __call__(self, s: int, e: int) -> bool:
        i = bisect_left(self.starts, e)
        # spans are sorted by start; check the few that start before e
        j = i - 1
        while j >= 0:
            _, b = self.spans[j]
            if b > s:
                return True
            if j < i - 4:
                break
            j -= 1
        return False


class _PreviousSpeaker:
    """Who spoke last before a paragraph, worked out only when a rule asks: reported speech in the
    paragraphs without quotes since the last quote, else that quote's speaker."""

    _UNSET = object()

    def __init__(self, text, quote_speaker, plain, cues):
        self.text, self.quote_speaker, self.plain, self.cues = text, quote_speaker, plain[-3:], cues
        self._found = self._UNSET

    def get(self):
        if self._found is self._UNSET:   # several quotes of a paragraph may ask
            self._found = self._look()
        return self._found

    def _look(self):
        for lo, hi in reversed(self.plain):
            spoke = last_speaker(self.text, lo, hi, self.cues)
            if spoke is not None:
                return spoke
        return self.quote_speaker


# -- stages ------------------------------------------------------------------------------------------

def stage_scan(ctx: Context) -> None:
    """The paragraphs (hard-wrapped lines joined), quote marks, cue words, and the sentences of every
    paragraph that holds marks or cues."""
    text = ctx.text
    ctx.paragraphs = logical_paragraphs(text, ctx.paragraphs)
    ctx.quoted = scan(text, ctx.paragraphs)
    ctx.cues = CueHits(text)
    for q in ctx.quoted:
        ctx.para_quoted.setdefault(q.para, []).append(q)
    for pi, (lo, hi) in enumerate(ctx.paragraphs):
        pq = ctx.para_quoted.get(pi, ())
        if not pq and not ctx.cues.between(lo, hi):
            continue  # nothing here for any rule: no marks, no cue word
        marks = [(q.open_at, q.close_at if q.close_at is not None else q.end) for q in pq]
        ctx.sentences[pi] = sentence_spans(text, lo, hi, marks)


def stage_quoted_speech(ctx: Context) -> None:
    """Direct and mixed quotes, paragraph by paragraph (quoted.py's sieves)."""
    prev_speaker = None
    plain: list[tuple[int, int]] = []  # paragraphs without quotes since the last one with quotes
    n = len(ctx.paragraphs)
    for pi, (lo, hi) in enumerate(ctx.paragraphs):
        pq = ctx.para_quoted.get(pi)
        if not pq:
            plain.append((lo, hi))
            continue
        p = Paragraph(ctx, lo, hi, pq, ctx.sentences[pi], _PreviousSpeaker(ctx.text, prev_speaker, plain, ctx.cues),
                      ctx.paragraphs[pi - 1] if pi else None, ctx.paragraphs[pi + 1] if pi + 1 < n else None)
        fs, last = paragraph_quotes(p)
        plain = []
        ctx.para_found[pi] = fs
        prev_speaker = last if last is not None else prev_speaker


def stage_reported_speech(ctx: Context) -> None:
    """Indirect quotes of every sentence outside the quotes found (indirect.py)."""
    text = ctx.text
    found = ctx.quotes()
    covered = _Coverage([(f.start, f.end) for f in found])
    by_cue = sorted((f.cue[0], f.cue[1], f.speaker) for f in found if f.cue and f.speaker)
    cue_starts = [c[0] for c in by_cue]
    for pi in sorted(ctx.sentences):
        for ss, se in ctx.sentences[pi]:
            for f in sentence_quotes(ctx, ss, se, covered):
                _participle_of_quote_cue(text, f, ss, by_cue, cue_starts)
                ctx.reported.append(f)


def stage_groups(ctx: Context) -> None:
    """Parts of one quotation share a group: a quote running over paragraphs, and '“A,” she said.
    “B.”' around one cue."""
    group_n = 0
    open_group = None
    last_pi = None
    for pi in sorted(ctx.para_found):
        fs, pq = ctx.para_found[pi], ctx.para_quoted[pi]
        if last_pi is None or pi != last_pi + 1:
            open_group = None  # a paragraph without quotes ends any running quote
        last_pi = pi
        for f in fs:
            if f.type == "direct" and open_group is not None and f.start == pq[0].start and pq[0].continued:
                f.group = open_group
        if pq[-1].continues and fs and fs[-1].type == "direct":
            if fs[-1].group is None:
                group_n += 1
                fs[-1].group = f"g{group_n}"
            open_group = fs[-1].group
        else:
            open_group = None
        prev_f = None
        for f in fs:
            if (prev_f is not None and f.type == prev_f.type == "direct" and f.cue is not None
                    and f.cue == prev_f.cue and f.speaker == prev_f.speaker):
                if prev_f.group is None and f.group is None:
                    group_n += 1
                    prev_f.group = f"g{group_n}"
                if f.group is None:
                    f.group = prev_f.group
                elif prev_f.group is None:
                    prev_f.group = f.group
            prev_f = f


# the rules that name nobody of the quote's own: a part of a running quote takes its end's speaker instead
UNNAMED_RULES = frozenset(("direct:unattributed", "direct:previous-speaker", "direct:conversation-turn"))


def stage_running_quotes(ctx: Context) -> None:
    """AP style: a paragraph that opens a quote without closing it continues into the next, and the
    whole quotation takes the speaker found at its end (“... / “... / “...,” said Rosa Diaz)."""
    parts: dict[str, list[Found]] = {}
    for pi in sorted(ctx.para_found):
        for f in ctx.para_found[pi]:
            if f.group is not None and f.type == "direct":
                parts.setdefault(f.group, []).append(f)
    for group in parts.values():
        named = [f for f in group if f.speaker is not None and f.rule not in UNNAMED_RULES]
        if not named:
            continue
        for f in group:
            if f.rule in UNNAMED_RULES:
                nxt = next((g for g in named if g.start > f.start), named[-1])
                f.speaker, f.cue, f.rule, f.confidence = nxt.speaker, None, "direct:running-quote", 0.8


def stage_headlines(ctx: Context) -> None:
    """Short 'Source: words' paragraphs; the quotes other rules found inside their words give way.
    (Spans are looked up by bisection: a long page may hold thousands of such lines.)"""
    text = ctx.text
    found = ctx.quotes()
    heads = []
    for lo, hi in ctx.paragraphs:
        if hi - lo > HEADLINE_CHARS or text[lo:lo + 1].islower() or text.find(":", lo, min(hi, lo + 80)) < 0:
            continue
        h = headline_quote(text, lo, hi)
        if h is not None and text[h.start:h.start + 1] not in OPENING:
            heads.append(h)  # ('Kovac: “We stay open.”' quotes her words: the direct quote stands)
    if heads:
        order = sorted(found, key=lambda f: f.start)
        starts = [f.start for f in order]
        inside = set()
        for h in heads:
            i = bisect_left(starts, h.start - 2)
            while i < len(order) and order[i].start <= h.end + 2:
                if order[i].end <= h.end + 2:
                    inside.add(id(order[i]))
                i += 1
        if inside:
            found = [f for f in found if id(f) not in inside]
        taken = _Coverage([(f.start, f.end) for f in found + ctx.reported])
        ctx.reported = ctx.reported + [h for h in heads if not taken(h.start, h.end)]
    ctx.found = found


def stage_fragments(ctx: Context) -> None:
    """Reported speech holding a quoted fragment is mixed ('Kovac told the rally, saying Marsh would
    “sink the port”': the fragment was left to the indirect rules because its sentence's cue served a
    direct quote); in a text quoting with double marks, a partial quote whose only fragment is in
    single marks ('Kovac calls levy ‘a gift’', a scare quote) quotes nobody word for word: reported
    speech.  Texts quoting with single marks throughout (British style) keep their partial quotes."""
    quoted = ctx.quoted
    opens = [q.open_at for q in quoted]
    for f in ctx.reported:
        if any(q.close_at is not None and q.close_at < f.end for q in _marks_inside(f, quoted, opens)):
            f.type, f.rule = "mixed", retype(f.rule, "mixed")
    found = ctx.found + ctx.reported
    if any(not q.single for q in quoted):
        for f in found:
            if f.type != "mixed":
                continue
            inside = list(_marks_inside(f, quoted, opens))
            if inside and all(q.single for q in inside):
                f.type, f.rule = "indirect", retype(f.rule, "indirect")
    found.sort(key=lambda f: (f.start, f.end))
    ctx.found = found


def stage_scheme(ctx: Context) -> None:
    """The PolNeAR convention (scheme "polnear"): quotes marked with '' are indirect, their marks
    inside the span."""
    if ctx.scheme != "polnear":
        return
    text = ctx.text
    for f in ctx.found:
        if f.type == "direct":
            if text.startswith("''", f.start - 2):
                f.start -= 2
                if text.startswith("''", f.end):
                    f.end += 2
                f.type = "indirect"
        elif f.type == "mixed" and "''" in text[f.start:f.end]:
            f.type = "indirect"


def stage_entities(ctx: Context) -> None:
    """Mentions and entities for the speakers (mentions.py), then the document's quotes and cues."""
    doc = ctx.doc
    if doc is None:
        return
    mention_of = link(doc, [f.speaker for f in ctx.found if f.speaker])
    cue_of: dict[tuple[int, int], str] = {}
    for f in ctx.found:
        if f.end <= f.start:
            continue
        cid = None
        if f.cue and f.cue[1] > f.cue[0]:
            cid = cue_of.get(f.cue)
            if cid is None:
                cid = next_id(doc, doc.cues, "c")
                doc.cues[cid] = Cue(cid, f.cue[0], f.cue[1])
                cue_of[f.cue] = cid
        qid = next_id(doc, doc.quotes, "q")
        doc.quotes[qid] = Quote(qid, f.start, f.end, type=f.type,
                                mention=mention_of.get(f.speaker) if f.speaker else None,
                                cue=cid, rule=f.rule, confidence=f.confidence, group=f.group)


def stage_confidence(ctx: Context) -> None:
    """The final stage: a learned confidence for each quote (core/attribution/confidence.py's
    assign_confidences, from resources/confidence.json); without it each rule's provisional
    confidence stands."""
    apply = _confidence_stage()
    if apply is not None and ctx.doc is not None:
        apply(ctx.doc)


@lru_cache(maxsize=None)
def _confidence_stage():
    """confidence.py's entry point, looked up once (a missing module is not searched for again per document)."""
    try:
        module = import_module(".confidence", __package__)
    except ImportError:
        return None
    return getattr(module, "assign_confidences", None)


STAGES = (
    ("scan", stage_scan),
    ("quoted-speech", stage_quoted_speech),
    ("conversation", stage_conversation),
    ("reported-speech", stage_reported_speech),
    ("groups", stage_groups),
    ("running-quotes", stage_running_quotes),
    ("headlines", stage_headlines),
    ("fragments", stage_fragments),
    ("scheme", stage_scheme),
    ("entities", stage_entities),
    ("confidence", stage_confidence),
)


def run(ctx: Context, stages=STAGES) -> Context:
    for name, stage in stages:
        stage(ctx)
        ctx.stages_run.append(name)
    return ctx


# -- helpers of the stages ---------------------------------------------------------------------------

def _participle_of_quote_cue(text: str, f: Found, ss: int, by_cue, cue_starts) -> None:
    """'“...,” Kovac told the rally, saying ...': a participle right after the cue of a quote in
    the same sentence has that quote's speaker, not the subject the clause rules guess."""
    if not f.cue or not text[f.cue[0]:f.cue[1]].endswith("ing"):
        return
    i = bisect_left(cue_starts, f.cue[0]) - 1
    if i < 0 or by_cue[i][0] < ss:
        return
    between = text[by_cue[i][1]:f.cue[0]]
    if len(between) < 120 and between.rstrip().endswith(",") and not any(c in between for c in ".;“”\"!?"):
        f.speaker = by_cue[i][2]


def _marks_inside(f: Found, quoted, opens: list[int]):
    """The quoted spans whose opening mark lies inside ``f`` (``opens``: their opening offsets, sorted)."""
    i = bisect_left(opens, f.start)
    while i < len(quoted) and quoted[i].open_at < f.end:
        yield quoted[i]
        i += 1
