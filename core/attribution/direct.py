"""Direct and mixed quotes: deciding what each quoted span is and who said it, from the words around its marks."""
from __future__ import annotations

from .found import (Found, appositive_after, appositive_speaker, clean_speaker, content_end, content_start, head_of,
                    person_noun, trailing_attribution)
from .lexicon import NAME_SEQ, lexicon, patterns
from .marks import CLOSING, Quoted
from .pattern_cache import compile_all
from .words import word_set

MIN_SCARE_WORDS = 4    # a quoted fragment shorter than this with no cue around is a scare quote
MIN_ORPHAN_WORDS = 12  # a quote without any speaker in its paragraph needs this many words


def _inside(quoted: list[Quoted], pos: int) -> bool:
    for q in quoted:
        if q.open_at <= pos < (q.close_at if q.close_at is not None else q.end + 1):
            return True
    return False


def find_cue_before(text: str, lo: int, hi: int, para_quotes: list[Quoted], cues, last: bool = False):
    """The first (or ``last``) reporting verb in text[lo:hi] outside quotes with a speaker right
    before it (or right after an inverted cue): (speaker span, cue span) or None."""
    if not last:
        # 'After Marsh criticised the plan, Kovac shot back, “...”': the opening subordinate
        # clause's verb reports nothing the quote says; the main clause is tried first
        main = _past_opening_clause(text, lo, hi)
        if main > lo:
            found = find_cue_before(text, main, hi, para_quotes, cues)
            if found:
                return found
    p = patterns()
    hits = [m for m in cues.verbs(lo, hi) if not _inside(para_quotes, m.start)]
    for m in (reversed(hits) if last else hits):
        if _passive(text, lo, m) or _continues_to(text, m):
            continue
        spk = speaker_before(text, lo, m.start, m.word)
        if spk:
            return spk, m.span()
        # 'explained Kovac,': only right after a comma or a closing mark, never for 'told X' (X is
        # who was told) or a participle
        k = m.start
        while k > lo and text[k - 1] in " \t\u00a0":
            k -= 1
        inverted = (k > lo and text[k - 1] in ",”\"’'" and m.word.lower() not in lexicon().obj
                    and not m.word.endswith("ing"))
        im = p.inverted_after.match(text, m.end, hi) if inverted else None
        if im:
            spk = clean_speaker(text, *im.span("spk"))
            if spk:
                return spk, m.span()
    verbs = [m for m in hits if _verb_use(text, lo, m)]
    if verbs:
        spk = main_subject(text, lo, verbs[-1].start, para_quotes)
        if spk:
            return spk, verbs[-1].span()
    return None


PLURAL_SUBJECT = word_set("plural_subjects")
MODALS = word_set("modals")
PASSIVE_AUX = word_set("passive_auxiliaries")
NOUN_BEFORE = word_set("noun_before")


def _word_before(text: str, lo: int, pos: int) -> str:
    chunk = text[max(lo, pos - 20):pos].rsplit(None, 1)
    return chunk[-1].lower() if chunk else ""


def _passive(text: str, lo: int, m) -> bool:
    """'Kovac was asked ...': the subject is the one spoken to, not the speaker."""
    return _past(m.word) and _word_before(text, lo, m.start) in PASSIVE_AUX


def _continues_to(text: str, m) -> bool:
    """'Kovac continued to question ...': carrying on doing something, not speaking."""
    return m.word.lower().startswith("continu") and text.startswith(" to ", m.end)


def _verb_use(text: str, lo: int, m) -> bool:
    """Is this cue word used as a verb?  Past forms and -s forms not right after a determiner or
    a number ('the 2012 attacks', 'a promise' are nouns)."""
    w = m.word.lower()
    if not (_past(w) or w.endswith("s")) or _passive(text, lo, m):
        return False
    before = _word_before(text, lo, m.start)
    return before not in NOUN_BEFORE and not before[:1].isdigit()


# -s forms of reporting verbs that are as often plural nouns ('Harbour Party claims')
PLURAL_NOUNS = word_set("plural_nouns")
NAMING = word_set("naming_verbs")
OBJECTS = word_set("objects")
CONTRACTED = word_set("contracted")
IRREGULAR_PAST = word_set("irregular_past")


def _generic(text: str, m) -> bool:
    """Is the speaker a bare noun phrase ('the report', 'a rare note') rather than a name, a
    pronoun or a role ('the senator', 'a spokeswoman')?"""
    if not m.group("gen"):
        return False
    return not person_noun(text[m.start("gen"):m.end("gen")].rsplit(None, 1)[-1].lower())


def _past(word: str) -> bool:
    w = word.lower()
    return w.endswith("ed") or w in IRREGULAR_PAST


def last_speaker(text: str, lo: int, hi: int, cues):
    """The last cue of text[lo:hi] with a speaker before it: (speaker, cue) or None."""
    hits = cues.verbs(lo, hi)
    for m in reversed(hits[-3:]):
        spk = speaker_before(text, max(lo, m.start - 200), m.start, m.word)
        if spk:
            return spk, m.span()
    return None


SUBORDINATORS = word_set("subordinators")
# 'in Salem, New Hampshire,': a place's state or country after its comma is still the opening phrase
PLACE_TAIL = r"[ \u00a0]*\p{Lu}[\p{L}.]+(?:[ \u00a0]\p{Lu}[\p{L}.]+)?,"  # compiled at the end of the module


def _word_after(text: str, j: int, hi: int, skip_punctuation: bool = False) -> tuple[str, int]:
    """The alphabetic word starting after spaces (or any non-letters) from ``j``, and its end."""
    while j < hi and (not text[j].isalpha() if skip_punctuation else text[j] in " \u00a0"):
        j += 1
    k = j
    while k < hi and text[k].isalpha():
        k += 1
    return text[j:k], k


def _past_opening_clause(text: str, lo: int, hi: int) -> int:
    """Skip an opening participle or subordinate clause ('Worried about ..., ', 'While having ..., '):
    the sentence's subject comes after its comma."""
    w, k = _word_after(text, lo, hi, skip_punctuation=True)
    if not w or not w[0].isupper():
        return lo
    low = w.lower()
    if low in SUBORDINATORS or (low.endswith(("ed", "ing")) and len(low) > 4):
        c = text.find(",", k, hi)
        if c > 0 and c - k < 160:
            pm = PLACE_TAIL.match(text, c + 1, hi)
            if pm and _word_before(text, lo, text.rfind(" ", lo, c) + 1) in ("in", "at", "from"):
                return pm.end()
            return c + 1
    return lo


def main_subject(text: str, lo: int, hi: int, quoted: list[Quoted] = ()):
    """The first speaker-like phrase of text[lo:hi] not governed by a preposition: the subject of
    the clause a participle ('..., saying ...') hangs on."""
    lo = _past_opening_clause(text, lo, hi)
    for m in patterns().speaker_any.finditer(text, lo, hi):
        if m.group("prep") or quoted and _inside(quoted, m.start("spk")):
            continue
        if m.group("gen") and _cut_noun_phrase(text, m.end("spk"), hi):
            continue  # 'a heated' of 'a heated debate', 'The health' of 'The health of ...'
        spk = clean_speaker(text, *m.span("spk"))
        if spk and text[spk[1] - 2:spk[1]] in ("’s", "'s") and text[spk[0]:spk[1] - 2].lower() not in CONTRACTED:
            # 'Trump’s spokesman said': the owner's role speaks, not the owner
            w, k = _word_after(text, spk[1], hi)
            if w and person_noun(w.lower()):
                spk = (spk[0], k)
        spk = appositive_after(text, spk, hi)
        if spk and not m.group("gen"):
            # 'Senate leader Ana Kovac': an organisation's name, a lowercase role, then the person
            rm = ROLE_THEN_NAME.match(text, spk[1], hi)
            if rm and all(w in lexicon().titles for w in rm.group("role").split()):
                spk = (spk[0], rm.end())
        if spk:
            return spk
    return None


ROLE_THEN_NAME = rf"[ \u00a0](?P<role>\p{{Ll}}+(?:[ \u00a0]\p{{Ll}}+)?)[ \u00a0]{NAME_SEQ}"  # compiled at the end of the module
SUBJECT_FOLLOWERS = MODALS | PASSIVE_AUX | word_set("subject_followers")


def _cut_noun_phrase(text: str, e: int, hi: int) -> bool:
    """Does a bare noun phrase ending at ``e`` run on into a lowercase word that is not a verb?
    Then it is the start of a longer phrase ('a heated debate'), not a subject."""
    w, _ = _word_after(text, e, hi)
    if not w or not w[0].islower():
        return False
    return not (w.endswith(("ed", "s", "ly")) or w in SUBJECT_FOLLOWERS)


PLACE_PREPOSITIONS = word_set("place_prepositions")
QUANTITIES = word_set("quantities")


def _part_of(text: str, lo: int, pos: int) -> bool:
    """'30 percent of voters', 'some of her followers': a part of a group, which speaks."""
    if _word_before(text, lo, pos) != "of":
        return False
    before = _word_before(text, lo, text.rfind("of", lo, pos))
    return before in QUANTITIES or before[:1].isdigit() and not before.endswith(",") or before.endswith("%")
# A bare noun phrase right after these is their object ('in a Facebook message posted ...'), not a speaker.
GOVERNING = word_set("governing")


def speaker_before(text: str, lo: int, v0: int, word: str, strict: bool = True):
    """The speaker of a cue verb starting at ``v0``: the phrase right before it, or for a
    participle after a comma, the sentence's subject."""
    if word.endswith("ing"):
        k = v0
        while k > lo and text[k - 1] in " \t\u00a0":
            k -= 1
        if k > lo and text[k - 1] in ",—–":
            return main_subject(text, lo, k)
    sm = patterns().speaker_tail.search(text, max(lo, v0 - 160), v0)
    if sm is None and (_past(word) or word.endswith("s")) and _word_before(text, lo, v0) == "and":
        # 'Marsh, her rival, bemoaned the unrest and said ...': a second verb of the subject
        a = text.rfind("and", lo, v0)
        if "," not in text[a:v0] and any(_past(w) or w.endswith("s") for w in text[lo:a].split()[1:]):
            return main_subject(text, lo, a)
    generic = sm is not None and _generic(text, sm)
    if generic and word.endswith("ing"):
        # 'Kovac released a statement saying ...': the statement's author speaks
        return main_subject(text, lo, sm.start("spk"))
    if generic and _word_before(text, lo, sm.start("spk")) in GOVERNING:
        return None
    if sm and _word_before(text, lo, sm.start("spk")) in PLACE_PREPOSITIONS and not _part_of(text, lo, sm.start("spk")):
        # 'Cory Dane, 22, of Calder, said' / 'Kovac, at a rally in Fenwick, Ohio, said': a place in
        # a parenthetical after the subject; the subject is what stands before its first comma
        comma = text.find(",", lo, sm.start("spk"))
        if comma > lo:
            subject = main_subject(text, lo, comma + 1)
            if subject and subject[1] <= comma:
                return subject
    if sm:
        # 'a rare note', 'the report': a noun, not a verb.  Quote rules want a past-tense verb after
        # a bare noun phrase; reported speech also takes 'the report says'.
        if generic and (not _past(word) if strict else
                                word.lower() in lexicon().lemmas and text[sm.end("spk") - 1] != "s"):
            return None  # 'a rare note', 'the report': a noun, not a verb
        if generic and word.lower() in NAMING and _word_after(text, v0 + len(word), min(len(text), v0 + 40))[0] not in OBJECTS:
            return None  # 'a formula called ...': a participle naming a thing ('critics called him' speaks)
        e = sm.end("spk")
        if text[e - 2:e] in ("’s", "'s") and text[max(sm.start("spk"), e - 6):e - 2].lower() not in CONTRACTED:
            return None  # 'Kovac's call': a possessive owns a noun, it does not speak
        if text[e - 2:e] in ("s’", "s'"):
            return None  # 'the Sanders' plan'
        if (word.lower() in PLURAL_NOUNS and not generic
                and _word_before(text, lo, sm.start("spk")) in ("of", "about", "over")):
            return None  # 'a third of Harbour Party claims': a noun after 'of <name>'
        if word.lower() in lexicon().lemmas and not word.endswith("s"):
            # a bare verb form needs a plural or first/second-person subject or a modal before it:
            # 'Paris attack', 'Kovac plan' are nouns; 'officials say', 'she will say' are verbs
            last = text[sm.start("spk"):e].rsplit(None, 1)[-1].lower()
            between = text[e:v0].lower().split()
            if not (last.endswith("s") or last in PLURAL_SUBJECT or any(w in MODALS for w in between)):
                return None
        return head_of(text, lo, appositive_speaker(text, sm, clean_speaker(text, *sm.span("spk"))))
    return None


# what follows a cue that opens a report of its own: 'added that ...', 'added, “...', 'added:'
NEW_REPORT = r"(?:[ \u00a0]+(?:that|to)\b|[ \u00a0]*[,:][ \u00a0]*[“\"])"  # compiled at the end of the module


def speaker_after(text: str, pos: int, hi: int):
    """', X said' or ', said X' right after a closing mark at ``pos``: (speaker, cue) or None.
    A following ', according to Y' makes Y the source: Y reported what X said."""
    p = patterns()
    m = p.after_close.match(text, pos, hi)
    if not m:
        return None
    if m.group("cue1"):
        spk, cue = m.span("spk1"), m.span("cue1")
    elif m.group("cue2"):
        spk, cue = m.span("spk2"), m.span("cue2")
    else:
        # any past-tense verb after the speaker ('” the crowd yelled'), unless the quote closed a
        # sentence and a new one starts with a capital ('.” Bills were introduced')
        back = pos - 1
        while back > 0 and text[back] in CLOSING:
            back -= 1
        if text[back] in ".!?…" and text[m.start("spk2")].isupper():
            return None
        if m.group("cue4") and m.group("spk2") not in ("he", "she", "He", "She"):
            return None  # '” Kovac supporters': only a pronoun makes an -s word surely a verb
        spk, cue = m.span("spk2"), m.span("cue3") if m.group("cue3") else m.span("cue4")
    if not m.group("cue1") and any(w in PASSIVE_AUX for w in text[spk[1]:cue[0]].lower().split()):
        return None  # '” Kovac was asked': she was spoken to
    if text[pos - 2:pos - 1] == "." and text[spk[0]].isupper() and NEW_REPORT.match(text, cue[1], hi):
        return None  # '....” Kovac added that ...': a new sentence reporting something else
    spk = appositive_after(text, clean_speaker(text, *spk), hi)
    if spk is None:
        return None
    am = p.according.search(text, m.end(), min(hi, m.end() + 80))
    if am and "." not in text[m.end():am.start()] and text[am.start() - 2:am.start()].strip() == ",":
        outer = clean_speaker(text, *am.span("spk"))
        if outer:
            return outer, am.span("cue")
    return spk, cue


def colon_lead(text: str, prev: tuple[int, int] | None, cues):
    """A previous paragraph ending 'Kovac said:' that introduces the quote opening this one:
    (speaker, cue) or None."""
    if prev is None:
        return None
    lo, hi = prev
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    if hi <= lo or text[hi - 1] != ":":
        return None
    start = max(lo, hi - 300)
    found = find_cue_before(text, start, hi, [], cues)
    if found:
        return found
    spk = main_subject(text, start, hi)
    return (spk, None) if spk else None


ANY_VERB = r"(?<![\p{L}’'-])\p{Ll}{3,}(?:ed|es|s)\b"  # compiled at the end of the module
# only these make a following -s word surely a verb: 'Republican voters', 'Muslim communities' are nouns
S_VERB_SUBJECTS = frozenset(("he", "she", "He", "She"))


def _any_verb_subject(text: str, lo: int, hi: int, quoted: list[Quoted]):
    """The first '<speaker> <verb>ed/-s' of text[lo:hi], for a partial quote whose verb is not a
    reporting verb ('Pence praised ...', 'Kovac dismissed ...')."""
    tail = patterns().speaker_tail
    for m in ANY_VERB.finditer(text, lo, hi):
        if _inside(quoted, m.start()):
            continue
        sm = tail.search(text, max(lo, m.start() - 160), m.start())
        if sm and not _generic(text, sm):
            spk = clean_speaker(text, *sm.span("spk"))
            if spk and not text[spk[1] - 2:spk[1]] in ("’s", "'s"):
                if not m.group().endswith("ed") and text[spk[0]:spk[1]] not in S_VERB_SUBJECTS:
                    continue
                return spk, m.span()
    return None


# what may join two reports in one sentence: '..., and', '; ', ' while ', ' but '
JOIN = r"(?:[,;][ \u00a0]*(?:and|but|while|whereas)?|[ \u00a0]+(?:and|but|while|whereas))[ \u00a0]+\Z"  # compiled at the end of the module


def _absolute_cue(text: str, lo: int, hi: int, quoted: list[Quoted], cues):
    """'..., with the ministry only saying there was a “chance” ...': an absolute construction
    'with X <cue>ing' (or a relative clause '..., which Kovac called “...”') right before the
    fragment reports X's words, whatever cue opens the sentence.  (speaker, cue) or None."""
    for m in reversed(cues.verbs(lo, hi)):
        if _inside(quoted, m.start):
            continue
        sm = patterns().speaker_tail.search(text, max(lo, m.start - 120), m.start)
        wb = sm and _word_before(text, lo, sm.start("spk"))
        if sm and sm.group("app"):
            sm = None  # 'with CNN, Trump went on ..., saying': the 'appositive' is a clause
        if sm and (wb == "with" and m.word.endswith("ing") or wb == "which" and not _generic(text, sm)):
            spk = clean_speaker(text, *sm.span("spk"))
            if spk:
                return spk, m.span()
        return None  # only the participle nearest the fragment
    return None


def _intro(text: str, lo: int, hi: int):
    """'Kovac replied:' / 'O'Malley interjected, ' ending right at an opening mark: any verb will do
    there.  (speaker, cue) or None."""
    m = patterns().intro.search(text, max(lo, hi - 260), hi)
    if not m:
        return None
    # '... a woman asked for a photo and Kovac said, “...”': a reporting verb with its own
    # speaker in the words after the matched verb is the nearer cue
    for c in reversed(list(patterns().cue.finditer(text, m.end("cue"), m.end()))):
        spk = speaker_before(text, m.end("cue"), c.start(), c.group())
        if spk and (_word_before(text, m.end("cue"), spk[0]) in ("and", "but", "while")
                    or text[spk[0]:spk[0] + 1].isupper() and text[max(m.end("cue"), spk[0] - 2):spk[0]].strip() in ("―", "—", "–", "-", ",")):
            # '... and Kovac said, “...”', '... were public ― Kovac boasted, “...”'
            return spk, c.span()
    if _generic(text, m):
        return None
    e = m.end("spk")
    if text[e - 2:e] in ("’s", "'s"):
        return None
    spk = appositive_speaker(text, m, clean_speaker(text, *m.span("spk")))
    return (spk, m.span("cue")) if spk else None


# An interview transcript's speaker label: one to three capitalised words in capitals and a colon.
SPEAKER_LABEL = r"[ \u00a0]*(\p{Lu}[\p{Lu}.’'-]+(?:[ \u00a0]\p{Lu}[\p{Lu}.’'-]+){0,2}):[ \u00a0]"  # compiled at the end of the module


def _heading_like(text: str, q: Quoted) -> bool:
    """'‘Legend in the Coal Fields.’' or '“(CROSSTALK.)”' standing alone: a heading or a stage
    direction, not speech."""
    body = text[q.start:q.end].strip().rstrip(".")
    if body.startswith("(") and body.endswith(")"):
        return True
    words = body.split()
    if not words or len(words) > 8 or body[-1:] in "!?":
        return False
    long_words = [w for w in words if len(w) > 3]
    # 'This is all me.' has one long word: a sentence, not a Title Case heading
    return body[0].isupper() and len(long_words) >= 2 and all(w[0].isupper() or not w[0].isalpha() for w in long_words)


def _title_like(text: str, q: Quoted) -> bool:
    """Short Title Case text without closing punctuation: 'Orange Is the New Black'."""
    body = text[q.start:q.end].strip()
    if not body or body[-1] in ".,!?…:;" or len(body) > 80:
        return False
    words = body.split()
    if len(words) > 9:
        return False
    long_words = [w for w in words if len(w) > 3]
    return body[0].isupper() and all(w[0].isupper() or not w[0].isalpha() for w in long_words)


def _by_line(text: str, q: Quoted, hi: int) -> bool:
    """'“An essay title,” by Ana Kovac': a headline with its author, not a quotation."""
    return q.close_at is not None and text.startswith((" by ", ", by "), q.after) and q.after < hi


# 'pounding Marsh as a “harbour pirate”': a speaker characterising someone in a quoted phrase
CHARACTERISED_AS = r"[ \u00a0]as[ \u00a0]+(?:(?:a|an|the)[ \u00a0]+)?\Z"  # compiled at the end of the module
AUXILIARIES = MODALS | PASSIVE_AUX | frozenset(("has", "have", "had"))


def _characterisation(text: str, ss: int, as_at: int, quoted: list[Quoted]):
    """The subject and verb of '<subject> <verb> <object> as “...”': (speaker, verb span) or None."""
    spk = main_subject(text, ss, as_at, quoted)
    if spk is None or spk[1] >= as_at:
        return None
    first = text[spk[0]:spk[1]].split()[0].lower()
    if first in NOUN_BEFORE or first in ("it", "a", "an") or first in SUBORDINATORS:
        return None  # 'The choice was between going after Marsh as “unfit” ...': a thing, not a speaker
    j = spk[1]
    while j < as_at:
        w, k = _word_after(text, j, as_at)
        if not w:
            return None
        low = w.lower()
        if w[0].islower() and low not in AUXILIARIES and not low.endswith("ly") and (low.endswith(("ed", "ing", "s")) or low in IRREGULAR_PAST):
            return spk, (k - len(w), k)
        j = k
    return None


def _relative_that(text: str, ss: int, spk: tuple[int, int]) -> bool:
    """'an explosion that Mayor Ivo Marsh described as ...': 'that' after a noun opens a relative
    clause whose named subject speaks; 'she said that she ...' reports."""
    if not text[spk[0]:spk[0] + 1].isupper():
        return False
    before = _word_before(text, ss, spk[0] - 5)
    return bool(before) and before.isalpha() and not _past(before) and not before.endswith("s") \
        and before not in lexicon().lemmas


# The patterns above are compiled once and kept on disk (pattern_cache.py): the regex module parses
# patterns in Python, and these took about 16 ms of every run.
(PLACE_TAIL, ROLE_THEN_NAME, NEW_REPORT, ANY_VERB, JOIN, SPEAKER_LABEL, CHARACTERISED_AS) = compile_all("direct", dict(
    PLACE_TAIL=PLACE_TAIL, ROLE_THEN_NAME=ROLE_THEN_NAME, NEW_REPORT=NEW_REPORT, ANY_VERB=ANY_VERB, JOIN=JOIN,
    SPEAKER_LABEL=SPEAKER_LABEL, CHARACTERISED_AS=CHARACTERISED_AS))
