"""Speaker mentions and entities: classifying a speaker phrase and merging name variants and pronouns into entities."""
from __future__ import annotations

from functools import lru_cache
import re

import regex

from ..model import Document, Entity, Mention
from ..resources import read_lines
from .lexicon import lexicon
from .pattern_cache import compile_all
from .words import word_set, words

TOKEN = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}\-’'.]*")
# Two or three capitalised words not opening a sentence: a person's full name, most of the time.
# (or after a short title abbreviation: 'Sen. Maria Lopez voted no.')
PERSON_NAME = regex.compile(r"(?<=[\p{Ll},;] |(?<![\p{L}.])\p{Lu}\p{Ll}{1,3}\. )\p{Lu}\p{Ll}+(?: \p{Lu}\.)?(?: \p{Lu}\p{Ll}+){1,2}\b")
@lru_cache(maxsize=None)
def _pronouns() -> dict[str, str]:
    return dict(line.split()[:2] for line in read_lines("pronouns.txt"))


NOMINAL_HEADS = frozenset(w.lower() for w in words("role_determiners"))
ROLE_LINKS = frozenset(link.split()[0] for link in words("role_links"))


def _kind_of(text: str, tokens: list[str]) -> tuple[str, str]:
    """(mention kind, entity kind) of a speaker phrase."""
    lx = lexicon()
    low = [t.lower().rstrip(".") for t in tokens]
    if len(low) == 1 and low[0] in _pronouns():
        return "pronoun", _pronouns()[low[0]]
    if low[0] in NOMINAL_HEADS and any(w in lx.titles and nxt in ROLE_LINKS for w, nxt in zip(low[1:4], low[2:5])):
        return "nominal", "person"  # 'a spokesman for the ferry company' is a person, not the company
    capital = [t for t in tokens if t[:1].isupper()]
    if any(t in lx.org_words for t in low) and not (len(capital) >= 2 and low[-1] not in lx.org_words and
                                                   any(t in lx.titles for t in low)):
        return ("name" if capital else "nominal"), "organization"
    if low and low[-1] in lx.group_words or low[-1:] and low[-1].endswith("s") and not capital:
        return ("name" if capital else "nominal"), "group"
    if not capital or low[0] in ("the", "a", "an", "his", "her", "their", "its") and low[-1] in lx.titles:
        return "nominal", "person"
    return "name", "person"


@lru_cache(maxsize=4096)
def _phrase_kind(phrase: str) -> tuple[tuple[str, ...], str, str]:
    """The tokens of a speaker phrase and its (mention kind, entity kind); the same few phrases
    ('he', 'Kovac', 'the minister') speak again and again."""
    tokens = tuple(TOKEN.findall(phrase))
    return (tokens, *_kind_of(phrase, tokens)) if tokens else ((), "", "")


def _name_tokens(tokens: list[str]) -> list[str]:
    """A name without its leading titles and possessive owner: 'Finance Minister Ana Kovac' -> Ana Kovac."""
    titles = lexicon().titles
    out = list(tokens)
    for i, t in enumerate(out[:-1]):
        if t.endswith(("’s", "'s")):
            out = out[i + 1:]
            break
    # drop everything up to the last title word that still leaves a capitalised name
    cut = 0
    for i, t in enumerate(out[:-1]):
        low = t.lower()
        if low in titles or low + "." in titles or low.rstrip(".") + "." in titles or t[:1].islower():
            cut = i + 1
    # a title of several words ('Secretary of State', 'Chief of Staff') is eaten whole: its last
    # words are capitalised like a name but belong to the office
    low = [t.lower() for t in out]
    titles_by_first = _long_titles()
    for i, w in enumerate(low):
        for title in titles_by_first.get(w, ()):
            n = len(title)
            if i + n < len(out) and low[i:i + n] == title:
                cut = max(cut, i + n)
    out = out[cut:] or out
    return out or list(tokens)


@lru_cache(maxsize=None)
def _long_titles() -> dict[str, list[list[str]]]:
    """Titles of several words, by their first word."""
    out: dict[str, list[list[str]]] = {}
    for t in lexicon().titles:
        if " " in t:
            words = t.split()
            out.setdefault(words[0], []).append(words)
    return out


SENTENCE_END = regex.compile(r"[.!?][”\"’]?(?:\s|$)")
# Roles that name whoever heads a state or a body, whatever their title: 'the Norland leader' after
# 'President Orlov' spoke.
LEADER_ROLES = word_set("leader_roles")
HEAD_TITLES = words("head_titles")


TITLE_SHORT = {"senator": ("sen.",), "governor": ("gov.",), "representative": ("rep.",),
               "congressman": ("rep.",), "congresswoman": ("rep.",), "president": ("pres.",)}


SENTENCE_HEAD_NAME = regex.compile(r"\p{Lu}\p{Ll}+(?:[ ]\p{Lu}\.)?(?:[ ]\p{Lu}[\p{Ll}’'\-]+){1,2}(?=[ ,])")


def _sentence_name(text: str, s: int) -> str | None:
    """The person's full name opening the sentence of offset ``s``, as 'Given Surname'; None when
    the sentence opens otherwise.  (Names inside the sentence are as often places and laws.)"""
    lo = max(0, s - 300)
    stop, line = text.rfind(". ", lo, s), text.rfind("\n", lo, s)
    start = max(stop + 2 if stop >= 0 else lo, line + 1 if line >= 0 else lo)
    if stop >= 0 and start == stop + 2:
        word = text[max(lo, stop - 6):stop + 1].split()[-1:] or [""]
        if len(word[0]) <= 4 and word[0][:1].isupper():
            return None  # 'Sen. Bernie Sanders': an abbreviation's full stop, not a sentence's
    found = SENTENCE_HEAD_NAME.match(text, start, s)
    if found is None:
        return None
    tokens = TOKEN.findall(found.group())
    if _kind_of(found.group(), tokens)[1] != "person":
        return None
    return " ".join(_name_tokens(tokens))


def next_id(doc: Document, pool: dict, prefix: str) -> str:
    """``doc.new_id(prefix)`` for ``pool`` (the dict of that prefix): the pool's size plus one when
    it is free, as new_id gives it, without new_id's per-call table (tens of thousands of calls a corpus)."""
    guess = f"{prefix}{len(pool) + 1}"
    return guess if guess not in pool else doc.new_id(prefix)


def _person_named(doc: Document, by_key: dict, full: str) -> str:
    """The entity known by ``full`` or its surname; a new person entity when there is none."""
    ent_id = by_key.get(full.lower()) or by_key.get(full.split()[-1].lower())
    if ent_id is None:
        ent_id = next_id(doc, doc.entities, "e")
        doc.entities[ent_id] = Entity(ent_id, full, "person")
        by_key[full.lower()] = ent_id
        by_key[full.split()[-1].lower()] = ent_id
    return ent_id


def _role_of_previous_speaker(doc: Document, text: str, s: int, tokens: list[str],
                              prev_named: tuple[int, str]) -> str | None:
    """'President Pavel Orlov ... Orlov accused ...  The Norland leader also said ...': a 'the <role>'
    subject opening the sentence right after the one a named person spoke in is that person when
    the person was written earlier with a matching title.  The entity id or None."""
    prev_end, ent_id = prev_named
    if tokens[0].lower() != "the" or s - prev_end > 700:
        return None
    head = tokens[-1].lower().rsplit("-", 1)[-1]
    titles = lexicon().titles
    if head not in titles:
        return None
    before = text[prev_end:s].rstrip(" \t\u00a0")
    if before and before[-1] not in ".!?”\"’\n":
        return None  # not a subject opening a new sentence
    # exactly one sentence or paragraph boundary between the speaker and the role: no other
    # sentence in between
    if len(SENTENCE_END.findall(text, prev_end, s)) > 1:
        return None
    surname = doc.entities[ent_id].name.split()[-1]
    wanted = HEAD_TITLES if head in LEADER_ROLES else (head,) + TITLE_SHORT.get(head, ())
    pat = _titled_name(wanted, surname)
    return ent_id if pat.search(text, 0, s) else None


@lru_cache(maxsize=256)
def _titled_name(wanted: tuple[str, ...], surname: str):
    alt = "|".join(regex.escape(t) for t in wanted)
    return regex.compile(rf"\b(?i:{alt})[ \u00a0]+(?:\p{{Lu}}[\p{{L}}.’'-]*[ \u00a0]+){{0,2}}{regex.escape(surname)}\b")


def _role_then_name(role: str):
    """'<role> Given Surname' (the role in any case); roles are title words."""
    return _role_patterns().get(role) or regex.compile(_role_then_name_source(role))


def _role_then_name_source(role: str) -> str:
    return rf"\b(?i:{regex.escape(role)})[ \u00a0]+(\p{{Lu}}\p{{Ll}}+(?:[ \u00a0]\p{{Lu}}\p{{Ll}}+){{0,2}})"


@lru_cache(maxsize=None)
def _role_patterns() -> dict:
    """The '<role> Name' pattern of every title, compiled once and kept on disk (pattern_cache.py):
    compiling the eighty or so a corpus needs, one by one, cost about 60 ms a run."""
    titles = sorted(lexicon().titles)
    return dict(zip(titles, compile_all("role-then-name", {t: _role_then_name_source(t) for t in titles})))


LEADING_DETERMINER = regex.compile(r"^(?:the|a|an|his|her|their|its)\s+")
CAPITALISED = regex.compile(r"(?<![\p{L}’'-])\p{Lu}[\p{Ll}’'-]+\b(?![’']s\b)")


def _named_since(doc: Document, text: str, lo: int, hi: int, by_key: dict) -> str | None:
    """The person entity whose name was written last in text[lo:hi], or None."""
    found = None
    for m in CAPITALISED.finditer(text, lo, hi):
        eid = by_key.get(m.group().lower())
        if eid is not None and doc.entities[eid].kind == "person":
            found = eid
    return found


def link(doc: Document, spans: list[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """Create a Mention (and its Entity) for each speaker span; returns span -> mention id.
    Spans are linked in text order so a pronoun finds the latest compatible entity before it."""
    text = doc.article
    lx = lexicon()
    by_key: dict[str, str] = {}      # lowercased name or surname -> entity id
    last_person: str | None = None
    last_person_end = 0
    last_group: str | None = None
    last_org: str | None = None
    last_any: str | None = None
    role_of: dict[str, str] = {}     # title word -> latest person entity that carried it
    out: dict[tuple[int, int], str] = {}
    prev_named: tuple[int, str] | None = None   # (end, entity) of the last mention if a person's name
    for s, e in sorted(set(spans)):
        phrase = text[s:e]
        tokens, mkind, ekind = _phrase_kind(phrase)
        if not tokens:
            continue
        ent_id = None
        if mkind == "pronoun":
            ent_id = {"person": last_person, "group": last_group, "organization": last_org,
                      "any": last_any}.get(ekind)
            if ent_id is not None and ekind == "person" and tokens[0].lower() in ("he", "she"):
                # a known person named after the last speaker ('... O'Malley interjected. He said')
                # is the one the pronoun points back to
                ent_id = _named_since(doc, text, max(last_person_end, s - 400), s, by_key) or ent_id
            if ekind == "person" and tokens[0].lower() in ("he", "she"):
                # 'Ana Kovac may have put it best when she wrote: ...': a full name earlier in the
                # pronoun's own sentence, speaker or not, is who the pronoun means
                full = _sentence_name(text, s)
                if full is not None:
                    ent_id = _person_named(doc, by_key, full)
            if ent_id is None and ekind == "group":
                ent_id = last_org
            if ent_id is None and tokens[0].lower() in ("he", "she"):
                # nobody has spoken yet: the last full name written before the pronoun
                name = None
                for name in PERSON_NAME.finditer(text, max(0, s - 600), s):
                    pass
                if name is not None:
                    ent_id = _person_named(doc, by_key, " ".join(_name_tokens(TOKEN.findall(name.group()))))
        elif mkind == "nominal":
            roles = [t.lower() for t in tokens if t.lower() in lx.titles]
            for r in reversed(roles):
                if r in role_of:
                    ent_id = role_of[r]
                    break
            if ent_id is None and roles:
                # 'the Russian leader' after 'Russian leader Pavel Orlov' was written
                named = None
                pat = _role_then_name(roles[-1])
                for named in pat.finditer(text, max(0, s - 2000), s):
                    pass
                if named is not None:
                    ent_id = _person_named(doc, by_key, named.group(1))
                    role_of[roles[-1]] = ent_id
            if ent_id is None and prev_named is not None:
                ent_id = _role_of_previous_speaker(doc, text, s, tokens, prev_named)
            if ent_id is None:
                key = phrase.lower()
                key = LEADING_DETERMINER.sub("", key)
                ent_id = by_key.get(key)
                if ent_id is None:
                    ent_id = next_id(doc, doc.entities, "e")
                    doc.entities[ent_id] = Entity(ent_id, phrase, ekind)
                    by_key[key] = ent_id
        else:
            name = _name_tokens(tokens)
            if name and name[-1].endswith(("’s", "'s")) and len(name[-1]) > 2:
                name = name[:-1] + [name[-1][:-2]]  # 'Stadia’s' is Stadia: a possessive names its owner
            full = " ".join(name)
            surname = name[-1].lower()
            ent_id = by_key.get(full.lower()) or (by_key.get(surname) if ekind == "person" else None)
            if ent_id is None:
                ent_id = next_id(doc, doc.entities, "e")
                doc.entities[ent_id] = Entity(ent_id, full, ekind)
            ent = doc.entities[ent_id]
            if len(full) > len(ent.name):
                ent.name = full
            by_key[full.lower()] = ent_id
            if ekind == "person":
                by_key[surname] = ent_id
                for t in tokens:
                    if t.lower() in lx.titles:
                        role_of[t.lower()] = ent_id
        prev_named = (e, ent_id) if mkind == "name" and ekind == "person" and ent_id else None
        mid = next_id(doc, doc.mentions, "m")
        doc.mentions[mid] = Mention(mid, s, e, entity=ent_id, kind=mkind)
        out[(s, e)] = mid
        if ent_id:
            last_any = ent_id
            kind = doc.entities[ent_id].kind
            if kind == "person":
                last_person = ent_id
                last_person_end = e
            elif kind == "group":
                last_group = ent_id
            elif kind == "organization":
                last_org = ent_id
    _full_names(doc, text)
    return out


# Above this many (surname-only people x characters), one pass over the text beats a search per
# surname: a long page with thousands of surname-only speakers would otherwise scan it thousands of times.
SURNAME_SCAN_LIMIT = 20_000_000


def _full_names(doc: Document, text: str) -> None:
    """A person known only by a surname takes the 'Given Surname' written elsewhere in the text
    ('Secretary of State Rex Tillerson' met no one, then 'Tillerson said'), unless two given names
    share the surname (Bill and Hillary Clinton): then the surname alone is the safer name."""
    singles = [e for e in doc.entities.values()
               if e.kind == "person" and " " not in e.name and e.name[:1].isupper()]
    if not singles:
        return
    if len(singles) * len(text) <= SURNAME_SCAN_LIMIT:
        given_names = {e.name: _given_names(text, e.name) for e in singles}
    else:
        given_names = _given_names_in_one_pass(text, {e.name for e in singles})
    for ent in singles:
        names = given_names.get(ent.name, ())
        if len(names) == 1:
            given = next(iter(names))
            # 'Give Tony' once, 'Tony Last' throughout a novel: the name is a given name after all
            surnames = _surnames_after(text, ent.name) if len(text) <= GIVEN_SCAN_LIMIT else ()
            if len(surnames) == 1:
                surname = next(iter(surnames))
                if text.count(f"{ent.name} {surname}") > text.count(f"{given} {ent.name}"):
                    ent.name = f"{ent.name} {surname}"
                    continue
            ent.name = f"{given} {ent.name}"
        elif not names and len(text) <= GIVEN_SCAN_LIMIT:
            # no given name before it: a given name itself ('Jock said' after 'Jock Grant-Menzies'
            # came in), when the story writes it before exactly one surname
            surnames = _surnames_after(text, ent.name)
            if len(surnames) == 1:
                ent.name = f"{ent.name} {next(iter(surnames))}"


GIVEN_SCAN_LIMIT = 2_000_000   # characters: beyond this, one regex search per given name costs too much
_LETTERS_HYPHENS = regex.compile(r"\p{L}[\p{L}-]*")   # str.isalpha() is exactly \p{L}
def _surnames_after(text: str, given: str) -> set[str]:
    """The capitalised words written right after ``given`` that may be its surname (stops at two).
    (Plain finds: a pattern per given name cost a compile per name.)"""
    out: set[str] = set()
    lx = lexicon()
    i = text.find(given + " ")
    while i >= 0:
        if i == 0 or not (text[i - 1].isalpha() or text[i - 1] in "’'-"):
            j = i + len(given) + 1
            wm = _LETTERS_HYPHENS.match(text, j)   # letters, then letters or hyphens
            k = wm.end() if wm else j
            word = text[j:k].rstrip("-")
            if (len(word) > 1 and word[0].isupper() and word[1:2].islower() and text[k:k + 1] not in ("’", "'")
                    and word.lower() not in lx.titles and word.lower() not in lx.org_words
                    and word not in NOT_GIVEN and word.lower() not in lx.verbs):
                out.add(word)
                if len(out) > 1:
                    break
        i = text.find(given + " ", i + 1)
    return out


def _given_word(text: str, i: int) -> str | None:
    """The word ending right before the space at ``i``, when it can be a given name."""
    j = i
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] in "-’'"):
        j -= 1
    given = text[j:i]
    if (len(given) > 1 and given[0].isupper() and given[1:].islower()
            and given.lower() not in lexicon().titles and given not in NOT_GIVEN):
        return given
    return None


def _given_names(text: str, surname: str) -> set[str]:
    """The given names written before ``surname`` (stops at two: then it stays a surname)."""
    names: set[str] = set()
    i = text.find(" " + surname)
    while i > 0:
        if not text[i + 1 + len(surname):i + 2 + len(surname)].isalpha():
            given = _given_word(text, i)
            if given:
                names.add(given)
                if len(names) > 1:
                    break
        i = text.find(" " + surname, i + 1)
    return names


def _given_names_in_one_pass(text: str, surnames: set[str]) -> dict[str, set[str]]:
    """``_given_names`` for many surnames at once: every capitalised word after a space, looked up."""
    out: dict[str, set[str]] = {}
    for m in CAPITALISED_AFTER_SPACE.finditer(text):
        word = m.group(1)
        # 'Kovac’s', 'Kovac-led': the surname is the word up to its apostrophe or hyphen, as in
        # _given_names, where only a letter right after the surname rules it out
        surname = word if word in surnames else _SURNAME_PART.split(word, 1)[0]
        if surname in surnames:
            names = out.setdefault(surname, set())
            if len(names) < 2:
                given = _given_word(text, m.start())
                if given:
                    names.add(given)
    return out


# stdlib re: a plain scan of every capitalised word is far quicker than with the regex module
CAPITALISED_AFTER_SPACE = re.compile(r" ([^\W\d_]+(?:[’'\-][^\W\d_]+)*)")
_SURNAME_PART = re.compile(r"[’'\-]")


# capitalised words that stand before a surname without being a given name
NOT_GIVEN = word_set("not_given_names")
