"""A quote found by a rule, before it becomes model objects, and the span helpers the rules share."""
from __future__ import annotations

from dataclasses import dataclass

from .lexicon import lexicon, patterns
from .marks import CLOSING
from .pattern_cache import compile_all
from .words import alternation, word_set, words

# Capitalised words that start a sentence but are not part of a speaker's name.
LEADING_NOISE = (  # compiled at the end of the module
    rf"(?:(?:{alternation('leading_noise')}|{alternation('weekdays')}|{alternation('months')}|"
    r"\p{Lu}\p{Ll}+ly)\b[\s,]*)+")


@dataclass
class Found:
    start: int
    end: int
    type: str
    speaker: tuple[int, int] | None
    cue: tuple[int, int] | None
    rule: str
    confidence: float
    group: str | None = None


def clean_speaker(text: str, s: int, e: int) -> tuple[int, int] | None:
    """Trim sentence-initial connectives and time words off a speaker phrase."""
    # every noise word is capitalised: a lowercase start needs no regex
    m = LEADING_NOISE.match(text, s, e) if text[s:s + 1].isupper() else None
    if m:
        if m.end() >= e:
            return None
        s = m.end()
    while e > s and text[e - 1] in " \t\u00a0,":
        e -= 1
    if e - s > 5 and text[s:e].isupper() and " " not in text[s:e]:
        return None  # a dateline (WASHINGTON), not a speaker
    if e - s > 1 and text[e - 1] == ".":
        # a sentence's full stop, unless the name ends with an abbreviation (Jr., Inc.)
        word = text[s:e - 1].rsplit(None, 1)[-1]
        if len(word) > 3 and word.lower() not in lexicon().abbreviations:
            e -= 1
    if e <= s or not _speaker_like(text[s:e]):
        return None
    return (s, e)


NOT_SPEAKERS = frozenset(w.lower() for w in words("not_speakers"))
NUMBER_WORDS = word_set("number_words")
OWNER_START = word_set("owner_determiners")


def _speaker_like(phrase: str) -> bool:
    """Not a number ('Forty-one', '66'), an adverb alone ('Never'), nor a thing owned by someone
    ('its relevance', unless a role follows: 'its spokesman'): those never speak."""
    sp = phrase.find(" ")
    if sp < 0:
        low = phrase.lower().strip(".,")
        if low in NOT_SPEAKERS or low.replace(",", "").isdigit():
            return False
        return not ("-" in low and all(p in NUMBER_WORDS for p in low.split("-")))
    if phrase[:sp].lower() in OWNER_START:
        return any(person_noun(t) for t in phrase[sp + 1:].lower().split())
    return True


NOMINAL_START = word_set("nominal_start")

# 'a spokesman for', 'a source close to', 'an official at': the role a speaker phrase is the object of
_DET = rf"(?:{alternation('role_determiners')})"
_SPACE = r"[ \u00a0]"
_OF = rf"(?:{alternation('role_links', space=_SPACE)})"
HEAD_OF = rf"(?r)(?<![\p{{L}}’'-]){_DET}[ \u00a0](?:[\p{{Ll}}\-]+[ \u00a0]){{0,2}}?(?P<head>[\p{{Ll}}\-]+)[ \u00a0]{_OF}[ \u00a0]\Z"
# ', a source familiar with the talks said.': a role with its postmodifier before a closing cue
LOOSE_TRAIL = rf"(?r),[ \u00a0]*(?P<spk>{_DET}[ \u00a0](?:[\p{{L}}\p{{N}}\-’']+[ \u00a0]){{1,7}}?[\p{{L}}\p{{N}}\-’']+)[ \u00a0]+\Z"


HEAD_LINKS = tuple([w] for w in dict.fromkeys(link.split()[-1] for link in words("role_links")))


# ', Israeli officials said.' / ', legal experts say.': up to three modifiers and a plural head
GROUP_TRAIL = r"(?r),[ \u00a0]*(?P<spk>(?:[\p{L}\-’']+[ \u00a0]){0,3}[\p{L}\-’']+)[ \u00a0]+\Z"


def _speaking_group(words: list[str]) -> bool:
    """'Israeli officials', 'legal experts', 'many Calder residents': a group of people; not a clause."""
    head = words[-1].lower()
    if not (head in lexicon().group_words or head.endswith("s") and person_noun(head)):
        return False
    # modifiers are adjectives, names or quantities, never a verb or a function word
    return all(not w.lower().endswith(("ed", "ing")) and w.lower() not in NOT_MODIFIERS for w in words[:-1])


NOT_MODIFIERS = word_set("not_modifiers")


def person_noun(word: str) -> bool:
    """A role or title word, singular or plural ('spokesman', 'officials')."""
    titles = lexicon().titles
    return word in titles or word.endswith("s") and word[:-1] in titles


def head_of(text: str, lo: int, spk: tuple[int, int] | None) -> tuple[int, int] | None:
    """'A spokesman for the ferry company said': the speaker is the spokesman, not the company."""
    if spk is None:
        return None
    s0 = spk[0] - 1
    if text[s0:spk[0]] not in (" ", "\u00a0") or text[max(lo, s0 - 7):s0].rsplit(None, 1)[-1:] not in HEAD_LINKS:
        return spk  # the word before is no preposition: nothing to extend over
    m = HEAD_OF.search(text, max(lo, spk[0] - 60), spk[0])
    if m and person_noun(m.group("head").lower()):
        return (m.start(), spk[1])
    return spk


def appositive_speaker(text: str, m, spk: tuple[int, int] | None) -> tuple[int, int] | None:
    """'The operator, Calder Maritime Holdings, said': a role or noun phrase followed by a name in
    apposition speaks under that name.  ``m`` matched the speaker with its appositive (group 'app')."""
    if spk is None or m.group("app") is None:
        return spk
    words = text[spk[0]:spk[1]].split()
    if not words or words[0].lower() not in NOMINAL_START or any(w[:1].isupper() for w in words[1:]):
        return spk
    a0, a1 = m.span("app")
    while a0 < a1 and text[a0] in " \u00a0":
        a0 += 1
    while a1 > a0 and text[a1 - 1] in " \u00a0":
        a1 -= 1
    if patterns().full_name.fullmatch(text, a0, a1):
        return clean_speaker(text, a0, a1) or spk
    return spk


def appositive_after(text: str, spk: tuple[int, int] | None, hi: int) -> tuple[int, int] | None:
    """The same as ``appositive_speaker`` for a phrase found without its appositive: looks for
    ', Name,' right after it."""
    if spk is None:
        return spk
    words = text[spk[0]:spk[1]].split()
    if not words or words[0].lower() not in NOMINAL_START or any(w[:1].isupper() for w in words[1:]):
        return spk
    m = patterns().app_after.match(text, spk[1], hi)
    if m:
        return clean_speaker(text, *m.span("app")) or spk
    return spk


def trailing_attribution(text: str, ss: int, se: int, cues):
    """'..., Kovac said.' or '..., said Kovac.' closing sentence [ss, se): (comma offset, speaker, cue) or None."""
    p = patterns()
    finite = [h for h in cues.between(max(ss, se - 200), se) if h.finite]
    if not finite:
        return None
    c0, c1 = finite[-1].span()
    if text.rfind(",", max(ss, c0 - 170), c0) < 0:
        return None  # both forms need a comma before the cue
    # '..., Kovac said (on Tuesday).'
    rest = p.trail_rest.fullmatch(text, c1, se)
    if rest:
        m = p.trail_subject.search(text, max(ss, c0 - 160), c0)
        if m and m.start() >= ss:
            spk = appositive_speaker(text, m, clean_speaker(text, *m.span("spk")))
            if spk:
                return m.start(), head_of(text, m.start(), spk), (c0, c1)
        m = LOOSE_TRAIL.search(text, max(ss, c0 - 100), c0)
        if m and m.start() >= ss and any(person_noun(w.lower()) for w in m.group("spk").split()[1:4]):
            return m.start(), m.span("spk"), (c0, c1)
        m = GROUP_TRAIL.search(text, max(ss, c0 - 60), c0)
        if m and m.start() >= ss and _speaking_group(m.group("spk").split()):
            return m.start(), m.span("spk"), (c0, c1)
    # '..., said Kovac (, a spokeswoman).'
    k = c0
    while k > ss and text[k - 1] in " \t\u00a0":
        k -= 1
    if k > ss and text[k - 1] in CLOSING:
        k -= 1
    if k > ss and text[k - 1] == ",":
        m = p.trail_object.match(text, c1, se)
        if m and p.trail_rest.fullmatch(text, m.end(), se):
            spk = clean_speaker(text, *m.span("spk"))
            if spk:
                return k - 1, spk, (c0, c1)
    return None


def content_start(text: str, pos: int, end: int, cue_word: str) -> int:
    """Where reported content begins after a cue ending at ``pos``: past the person object of
    'told', time and place phrases and a comma."""
    p = patterns()
    if cue_word.lower() in lexicon().obj:
        m = p.obj.match(text, pos, end)
        if m:
            pos = m.end()
    m = p.modifiers.match(text, pos, end)
    if m and m.end() > pos:
        pos = m.end()
    while pos < end and text[pos] in " \t\u00a0,:":
        pos += 1
    return pos


END_TRIM = frozenset(" \t\n\u00a0.!?…;:,—–-")


def content_end(text: str, start: int, end: int) -> int:
    """Trim a clause's closing punctuation and blanks (a closing quote mark stays)."""
    e = end
    while e > start and text[e - 1] in END_TRIM:
        e -= 1
    return e if e > start else end


# The patterns above are compiled once and kept on disk (pattern_cache.py): the regex module parses
# patterns in Python, and these took about 16 ms of every run.
LEADING_NOISE, HEAD_OF, LOOSE_TRAIL, GROUP_TRAIL = compile_all("found", dict(
    LEADING_NOISE=LEADING_NOISE, HEAD_OF=HEAD_OF, LOOSE_TRAIL=LOOSE_TRAIL, GROUP_TRAIL=GROUP_TRAIL))
