"""Indirect speech: 'X said (that) ...', 'X told Y ...', 'according to X, ...' and '..., X said.' without quote marks."""
from __future__ import annotations

import regex

from .direct import NOUN_BEFORE, _past, _word_after, _word_before, main_subject, speaker_before
from .found import NOMINAL_START, Found, clean_speaker, content_end, content_start, trailing_attribution
from .lexicon import is_cue_phrase, lexicon, patterns
from .marks import OPENING
from .words import word_set


# prepositions whose object is a noun, never a reporting verb ('despite hopes', 'amid claims')
GOVERNED = word_set("governed")


def sentence_quotes(ctx, ss: int, se: int, covered) -> list[Found]:
    """Indirect quotes of one sentence; ``covered(s, e)`` tells whether a span overlaps a quote already
    found; the pipeline context ``ctx`` holds the text, its cues and the cues already taken."""
    text, cues = ctx.text, ctx.cues
    p = patterns()
    lx = lexicon()
    out = []
    hits = cues.between(ss, se)
    if not hits:
        return out
    if text.startswith("Asked ", ss):
        # the sentence's capitalised 'Asked' is not among the (lowercase) cue words
        q = _asked_question(text, ss + 5, se, covered)
        if q is not None:
            out.append(q)
    source_end = -1  # end of an 'according to <source>' phrase: its verbs belong to the source
    for m in hits:
        if not m.verb:
            ends = [i for i in (text.find(c, m.end, se) for c in ",;.") if i >= 0]
            source_end = min(ends) if ends else se
            continue
        v0, v1 = m.span()
        if v0 < source_end:
            continue  # 'according to documents reported by the Herald'
        if ctx.cue_taken(v0) or covered(v0, v1):
            continue
        word = m.word.lower()
        before = _word_before(text, ss, v0)
        if before in NOUN_BEFORE or before in GOVERNED and not word.endswith("ing"):
            # 'an alleged attack', 'despite hopes of ...': a participle or a noun after a
            # determiner or a preposition ('after saying' is still a verb)
            continue
        weak = word in lx.weak
        spk = speaker_before(text, ss, v0, word, strict=False)
        rule, conf = "indirect:speaker-cue-clause", (0.5 if weak else 0.7)
        if (spk is None and m.finite and not weak and (word.endswith("s") or _past(word))
                and not _inverted_trailing(text, ss, v0, v1, se)):
            # 'CITIC runs a field and says ...': the clause's subject
            spk = main_subject(text, ss, v0)
            rule, conf = "indirect:subject-cue-clause", 0.5
        if spk is None and word in lx.lemmas and not weak:
            # '47% say ...', '26 percent of voters say ...': a share of people
            pm = PERCENT_SUBJECT.search(text, max(ss, v0 - 40), v0)
            if pm:
                spk, rule, conf = pm.span("spk"), "indirect:speaker-cue-clause", 0.6
        if spk is None:
            continue
        cs = content_start(text, v1, se, word)
        ce = content_end(text, cs, se)
        if word in CLAUSE_ONLY and not _opens_a_clause(text, cs, se) or word in PERSON_ABOUT and _person_about(text, cs, se):
            continue  # 'testified before the committee', 'questioned Marsh about ...': no report
        if word.endswith("ing") and "with" in text[max(ss, spk[0] - 30):spk[0]].lower().split()[-3:]:
            # 'With officials suggesting the crews staged it, it is unclear ...': the absolute
            # phrase ends at its comma; the main clause after it is the writer's
            comma = text.find(",", cs, ce)
            if comma > 0:
                ce = content_end(text, cs, comma)
        k = spk[0]
        while k > ss and text[k - 1] in " \t\u00a0":
            k -= 1
        if text[max(ss, k - 4):k].lower() in ("the", " the") and text[max(ss, k - 5):k - 3] in (", ", ","):
            k -= 3  # '..., the experts say, the world ...': the speaker's article
            while k > ss and text[k - 1] in " \t\u00a0":
                k -= 1
        if (k - ss >= 2 and text[k - 1] == "," and text[v1:v1 + 1] == "," and rule == "indirect:speaker-cue-clause"
                and not weak and not covered(ss, ce)):
            # 'If the law conflicts, Kovac said, the council must ...': a cue set in the middle of
            # the reported sentence; the whole sentence is the report
            out.append(Found(ss, ce, "indirect", spk, (v0, v1), "indirect:parenthetical-cue", 0.65))
            ctx.take_cue((v0, v1))
            break
        if ce - cs >= 12:
            if covered(cs, ce):
                continue
            out.append(Found(cs, ce, "indirect", spk, (v0, v1), rule, conf))
            ctx.take_cue((v0, v1))
            break
        # trailing: "Content, Kovac said."
        if ce <= cs + 1 and not weak:
            k = spk[0]
            while k > ss and text[k - 1] in " \t\u00a0":
                k -= 1
            if k > ss and text[k - 1] == ",":
                k = _before_role(text, ss, k - 1)
                cs2, ce2 = ss, k - 1
                if ce2 - cs2 >= 12 and not covered(cs2, ce2):
                    out.append(Found(cs2, ce2, "indirect", spk, (v0, v1), "indirect:clause-speaker-cue", 0.65))
                    ctx.take_cue((v0, v1))
                    break
    if not out:
        tr = trailing_attribution(text, ss, se, cues)
        if tr and is_cue_phrase(text[tr[2][0]:tr[2][1]]):
            tr = None  # 'according to X' is read below, where a mid-sentence one spans the sentence
        if tr and not ctx.cue_taken(tr[2][0]):
            comma, spk, cue = tr
            cs, ce = ss, comma
            if ce - cs >= 12 and not covered(cs, ce):
                ctx.take_cue(cue)
                return [Found(cs, ce, "indirect", spk, cue, "indirect:clause-speaker-cue", 0.7)]
        # both patterns need a cue phrase ('according to'), which the cue scan has already seen
        am = (p.according.search(text, ss, se) or p.according_loose.search(text, ss, se)
              if any(not h.verb for h in hits) else None)
        if am:
            spk = clean_speaker(text, *am.span("spk"))
            after = am.end()
            before = text[max(ss, am.start() - 2):am.start()].strip()
            if before == "," and text[after:after + 1] == "," and am.start() - ss >= 4:
                # 'Fundraising, according to the campaign, has surged': the whole sentence
                cs, ce = ss, content_end(text, ss, se)
                rule = "indirect:according-to-parenthetical"
            elif text[after:after + 1] == "," and se - after > 12:
                cs = after + 1
                while cs < se and text[cs] in " \t\u00a0":
                    cs += 1
                ce = content_end(text, cs, se)
                rule = "indirect:according-to-clause"
            else:
                cs, ce = ss, am.start()
                while ce > cs and text[ce - 1] in " \t\u00a0,":
                    ce -= 1
                rule = "indirect:clause-according-to"
            if ce - cs >= 12 and not covered(cs, ce):
                out.append(Found(cs, ce, "indirect", spk, am.span("cue"), rule, 0.7))
    return out


# Verbs that report only with a clause after them ('testified that', 'questioned whether'), never
# with an object or a place ('testified before the committee', 'questioned Marsh about ...').
CLAUSE_ONLY = word_set("clause_only_verbs")
CLAUSE_OPENERS = word_set("clause_openers")
PERSON_ABOUT = word_set("person_about_verbs")
ABOUT_WORDS = word_set("about_words")
OBJECT_PRONOUNS = frozenset(("him", "her", "them", "me", "us", "you"))


def _person_about(text: str, cs: int, se: int) -> bool:
    """'questioned Morrison about his testimony': a person questioned, then what about."""
    j = cs
    w, k = _word_after(text, j, se)
    if not w or not (w[0].isupper() or w.lower() in OBJECT_PRONOUNS):
        return False
    for _ in range(3):  # 'Tim Morrison', 'Ambassador Gordon Sondland'
        nxt, k2 = _word_after(text, k, se)
        if nxt.lower() in ABOUT_WORDS:
            return True
        if not nxt or not nxt[0].isupper():
            return False
        k = k2
    return False


def _opens_a_clause(text: str, cs: int, se: int) -> bool:
    """Does the content after a cue open with 'that', 'whether', ... or a quotation mark?"""
    if text[cs:cs + 1] in OPENING:
        return True
    w, _ = _word_after(text, cs, se)
    return w.lower() in CLAUSE_OPENERS


# 'Gingrich: Party Must Decide Soon.' - a headline quoting its source before a colon
HEADLINE_SOURCE = regex.compile(r"(?P<spk>\p{Lu}[\p{L}.’'\-]*(?:[ \u00a0](?:\p{Lu}[\p{L}.’'\-]*|of|de)){0,3}):[ \u00a0]+(?=\S)")
NOT_SOURCES = word_set("not_sources")


# '47% say', '26 percent of voters say', 'Just over a quarter, 26 percent, say'
PERCENT_SUBJECT = regex.compile(r"(?r)(?P<spk>\d[\d.,]*[ \u00a0]?(?:%|percent|per[ \u00a0]cent)(?:[ \u00a0]of[ \u00a0](?:[\p{L}\-’']+[ \u00a0]){0,3}?[\p{L}\-’']+)?),?[ \u00a0]+\Z")
QUESTION_WORDS = word_set("question_words")


def _asked_question(text: str, v1: int, se: int, covered) -> Found | None:
    """'Asked whether the port would close, Kovac said ...': the question, put by somebody the story
    does not name, is reported speech of its own (no speaker)."""
    w, _ = _word_after(text, v1, se)
    comma = text.find(",", v1, se)
    if w.lower() not in QUESTION_WORDS or comma < 0:
        return None
    cs = content_start(text, v1, comma, "asked")
    if comma - cs < 8 or covered(cs, comma):
        return None
    return Found(cs, comma, "indirect", None, (v1 - 5, v1), "indirect:asked-question", 0.5)


def headline_quote(text: str, lo: int, hi: int) -> Found | None:
    """A short paragraph 'Kovac: Port Will Stay Open' reports its source's words.  Datelines in
    capitals ('CALDER:') and labels ('The Latest:', 'Q:', 'Correction:') are not sources."""
    m = HEADLINE_SOURCE.match(text, lo, hi)
    if m is None or hi - m.end() < 10:
        return None
    words = m.group("spk").replace("\u00a0", " ").split()
    if words[0].isupper() and len(words[0]) > 1 or any(w.lower() in NOT_SOURCES for w in words):
        return None
    if text.find(words[-1], hi) < 0 and text.rfind(words[-1], 0, lo) < 0:
        return None  # a source is named again in the story; 'Stealth Over Health:' is a title
    end = content_end(text, m.end(), hi)
    return Found(m.end(), end, "indirect", m.span("spk"), (m.end("spk"), m.end("spk") + 1), "indirect:headline-source", 0.6)


def _inverted_trailing(text: str, ss: int, v0: int, v1: int, se: int) -> bool:
    """'..., said Lena Dorn, who runs the port.': the cue closes the sentence with its speaker after
    it (read as a trailing attribution), not 'Dorn, 27, said the ...'."""
    if text[max(ss, v0 - 4):v0].rstrip(" \t\u00a0")[-1:] not in (",", "—", "–"):
        return False
    p = patterns()
    m = p.trail_object.match(text, v1, se)
    return bool(m) and bool(p.trail_rest.fullmatch(text, m.end(), se) or text.startswith(",", m.end()))


def _before_role(text: str, ss: int, comma: int) -> int:
    """'..., the regulator, Port Board, said': a speaker named in apposition to a role; the
    clause ends at the comma before the role.  Returns the offset just past that comma."""
    j = text.rfind(",", max(ss, comma - 60), comma)
    if j >= 0:
        words = text[j + 1:comma].split()
        if words and words[0].lower() in NOMINAL_START and all(w[:1].islower() for w in words[1:]):
            return j + 1
    return comma + 1
