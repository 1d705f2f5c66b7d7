"""Quoted-speech sieves: each quoted span of a paragraph is typed (direct or mixed), then tried by
an ordered table of sieves until one names its speaker.

A sieve is a function of the paragraph's state and one quote.  It returns None when it has nothing
to say; the runner skips the remaining sieves once one has answered, and the quote carries the
answering sieve's name as its rule (in the manner of CoreNLP's QuoteAttributionAnnotator, whose
DEFAULT_QMSIEVES is a name -> sieve table run in order).  The order is the tables' order; adding a
rule is one sieve function, one table row and one entry in rules.py.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

import regex

from .direct import (CHARACTERISED_AS, JOIN, MIN_ORPHAN_WORDS, MIN_SCARE_WORDS, SPEAKER_LABEL, _absolute_cue,
                     _any_verb_subject, _by_line, _characterisation, _heading_like, _inside, _intro, _relative_that,
                     _title_like, colon_lead, find_cue_before, main_subject, speaker_after)
from .found import Found, clean_speaker, content_end, content_start, trailing_attribution
from .lexicon import NAME_SEQ, patterns
from .marks import Quoted


# '“...” (Ana Kovac)': a name alone in brackets after a quote
PAREN_NAME = regex.compile(rf"[ \u00a0]*\(({NAME_SEQ})\)")


@dataclass
class Paragraph:
    """What the sieves of one paragraph share: its span and quotes, the neighbouring paragraphs,
    and what has been decided so far in it."""
    ctx: object                                # the pipeline Context (text, cues, taken cues)
    lo: int
    hi: int
    quoted: list[Quoted]
    sents: list[tuple[int, int]]
    previous: object                           # who spoke before the paragraph, asked lazily (.get())
    prev_para: tuple[int, int] | None
    next_para: tuple[int, int] | None
    out: list[Found] = field(default_factory=list)
    mixed_sentences: dict = field(default_factory=dict)
    pending: list[Found] = field(default_factory=list)   # direct quotes still without a speaker
    woven: set = field(default_factory=set)    # ids of pending quotes set inside a sentence (not standalone)
    last: object = None                        # (speaker, cue) of the latest attributed quote
    text: str = ""                             # the document's text (ctx.text), read by every sieve

    def __post_init__(self):
        self.text = self.ctx.text


@dataclass
class QuoteSite:
    """One quoted span and the sentence around it."""
    q: Quoted
    ss: int
    se: int
    words: int
    pre_blank: bool     # nothing but a dash or bracket before the mark in its sentence


# -- direct quotes: the speaker from the words around the marks ------------------------------------
# Each returns (speaker span, cue span or None) or None.

def _label(p: Paragraph, s: QuoteSite):
    """'WALLACE: If I may, sir, ...': a transcript turn quoted whole; the label speaks."""
    lm = SPEAKER_LABEL.match(p.text, s.q.start, s.q.end)
    return ((lm.start(1), lm.end(1)), None) if lm else None


def _quote_cue_speaker(p: Paragraph, s: QuoteSite):
    """'“...,” Kovac said' / '“...,” said Kovac' (wins over an earlier cue of the sentence)."""
    return speaker_after(p.text, s.q.after, p.hi) if s.q.close_at is not None else None


def _speaker_verb_colon(p: Paragraph, s: QuoteSite):
    """'Kovac replied: “...”': any verb right before the mark."""
    return None if s.pre_blank else _intro(p.text, s.ss, s.q.open_at)


def _speaker_cue_quote(p: Paragraph, s: QuoteSite):
    """'Kovac said in a statement on Monday, “...”': the first reporting verb with a speaker."""
    return None if s.pre_blank else find_cue_before(p.text, s.ss, s.q.open_at, p.quoted, p.ctx.cues)


def _according_to(p: Paragraph, s: QuoteSite):
    """'According to Kovac, “...”'."""
    if s.pre_blank:
        return None
    am = patterns().according.search(p.text, s.ss, s.q.open_at)
    return (clean_speaker(p.text, *am.span("spk")), am.span("cue")) if am else None


def _subject_colon(p: Paragraph, s: QuoteSite):
    """'Kovac delivered a blunt message: “...”': the subject before a colon."""
    text = p.text
    if s.pre_blank or not text[s.q.open_at - 2:s.q.open_at].strip().endswith(":"):
        return None
    spk = main_subject(text, s.ss, s.q.open_at, p.quoted)
    return (spk, None) if spk else None


def _quote_dash_speaker(p: Paragraph, s: QuoteSite):
    """'“...” ― Ana Kovac' on the same line, or '- Ana Kovac.' as the next paragraph."""
    q = s.q
    if q.close_at is None:
        return None
    dm = patterns().dash_name.match(p.text, q.after, p.hi)
    if dm is None and q is p.quoted[-1] and p.next_para is not None and not p.text[q.after:p.hi].strip():
        dm = patterns().dash_name.match(p.text, p.next_para[0], p.next_para[1])
    if dm:
        spk = clean_speaker(p.text, *dm.span("spk"))
        if spk:
            return spk, None
    return None


def _quote_paren_speaker(p: Paragraph, s: QuoteSite):
    """'“We stay open.” (Ana Kovac)': a name in brackets right after the closing mark."""
    q = s.q
    if q.close_at is None:
        return None
    m = PAREN_NAME.match(p.text, q.after, p.hi)
    spk = clean_speaker(p.text, *m.span(1)) if m else None
    return (spk, None) if spk else None


def _sentence_cue_after(p: Paragraph, s: QuoteSite):
    """'“...” because she would win, he said.': a speaker and cue later in the quote's sentence."""
    if s.q.close_at is None or s.q.after >= s.se:
        return None
    return find_cue_before(p.text, s.q.after, s.se, p.quoted, p.ctx.cues)


def _colon_previous_paragraph(p: Paragraph, s: QuoteSite):
    """A previous paragraph ending 'Kovac said:'."""
    if not (s.pre_blank and s.q is p.quoted[0] and not s.q.continued):
        return None
    return colon_lead(p.text, p.prev_para, p.ctx.cues)


# name, sieve, the highest confidence it gives (the quote's own is .95, .5 when unbalanced)
DIRECT_SIEVES = (
    ("direct:speaker-label", _label, 1.0),
    ("direct:quote-cue-speaker", _quote_cue_speaker, 1.0),
    ("direct:speaker-verb-colon", _speaker_verb_colon, 1.0),
    ("direct:speaker-cue-quote", _speaker_cue_quote, 1.0),
    ("direct:according-to", _according_to, 1.0),
    ("direct:subject-colon", _subject_colon, 0.7),
    ("direct:quote-dash-speaker", _quote_dash_speaker, 1.0),
    ("direct:quote-paren-speaker", _quote_paren_speaker, 0.9),
    ("direct:sentence-cue-after", _sentence_cue_after, 0.8),
    ("direct:colon-previous-paragraph", _colon_previous_paragraph, 1.0),
)


def _direct(p: Paragraph, s: QuoteSite) -> None:
    q, text = s.q, p.text
    if _title_like(text, q) and not (q.close_at is not None and speaker_after(text, q.after, p.hi)):
        return  # a book, show or headline title, not speech
    if _by_line(text, q, p.hi):
        return
    if s.pre_blank and not text[q.after:p.hi].strip(" \t\u00a0.") and (_heading_like(text, q) or _label_like(text, q)):
        return  # a paragraph that is only a short quoted heading, a label or a stage direction
    conf = 0.95 if not q.unbalanced else 0.5
    f = Found(q.start, q.end, "direct", None, None, "", conf)
    for name, sieve, cap in DIRECT_SIEVES:
        found = sieve(p, s)
        if found is not None:
            f.rule, f.confidence = name, min(conf, cap)
            if name == "direct:speaker-label":
                f.start = SPEAKER_LABEL.match(text, q.start, q.end).end()  # the turn's speech follows its label
            f.speaker, f.cue = found
            if f.cue:
                p.ctx.take_cue(f.cue)
            p.last = found
            for g in p.pending:       # earlier quotes of the paragraph waiting for this speaker
                g.speaker, g.cue, g.rule, g.confidence = found[0], found[1], "direct:same-paragraph-next", 0.8
            p.pending = []
            break
    else:
        for name, sieve, conf in LATE_DIRECT_SIEVES:
            found = sieve(p, s)
            if found is not None:
                f.speaker, f.cue, f.rule, f.confidence = found[0], found[1], name, conf
                break
        else:
            p.pending.append(f)
            if not s.pre_blank:
                p.woven.add(id(f))
    p.out.append(f)


def _label_like(text: str, q: Quoted) -> bool:
    """'“Related:”' alone in its paragraph: a page label, not speech."""
    body = text[q.start:q.end].strip()
    return body.endswith(":") and len(body.split()) <= 3


# -- direct quotes: the speaker from the quotes around it -------------------------------------------

def _same_paragraph(p: Paragraph, s: QuoteSite):
    """Another quote earlier in the paragraph named the speaker."""
    return p.last


def _continued_paragraph(p: Paragraph, s: QuoteSite):
    """The quote carries on from the previous paragraph: its speaker."""
    return p.previous.get() if s.q.continued else None


LATE_DIRECT_SIEVES = (
    ("direct:same-paragraph", _same_paragraph, 0.85),
    ("direct:continued-paragraph", _continued_paragraph, 0.85),
)


# What is left without a speaker when the paragraph is done: (name, sieve, confidence).  A sieve
# returning False drops the quote.

def _paragraph_cue(p: Paragraph, g: Found, anywhere):
    """A 'Kovac said' elsewhere in the paragraph: the cue nearest the quote."""
    if not anywhere:
        return None
    text, cues = p.text, p.ctx.cues
    return (find_cue_before(text, g.end, p.hi, p.quoted, cues)
            or find_cue_before(text, p.lo, g.start, p.quoted, cues, last=True) or anywhere)


def _short_orphan(p: Paragraph, g: Found, anywhere):
    """A short quotation woven into a sentence with nobody named in its paragraph: unattributed, not
    given to whoever spoke before (a slogan or a phrase quoted from nobody in particular)."""
    if not anywhere and id(g) in p.woven and len(p.text[g.start:g.end].split()) < MIN_ORPHAN_WORDS:
        return (None, None)
    return None


def _previous_speaker(p: Paragraph, g: Found, anywhere):
    spoke = p.previous.get()
    return (spoke[0], None) if spoke is not None else None


def _unattributed(p: Paragraph, g: Found, anywhere):
    """Nobody found: the quote stands, speaker unknown, for the editor to attribute."""
    return (None, None)


PENDING_SIEVES = (
    ("direct:unattributed", _short_orphan, 0.3),
    ("direct:paragraph-cue", _paragraph_cue, 0.7),
    ("direct:previous-speaker", _previous_speaker, 0.55),
    ("direct:unattributed", _unattributed, 0.3),
)


def _settle_pending(p: Paragraph) -> None:
    """A paragraph of quotes with the speaker named in a sentence of its own ('Kovac said Tuesday.')."""
    if not p.pending:
        return
    anywhere = find_cue_before(p.text, p.lo, p.hi, p.quoted, p.ctx.cues)
    for g in p.pending:
        for name, sieve, conf in PENDING_SIEVES:
            found = sieve(p, g, anywhere)
            if found is False:
                p.out.remove(g)
                break
            if found is not None:
                g.speaker, g.cue, g.rule, g.confidence = found[0], found[1], name, conf
                break
    if anywhere:
        p.last = anywhere


# -- mixed quotes: a quoted fragment inside reported speech ------------------------------------------
# Each returns a Found, None (nothing to say) or STOP (no quote at all).

STOP = object()


def _mx_clause_speaker_cue(p: Paragraph, s: QuoteSite):
    """'The plan is “a gamble,” Kovac said.' (a comma just inside the closing mark belongs to the sentence)."""
    text, q = p.text, s.q
    tr = trailing_attribution(text, q.end - 1 if text[q.end - 1:q.end] == "," else q.after, s.se, p.ctx.cues)
    if tr:
        comma, spk, cue = tr
        if not p.ctx.cue_taken(cue[0]):
            p.ctx.take_cue(cue)
            end = comma + 1 if text[comma - 1:comma] in ("”", '"') else comma
            if comma == q.end - 1:
                end = q.after  # '... "will calm the dockers," the senator said': the comma is inside the marks
            return Found(s.ss, end, "mixed", spk, cue, "mixed:clause-speaker-cue", 0.8)
    return None


def _mx_according_to_comma(p: Paragraph, s: QuoteSite):
    """'According to pool reports, Kovac said ...': the report is the source."""
    text, q = p.text, s.q
    am = patterns().according.search(text, s.ss, q.open_at)
    if am and text[am.end():am.end() + 1] == ",":
        start = am.end() + 1
        while start < q.open_at and text[start] in " \t\u00a0":
            start += 1
        return Found(start, content_end(text, start, s.se), "mixed", clean_speaker(text, *am.span("spk")),
                     am.span("cue"), "mixed:according-to", 0.75)
    return None


def _mx_speaker_cue_clause(p: Paragraph, s: QuoteSite):
    """'Kovac said the plan was “a gamble”': the reported clause is the span."""
    text, q, ss, quoted, cues = p.text, s.q, s.ss, p.quoted, p.ctx.cues
    found = _absolute_cue(text, ss, q.open_at, quoted, cues) or find_cue_before(text, ss, q.open_at, quoted, cues)
    if not found:
        return None
    spk, cue = found
    if p.ctx.cue_taken(cue[0]):
        return STOP
    if text[max(ss, spk[0] - 5):spk[0]].lower() == "that " and not _relative_that(text, ss, spk):
        # 'Kovac has made clear that she expects ...': the cue found sits inside the reported
        # clause; the sentence's subject is the source
        outer = main_subject(text, ss, spk[0], quoted)
        if outer:
            spk = outer
    start = content_start(text, cue[1], q.open_at + 1, text[cue[0]:cue[1]])
    if start > q.open_at:
        start = q.open_at
    end = content_end(text, start, s.se)
    p.ctx.take_cue(cue)
    return Found(start, end, "mixed", spk, cue, "mixed:speaker-cue-clause", 0.85)


def _mx_title(p: Paragraph, s: QuoteSite):
    """No reporting verb and a title ('starred in “Cake Boss”', '“...,” by Ana Kovac'): not speech."""
    return STOP if _title_like(p.text, s.q) or _by_line(p.text, s.q, s.se) else None


def _mixed_from_cue(text: str, s: QuoteSite, spk, cue, rule: str, conf: float) -> Found:
    """A mixed quote whose content runs from just after its cue (or from the mark, if that comes first)
    to the sentence's end."""
    start = min(content_start(text, cue[1], s.q.open_at + 1, ""), s.q.open_at)
    return Found(start, content_end(text, start, s.se), "mixed", spk, cue, rule, conf)


def _mx_subject_verb_clause(p: Paragraph, s: QuoteSite):
    """'Kovac dismissed the plan as “a gamble”': any finite verb."""
    text, q = p.text, s.q
    vm = _any_verb_subject(text, s.ss, q.open_at, p.quoted)
    if not vm:
        return None
    return _mixed_from_cue(text, s, *vm, "mixed:subject-verb-clause", 0.6)


def _mx_according_to(p: Paragraph, s: QuoteSite):
    """'According to X, ... “...” ...' without a comma right after the source."""
    text, q = p.text, s.q
    am = patterns().according.search(text, s.ss, q.open_at)
    if not am:
        return None
    start = content_start(text, am.end(), q.open_at + 1, "")
    return Found(min(start, q.open_at), content_end(text, start, s.se), "mixed",
                 clean_speaker(text, *am.span("spk")), am.span("cue"), "mixed:according-to", 0.8)


def _mx_clause_quote_cue_speaker(p: Paragraph, s: QuoteSite):
    """'... “fragment,” Kovac said.'"""
    q = s.q
    if q.close_at is None:
        return None
    fa = speaker_after(p.text, q.after, s.se)
    if not fa:
        return None
    p.ctx.take_cue(fa[1])
    return Found(s.ss, q.after, "mixed", fa[0], fa[1], "mixed:clause-quote-cue-speaker", 0.8)


def _mx_characterised_as(p: Paragraph, s: QuoteSite):
    """'Kovac has been pounding Marsh as a “harbour pirate”': a named subject."""
    text, q = p.text, s.q
    cm = CHARACTERISED_AS.search(text, max(s.ss, q.open_at - 12), q.open_at)
    if not cm:
        return None
    found = _characterisation(text, s.ss, cm.start(), p.quoted)
    if not found:
        return None
    return _mixed_from_cue(text, s, *found, "mixed:characterised-as", 0.55)


def _mx_sentence_subject(p: Paragraph, s: QuoteSite):
    """Last resort: a cue word before the fragment, however it is used, and the sentence's subject."""
    text, q, ctx = p.text, s.q, p.ctx
    hits = [m for m in ctx.cues.verbs(s.ss, q.open_at) if not _inside(p.quoted, m.start) and not ctx.cue_taken(m.start)]
    if not hits:
        return None
    spk = main_subject(text, s.ss, hits[-1].start, p.quoted)
    if not spk:
        return None
    return _mixed_from_cue(text, s, spk, hits[-1].span(), "mixed:sentence-subject", 0.45)


MIXED_SIEVES = (
    ("mixed:clause-speaker-cue", _mx_clause_speaker_cue),
    ("mixed:according-to", _mx_according_to_comma),
    ("mixed:speaker-cue-clause", _mx_speaker_cue_clause),
    ("not-speech:title", _mx_title),
    ("mixed:subject-verb-clause", _mx_subject_verb_clause),
    ("mixed:according-to", _mx_according_to),
    ("mixed:clause-quote-cue-speaker", _mx_clause_quote_cue_speaker),
    ("mixed:characterised-as", _mx_characterised_as),
    ("mixed:sentence-subject", _mx_sentence_subject),
)


def _mixed(p: Paragraph, s: QuoteSite) -> Found | None:
    for _name, sieve in MIXED_SIEVES:
        f = sieve(p, s)
        if f is STOP:
            return None
        if f is not None:
            return f
    return None


# -- a second fragment in a sentence a mixed quote already covers ------------------------------------

def _second_speaker(p: Paragraph, f: Found, q: Quoted, se: int):
    """A fragment after a mixed quote ``f`` in the same sentence with its own speaker and cue
    after a conjunction: ends ``f`` at the conjunction and returns the new mixed quote, or None."""
    text, quoted, ctx = p.text, p.quoted, p.ctx
    prev = [x for x in quoted if x.after <= q.open_at and x.after > f.start]
    if not prev or f.speaker is None:
        return None
    lo = prev[-1].after
    found = find_cue_before(text, lo, q.open_at, quoted, ctx.cues)
    if not found:
        return _participle_report(p, f, lo, q, se)
    spk, cue = found
    if ctx.cue_taken(cue[0]) or text[spk[0]:spk[1]].lower() in ("it", "who", "which", "that"):
        return None
    jm = JOIN.search(text, lo, spk[0])
    if not jm:
        return None
    end = content_end(text, f.start, jm.start())
    if end <= f.start:
        return None
    f.end = end
    ctx.take_cue(cue)
    start = min(content_start(text, cue[1], q.open_at + 1, text[cue[0]:cue[1]]), q.open_at)
    return Found(start, content_end(text, start, se), "mixed", spk, cue, "mixed:second-speaker", 0.7)


def _participle_report(p: Paragraph, f: Found, lo: int, q: Quoted, se: int):
    """'Kovac called the plan “a disaster,” adding that it would “ruin the port.”': a participle
    after a comma reports a second thing the same speaker said; ends ``f`` at that comma."""
    text, ctx = p.text, p.ctx
    hits = [m for m in ctx.cues.verbs(lo, q.open_at) if m.word.endswith("ing") and not ctx.cue_taken(m.start)]
    if not hits:
        return None
    cue = hits[0]
    k = cue.start
    while k > lo and text[k - 1] in " \t\u00a0":
        k -= 1
    comma_in_marks = k == lo and text[lo - 2:lo - 1] == ","   # '“a disaster,” adding'
    if not comma_in_marks and (k <= lo or text[k - 1] != ","):
        return None
    if text[lo:k].count(",") > 1 or any(c in text[lo:k] for c in ";.!?"):
        return None
    end = lo if comma_in_marks else content_end(text, f.start, k)
    if end <= f.start:
        return None
    f.end = end
    ctx.take_cue(cue.span())
    start = min(content_start(text, cue.end, q.open_at + 1, cue.word), q.open_at)
    return Found(start, content_end(text, start, se), "mixed", f.speaker, cue.span(), "mixed:participle-report", 0.7)


# -- one paragraph --------------------------------------------------------------------------------------

def _site(p: Paragraph, starts: list[int], q: Quoted) -> QuoteSite:
    i = max(0, bisect_right(starts, q.open_at) - 1)
    ss, se = p.sents[i]
    pre = p.text[ss:q.open_at].strip()
    return QuoteSite(q, ss, se, len(p.text[q.start:q.end].split()), not pre or pre in ("—", "–", "-", "("))


def _kind(p: Paragraph, s: QuoteSite) -> str:
    """Direct when the quote stands alone in its sentence or after a colon or comma; else mixed."""
    q, text = s.q, p.text
    if q.continued or s.pre_blank:
        return "direct"
    if patterns().colon_intro.search(text, s.ss, q.open_at) and (
            s.words >= 3 or text[q.open_at - 2] == ":" or text[q.open_at - 1] == ":"):
        return "direct"
    return "mixed"


def paragraph_quotes(p: Paragraph) -> tuple[list[Found], object]:
    """Found quotes of one paragraph from its quoted spans; returns them and the last speaker
    (speaker span, cue span) for a quote continuing in the next paragraph."""
    starts = [s for s, _ in p.sents]
    for q in p.quoted:
        s = _site(p, starts, q)
        key = (s.ss, s.se)
        if key in p.mixed_sentences:
            # a further fragment of a mixed quote already covering this sentence, unless a second
            # speaker takes over: '... Kovac said it was “a gamble,” and Marsh called it “a farce.”'
            g = _second_speaker(p, p.mixed_sentences[key], q, s.se)
            if g is not None:
                p.mixed_sentences[key] = g
                p.out.append(g)
                p.last = (g.speaker, g.cue)
            continue
        kind = _kind(p, s)
        if (q.single and kind == "direct" and not q.continued and s.words < MIN_SCARE_WORDS
                and not (q.close_at is not None and speaker_after(p.text, q.after, p.hi))):
            continue  # a short word in single marks: a scare quote, unless a cue follows ('Hello,' he said)
        if kind == "mixed":
            f = _mixed(p, s)
            if f is not None:
                p.mixed_sentences[key] = f
                p.out.append(f)
                if f.speaker:
                    p.last = (f.speaker, f.cue)
                continue
            if not (s.words >= MIN_SCARE_WORDS + 4 and not q.single):
                continue
            # a long quotation woven into a sentence without a cue: direct
        _direct(p, s)
    _settle_pending(p)
    return p.out, p.last
