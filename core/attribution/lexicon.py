"""The attribution lexicon read from resources/: reporting verbs, titles, pronouns, and the compiled patterns built from them."""
from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path

import regex

from ..resources import RESOURCES, read_lines
from .pattern_cache import cached_patterns
from .words import alternation, source_text, words


@dataclass(frozen=True)
class Lexicon:
    verbs: frozenset          # every reporting-verb form
    weak: frozenset           # forms that are cues only before a clause (think, want, ...)
    obj: frozenset            # forms that take a person object before the content (told ...)
    present: frozenset        # 3rd-person present and past forms usable in "X said" / "said X"
    lemmas: frozenset         # bare forms (also nouns: 'a note', 'the report')
    titles: frozenset
    org_words: frozenset
    group_words: frozenset
    abbreviations: frozenset
    cue_phrases: tuple


def _verb_forms():
    verbs, weak, obj, finite, lemmas = set(), set(), set(), set(), set()
    for line in read_lines("reporting_verbs.txt"):
        forms, _, tags = line.partition("|")
        words = forms.split()
        tags = set(tags.split())
        verbs.update(words)
        if "weak" in tags:
            weak.update(words)
        if "obj" in tags:
            obj.update(words)
        # finite forms: everything but the -ing participle and the bare lemma
        lemma = words[0]
        lemmas.add(lemma)
        finite.update(w for w in words[1:] if not w.endswith("ing"))
        finite.add(lemma)
    # other languages: reporting_verbs_<language>.txt, comma-separated forms, all of them finite
    for path in sorted(RESOURCES.glob("reporting_verbs_*.txt")):
        for line in read_lines(path.name):
            forms = [f.strip() for f in line.split(",") if f.strip()]
            verbs.update(forms)
            finite.update(forms)
    return verbs, weak, obj, finite, lemmas


@lru_cache(maxsize=None)
def lexicon() -> Lexicon:
    verbs, weak, obj, finite, lemmas = _verb_forms()
    return Lexicon(
        verbs=frozenset(verbs), weak=frozenset(weak), obj=frozenset(obj), present=frozenset(finite), lemmas=frozenset(lemmas),
        titles=frozenset(t.lower() for t in read_lines("titles.txt")),
        org_words=frozenset(w.lower() for w in read_lines("attribution_org_words.txt")),
        group_words=frozenset(w.lower() for w in read_lines("attribution_group_words.txt")),
        abbreviations=frozenset(w.lower() for w in read_lines("attribution_abbreviations.txt")),
        cue_phrases=tuple(read_lines("attribution_cue_phrases.txt")),
    )


def _trie(words) -> str:
    """A regex matching exactly ``words``, factored by common prefixes (far faster than a flat alternation)."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node) -> str:
        keys = sorted(k for k in node if k)
        if not keys:
            return ""
        # a space inside a form ('according to', 'a déclaré') matches any run of blanks
        parts = [(r"[ \u00a0]+" if k == " " else re.escape(k)) + emit(node[k]) for k in keys]
        body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
        return f"(?:{body})?" if "" in node else body

    return emit(root)


def cue_phrase_pattern(phrases) -> str:
    """The cue phrases ('according to', 'in the words of') as an alternation: the first letter in
    either case, any run of blanks between words."""
    alts = []
    for ph in phrases:
        first, rest = ph[0], ph[1:]
        head = f"[{first.upper()}{first.lower()}]" if first.isalpha() else re.escape(first)
        alts.append(head + r"[ \u00a0]+".join(re.escape(w) for w in rest.split(" ")))
    return "(?:" + "|".join(alts) + ")"


def is_cue_phrase(words: str) -> bool:
    """Is this cue hit one of the cue phrases ('According  to'), not a reporting verb?"""
    return " ".join(words.lower().split()) in lexicon().cue_phrases


@lru_cache(maxsize=None)
def cue_phrase_tails() -> tuple[str, ...]:
    """The longest word of each cue phrase ('ccording', 'words'; a first word without its first
    letter, whose case varies): a plain find for them rules out most sentences before any pattern runs."""
    out = []
    for ph in lexicon().cue_phrases:
        words = ph.split(" ")
        longest = max(words, key=len)
        out.append(longest[1:] if longest is words[0] else longest)
    return tuple(out)


def _alt(words) -> str:
    # longest first so that alternation prefers "said" over "sai..." prefixes of other words
    return "|".join(regex.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


# Pieces of the speaker noun phrase.  A capitalised word, initials, or a name with an inner
# apostrophe/hyphen (O'Neill, Al-Bashir).
# Capitalised function words are not names ("Her suggestions", "It’s", "This").
NOT_NAME = rf"(?!(?:{alternation('not_names')})\b)"
NAME_W = rf"(?:{NOT_NAME}\p{{Lu}}[\p{{L}}\p{{M}}\-’'\d]*\.?|\p{{Lu}}\.(?:\p{{Lu}}\.)+)"
NAME_LINK = rf"(?:[ \u00a0](?:{alternation('name_links')})[ \u00a0]|[ \u00a0]|-)"
NAME_SEQ = rf"{NAME_W}(?:{NAME_LINK}{NAME_W}){{0,6}}"
PRONOUN = rf"(?:{alternation('speaker_pronouns')})"
DETERMINER = rf"(?:{alternation('determiners')})"


@dataclass(frozen=True)
class Patterns:
    cue: object             # any reporting-verb form, as a word (stdlib re: its alternation trie is fast)
    speaker_tail: object    # a speaker phrase (+ adverbs) ending exactly at the end of the searched range
    speaker_any: object     # any speaker phrase, for finding a clause's subject
    after_close: object     # ', X said' / ', said X' right after a closing quote mark
    intro: object           # 'Kovac replied:' / 'O'Malley interjected,' right before an opening mark
    trail_subject: object   # ', Kovac' ending right before a sentence-final cue
    trail_object: object    # ' Kovac' right after a sentence-final inverted cue
    trail_rest: object      # what may follow a sentence-final cue: ' on Tuesday, ...', '.'
    cue_any: object         # reporting verbs and 'according to' at word boundaries (cues.py drops
                            # those right after an apostrophe or hyphen: a lookbehind here would
                            # cost the scan its fast skip to candidate letters)
    dash_name: object       # '” ― Ana Kovac' : an attribution line after a quote
    inverted_after: object  # 'explained Kovac,' : the speaker right after an inverted cue
    obj: object             # the person object after told/assured/...
    modifiers: object       # ' on Tuesday', ' in a statement', ... between the cue and the content
    according: object       # 'according to X'
    according_loose: object  # 'according to <any phrase up to a comma or full stop>' (long sources)
    sentence_break: object  # candidate sentence boundaries
    colon_intro: object     # 'X said:' / 'X added,' just before an opening mark
    full_name: object       # a proper name and nothing else (for appositives)
    app_after: object       # ', Calder Maritime Holdings,' : a name in apposition right after a phrase


@lru_cache(maxsize=None)
def patterns() -> Patterns:
    """The compiled patterns, loaded from the on-disk cache (pattern_cache.py) when this file and
    the lexicon are the same as when they were stored."""
    try:
        key = [Path(__file__).read_bytes(), source_text()]
    except OSError:  # no source file to key the cache by (a frozen build)
        return _compile_patterns()
    lx = lexicon()
    for f in fields(lx):
        v = getattr(lx, f.name)
        key.append(f"{f.name}={sorted(v) if isinstance(v, frozenset) else list(v)}")
    return Patterns(**cached_patterns("attribution-patterns", key, lambda: vars(_compile_patterns())))


def _compile_patterns() -> Patterns:
    lx = lexicon()
    phrases = cue_phrase_pattern(lx.cue_phrases)   # 'according to', 'in the words of' (resources)
    phrase_forms = {f for ph in lx.cue_phrases for f in (ph, ph[0].upper() + ph[1:])}
    phrases_lower = "(?:" + "|".join(r"[ \u00a0]+".join(re.escape(w) for w in ph.split()) for ph in lx.cue_phrases) + ")"
    finite = _alt(lx.present - lx.weak)
    groups = _alt(lx.group_words)
    possessive = rf"{NAME_SEQ}[’']s[ \u00a0](?:[\p{{Ll}}\-]+[ \u00a0]){{0,2}}{NAME_SEQ}"
    named = rf"(?:(?:the|The)[ \u00a0])?{NAME_SEQ}(?:[ \u00a0]\([^()\n]{{1,24}}\))?"
    not_noun = rf"(?!(?:{alternation('not_nouns')})\b)"
    generic = (rf"{DETERMINER}[ \u00a0](?:{not_noun}[\p{{L}}\p{{N}}\-’'.]+[ \u00a0]){{0,3}}?"
               rf"{not_noun}[\p{{L}}\p{{N}}][\p{{L}}\p{{N}}\-]+\b")
    speaker = rf"(?:{possessive}|{named}|(?i:{groups})\b|{PRONOUN}\b|(?P<gen>{generic}))"
    # after an inverted cue a bare role may precede the name: 'said pollster Ana Kovac'
    inverted = (rf"(?:(?!(?:{alternation('not_roles')})\b)"
                rf"(?:[\p{{Ll}}\-]+[ \u00a0]){{1,3}}{NAME_SEQ}|{speaker})")
    weekdays = alternation("weekdays")
    adv = (rf"(?:(?:{alternation('speaker_adverbs')}|\p{{Ll}}+ly)[ \u00a0]+"
           # a short time phrase between subject and verb: 'Kovac on Friday said', 'Kovac at the time said'
           rf"|(?:{alternation('time_prepositions')})[ \u00a0]+(?:the[ \u00a0]+|a[ \u00a0]+)?[\p{{L}}\p{{N}}]+[ \u00a0]+"
           rf"|(?:{weekdays}|{alternation('time_words')}|{alternation('night_words')})[ \u00a0]+"
           # 'Kovac went on to say': the speaker of the verb after it
           r"|(?:went|goes|go|going)[ \u00a0]+on[ \u00a0]+to[ \u00a0]+)")
    apposition = r"(?:,[^,“”\"\n]{2,140},)"
    appositive = r"(?:,[ \u00a0]*(?P<app>[^,“”\"\n]{2,140}),)"  # the same, its content kept
    # Between the opening mark of a colon-introduced quote and the cue: time and manner phrases.
    return Patterns(
        cue=re.compile(rf"(?<![\w'’-]){_trie(lx.verbs)}\b"),
        # the cue phrases join the verbs' trie (a separate alternation made the scan a third slower)
        cue_any=re.compile(rf"\b(?:{_trie(lx.verbs | phrase_forms)})\b"),
        speaker_tail=regex.compile(rf"(?r)(?<![\p{{L}}\p{{N}}’'.-])(?P<spk>{speaker}){appositive}?[ \u00a0]+{adv}{{0,3}}\Z"),
        speaker_any=regex.compile(rf"(?<![\p{{L}}\p{{N}}’'.-])(?P<prep>(?i:{alternation('subject_prepositions')})[ \u00a0]+)?(?P<spk>{speaker})(?=[ \u00a0,:])"),
        after_close=regex.compile(
            rf"[ \u00a0]*[,—–-]?[ \u00a0]*(?:(?P<cue1>{finite}|{phrases_lower}|\p{{Ll}}{{3,}}ed)[ \u00a0]+(?P<spk1>{inverted})"
            rf"|(?P<spk2>{inverted}){apposition}?[ \u00a0]+{adv}{{0,2}}(?:(?P<cue2>{finite})|(?P<cue3>\p{{Ll}}{{2,}}ed|(?:went|shot|fired|spat|struck|broke)[ \u00a0]+(?:on|back|in))|(?P<cue4>\p{{Ll}}{{3,}}[^s\W]s)))\b"),
        intro=regex.compile(
            rf"(?r)(?<![\p{{L}}\p{{N}}’'.-])(?P<spk>{speaker}){appositive}?[ \u00a0]+{adv}{{0,3}}"
            rf"(?P<cue>{_alt(words('irregular_past') + words('intro_past'))}|\p{{Ll}}{{2,}}(?:ed|es|s))\b"
            rf"(?:[ \u00a0][^,:;\"“”\n]{{0,60}})?[,:][ \u00a0]*\Z"),
        trail_subject=regex.compile(rf"(?r),[”\"’']?[ \u00a0]*(?P<spk>{inverted}){appositive}?[ \u00a0]+{adv}{{0,2}}\Z"),
        trail_object=regex.compile(rf"[ \u00a0]+(?P<spk>{inverted})(?=[ \u00a0]*(?:[,.;:!?)\"”’]|\Z)|[ \u00a0]+(?:on|in|at|during|last|this|late|early)\b)"),
        trail_rest=regex.compile(r"(?:[ \u00a0][^,.;:!?\"“”\n]{0,40})?(?:,[^,;:!?\"“”\n]{0,100})?[.!?]?[\"”’]?[ \u00a0]*"),
        dash_name=regex.compile(rf"[ \u00a0]*[―—–-][ \u00a0]*(?P<spk>{inverted})(?=[ \u00a0]*(?:[,.;:\n]|\Z))"),
        inverted_after=regex.compile(rf"[ \u00a0]+(?P<spk>{inverted})[ \u00a0]*(?:[,:.;!?]|\Z)"),
        obj=regex.compile(rf"[ \u00a0]+(?:{alternation('told_objects')}|(?:the|a|an|his|her|their)[ \u00a0]+(?:[\p{{L}}\-]+[ \u00a0]+){{0,2}}?[\p{{L}}\-]+|{NAME_SEQ})(?=[ \u00a0,])"),
        modifiers=regex.compile(
            rf"(?:[ \u00a0]+(?:{alternation('content_modifier_heads')}|{weekdays}|{alternation('time_words')})\b"
            rf"(?:[ \u00a0]+(?:{alternation('content_modifier_words')}|{weekdays})\b)*)?,?"),
        according_loose=regex.compile(rf"\b(?P<cue>{phrases})[ \u00a0]+(?P<spk>[^,.;:!?()\"“”\n]{{2,90}})(?=[,.;:!?)]|\Z)"),
        according=regex.compile(rf"\b(?P<cue>{phrases})[ \u00a0]+(?P<spk>{speaker})(?=[ \u00a0]*(?:[,.;:!?)]|\Z))"),
        sentence_break=regex.compile(r"(?<=[.!?…][\"”’'»)\]]*)[ \u00a0\t]+(?=[\"“‘'«(\[]?[\p{Lu}\d])"),
        colon_intro=regex.compile(r"[:,][ \u00a0]*\Z"),
        app_after=regex.compile(rf",[ \u00a0]*(?P<app>(?:(?:the|The)[ \u00a0])?{NAME_SEQ}),"),
        full_name=regex.compile(rf"(?:(?:the|The)[ \u00a0])?{NAME_SEQ}"),
    )
