"""Quote attribution: fills a Document with machine-suggested quotes, speaker mentions, entities and cues.

``attribute(doc)`` reads ``doc.article`` (paragraphs from ``doc.paragraphs``, or one a non-blank
line) and adds direct, mixed and indirect quotes, each with the rule that found it and a confidence.

Rules (``Quote.rule``), roughly from most to least sure:
  direct:quote-cue-speaker      “...,” Kovac said / “...,” said Kovac (confidence .95)
  direct:speaker-verb-colon     Kovac replied: “...”  (any verb right before the mark)
  direct:quote-dash-speaker     “...” ― Ana Kovac  (an attribution line, same or next paragraph)
  direct:speaker-label          "KOVAC: ..." a transcript turn quoted whole (the label speaks)
  direct:sentence-cue-after     “...” because it failed, she said. (a cue later in the quote's sentence, .8)
  direct:speaker-cue-quote      Kovac said in a statement on Monday, “...”
  direct:according-to           According to Kovac, “...”
  direct:subject-colon          Kovac delivered a blunt message: “...”
  direct:same-paragraph(-next)  another quote of the paragraph names the speaker (.8-.85)
  direct:continued-paragraph    the quote carries on from the previous paragraph (.85)
  direct:colon-previous-paragraph  previous paragraph ends 'Kovac said:' (.95)
  direct:paragraph-cue          a 'Kovac said' elsewhere in the paragraph (.7)
  direct:previous-speaker       the latest speaker before the paragraph (.55); a quote of fewer than
                                12 words with nobody named in its paragraph is dropped instead
  direct:no-speaker             nobody found (.4)
  mixed:speaker-cue-clause      Kovac said the plan was “a gamble” (the reported clause is the span); an
                                absolute 'with X saying ...' or '..., which X called “...”' nearest the
                                fragment wins over the sentence's first cue
  mixed:clause-speaker-cue / mixed:clause-quote-cue-speaker   The plan is “a gamble,” Kovac said.
  mixed:according-to            According to X, ... “...” ...
  mixed:participle-report       Kovac called it “a gamble,” adding that it would “sink the port” (the second part)
  mixed:second-speaker          ... Kovac said it was “a gamble,” and Marsh called it “a farce.” (the second
                                fragment's own speaker after a conjunction; the first clause ends there)
  mixed:subject-verb-clause     Kovac dismissed the plan as “a gamble” (any finite verb, .6)
  mixed:characterised-as       Kovac has been pounding Marsh as a “harbour pirate” (a named subject, .55)
  mixed:sentence-subject        last resort: the sentence's subject (.45)
  indirect:speaker-cue-clause   Kovac said (that) ... / Kovac told reporters ... (.7; clause verbs .5)
  indirect:subject-cue-clause   Kovac left and said ... (the clause subject, .5)
  indirect:clause-speaker-cue   ..., Kovac said. / ..., said Kovac.
  indirect:parenthetical-cue    If it fails, Kovac said, the port closes. (the whole sentence, .65)
  indirect:according-to-clause / indirect:clause-according-to   According to X, ... / ..., according to X.
  indirect:according-to-parenthetical   Fares, according to X, will rise. (the whole sentence)
  indirect:asked-question       'Asked whether the port would close, ...': the question, no speaker (.5)
  indirect:headline-source      'Kovac: Port Will Stay Open' (a short paragraph naming its source before a
                                colon; capitalised datelines and labels such as 'The Latest:' are not sources)
  An indirect rule whose clause holds a whole quoted fragment gives a mixed quote instead, named
  mixed:<the same rule> ('“...,” Kovac told the rally, saying Marsh would “sink the port.”').
  In a text that quotes with double marks, a partial quote whose only fragment is in single marks
  (a headline's 'Kovac calls levy ‘a gift’', a scare quote) is reported speech: indirect:<rule>.

Entities (mentions.py): a title of several words ('Secretary of State') is not part of the name;
'he'/'she' is the person last named since the last speaker; 'the <role>' opening the sentence right
after a named person spoke is that person if they were written earlier with a matching title.

Labelling schemes (``attribute(doc, scheme=...)``):
  "default"  QuoteDesk's own: '' (two apostrophes, the straight double mark of some newspaper
             archives) is a quote mark like any other, so ''...'' quotes are direct or mixed.
  "polnear"  compatibility with the PolNeAR corpus, whose annotation tool did not take '' for a
             quote mark: a quote marked with '' is reported speech there, typed "indirect", and a
             direct one is spanned with its marks (''...''), a partial one as its whole clause.
             Speakers and cues are found exactly as in the default scheme.
"""
from __future__ import annotations

from bisect import bisect_left

from ..model import Cue, Document, Quote
from .cues import CueHits
from .direct import last_speaker, paragraph_quotes
from .found import Found
from .indirect import headline_quote, sentence_quotes
from .marks import scan
from .mentions import link, next_id
from .sentences import paragraph_spans, sentence_spans

__all__ = ["SCHEMES", "attribute", "attribute_text"]


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

    def __init__(self, text, quote_speaker, plain, cues):
        self.text, self.quote_speaker, self.plain, self.cues = text, quote_speaker, list(plain), cues

    def get(self):
        for lo, hi in reversed(self.plain[-3:]):
            spoke = last_speaker(self.text, lo, hi, self.cues)
            if spoke is not None:
                return spoke
        return self.quote_speaker


def find_quotes(text: str, paragraphs: list[tuple[int, int]]) -> list[Found]:
    """Every quote the rules find in ``text``, in text order."""
    quoted = scan(text, paragraphs)
    cues = CueHits(text)
    found: list[Found] = []
    qi = 0
    prev_speaker = None
    plain: list[tuple[int, int]] = []  # paragraphs without quotes since the last one with quotes
    taken_cues: set[int] = set()
    group_n = 0
    open_group = None
    para_sents = []
    for pi, (lo, hi) in enumerate(paragraphs):
        pq = []
        while qi < len(quoted) and quoted[qi].para == pi:
            pq.append(quoted[qi])
            qi += 1
        if not pq and not cues.between(lo, hi):
            # nothing here for any rule: no marks, no cue word
            open_group = None
            plain.append((lo, hi))
            continue
        marks = [(q.open_at, q.close_at if q.close_at is not None else q.end) for q in pq]
        sents = sentence_spans(text, lo, hi, marks)
        para_sents.append(sents)
        if pq:
            fs, last = paragraph_quotes(text, (lo, hi), pq, sents,
                                        _PreviousSpeaker(text, prev_speaker, plain, cues), taken_cues,
                                        paragraphs[pi - 1] if pi else None, cues,
                                        paragraphs[pi + 1] if pi + 1 < len(paragraphs) else None)
            plain = []
            # parts of one quote running over paragraphs share a group
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
            # '“A,” she said. “B.”': parts of one quotation around its cue share a group
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
            found.extend(fs)
            prev_speaker = last if last is not None else prev_speaker
        else:
            open_group = None
            plain.append((lo, hi))
    covered = _Coverage([(f.start, f.end) for f in found])
    extra: list[Found] = []
    by_cue = sorted((f.cue[0], f.cue[1], f.speaker) for f in found if f.cue and f.speaker)
    cue_starts = [c[0] for c in by_cue]
    for sents in para_sents:
        for ss, se in sents:
            for f in sentence_quotes(text, ss, se, covered, taken_cues, cues):
                _participle_of_quote_cue(text, f, ss, by_cue, cue_starts)
                extra.append(f)
    _headlines(text, paragraphs, found, extra)
    _quoted_fragments_make_mixed(extra, quoted)
    found.extend(extra)
    if any(not q.single for q in quoted):
        _single_marked_fragments_are_reported(found, quoted)
    found.sort(key=lambda f: (f.start, f.end))
    return found


HEADLINE_CHARS = 220


def _headlines(text: str, paragraphs, found: list[Found], extra: list[Found]) -> None:
    """Short 'Source: words' paragraphs; the quotes other rules found inside their words give way.
    (Spans are looked up by bisection: a long page may hold thousands of such lines.)"""
    heads = []
    for lo, hi in paragraphs:
        if hi - lo > HEADLINE_CHARS or text[lo:lo + 1].islower() or text.find(":", lo, min(hi, lo + 80)) < 0:
            continue
        h = headline_quote(text, lo, hi)
        if h is not None and text[h.start:h.start + 1] not in "“\"«„‘'":
            heads.append(h)  # ('Kovac: “We stay open.”' quotes her words: the direct quote stands)
    if not heads:
        return
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
        found[:] = [f for f in found if id(f) not in inside]
    taken = _Coverage([(f.start, f.end) for f in found + extra])
    extra.extend(h for h in heads if not taken(h.start, h.end))


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


def _single_marked_fragments_are_reported(found: list[Found], quoted) -> None:
    """In a text whose quotation marks are double, a clause whose only quoted fragment is in single
    marks ('Kovac calls levy ‘a gift’') quotes nobody word for word: a headline's shorthand or a
    scare quote, so the clause is reported speech.  Texts quoting with single marks throughout
    (British style) keep their partial quotes."""
    opens = [q.open_at for q in quoted]
    for f in found:
        if f.type != "mixed":
            continue
        inside = list(_marks_inside(f, quoted, opens))
        if inside and all(q.single for q in inside):
            f.type, f.rule = "indirect", f.rule.replace("mixed:", "indirect:", 1)


def _quoted_fragments_make_mixed(found: list[Found], quoted) -> None:
    """Reported speech that holds a quoted fragment is a partial quote ('Kovac told the rally,
    saying Marsh would “sink the port”'): the fragment alone was left to the indirect rules
    because its sentence's cue already served a direct quote."""
    opens = [q.open_at for q in quoted]
    for f in found:
        if any(q.close_at is not None and q.close_at < f.end for q in _marks_inside(f, quoted, opens)):
            f.type, f.rule = "mixed", f.rule.replace("indirect:", "mixed:", 1)


SCHEMES = ("default", "polnear")


def _polnear(text: str, found: list[Found]) -> None:
    """The PolNeAR convention: quotes marked with '' are indirect, their marks inside the span."""
    for f in found:
        if f.type == "direct":
            if text.startswith("''", f.start - 2):
                f.start -= 2
                if text.startswith("''", f.end):
                    f.end += 2
                f.type = "indirect"
        elif f.type == "mixed" and "''" in text[f.start:f.end]:
            f.type = "indirect"


def attribute(doc: Document, scheme: str = "default") -> None:
    """Add the machine's quotes, mentions, entities and cues for ``doc.article`` to ``doc``.
    ``scheme`` picks a labelling convention (see the module docstring)."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown attribution scheme {scheme!r}; expected one of {', '.join(SCHEMES)}")
    text = doc.article
    found = find_quotes(text, paragraph_spans(doc))
    if scheme == "polnear":
        _polnear(text, found)
    mention_of = link(doc, [f.speaker for f in found if f.speaker])
    cue_of: dict[tuple[int, int], str] = {}
    for f in found:
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


def attribute_text(text: str, scheme: str = "default") -> Document:
    """A Document whose article is ``text``, attributed."""
    doc = Document(id="text", raw=text, article=text)
    attribute(doc, scheme)
    return doc
