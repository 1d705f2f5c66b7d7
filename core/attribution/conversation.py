"""Conversation: in dialogue (a story told in turns, one speaker a paragraph), a turn nobody is
named for, right after another turn, is the other party's: the latest speaker before that turn
who is not its speaker (CoreNLP's 'conv' and 'paraend' sieves are the model).

Only a document that reads as dialogue is touched: at least ``MIN_DIRECT`` direct quotes of which
``MIN_WEAK_SHARE`` have no speaker of their own.  News copy, where a paragraph without a cue
carries on the speaker before it (AP style), is left as the quoted-speech sieves had it.
"""
from __future__ import annotations

from .direct import main_subject

MIN_DIRECT = 6
NOT_SUBJECTS = frozenset(("the", "a", "an", "it", "there", "this", "that", "i", "we", "they", "he", "she"))
MIN_WEAK_SHARE = 0.25
# the rules that found no speaker of the quote's own (the turn may take one from the conversation)
WEAK_RULES = frozenset(("direct:previous-speaker", "direct:unattributed"))
TURN_CONFIDENCE = 0.5
LOOK_BACK = 6   # turns searched back for the other party of a conversation


def _speaker_key(text: str, spk) -> str | None:
    return " ".join(text[spk[0]:spk[1]].lower().split()) if spk else None


def stage_conversation(ctx) -> None:
    """Alternate the speakers of unattributed turns in a dialogue."""
    text = ctx.text
    direct = [f for fs in ctx.para_found.values() for f in fs if f.type == "direct"]
    weak = [f for f in direct if f.rule in WEAK_RULES]
    if len(direct) < MIN_DIRECT or len(weak) < MIN_WEAK_SHARE * len(direct):
        return
    # one turn a paragraph holding a direct quote: (paragraph index, its direct quotes, speaker span)
    turns = []
    for pi in sorted(ctx.para_found):
        fs = [f for f in ctx.para_found[pi] if f.type == "direct"]
        if not fs:
            continue
        strong = next((f for f in fs if f.rule not in WEAK_RULES and f.speaker), None)
        turns.append([pi, fs, strong.speaker if strong else None])
    for i, turn in enumerate(turns):
        pi, fs, spk = turn
        if spk is not None or i < 1:
            continue
        p1, _, s1 = turns[i - 1]
        if p1 != pi - 1:
            # a turn after narrative ('Beaver rose to go.'): the person the narrative is about
            subject = _narrative_subject(ctx, pi - 1)
            if subject is not None:
                turn[2] = subject
                for f in fs:
                    if f.rule in WEAK_RULES:
                        f.speaker, f.cue, f.rule, f.confidence = subject, None, "direct:narrative-subject", TURN_CONFIDENCE
            continue
        if s1 is None:
            continue  # the turns must follow each other with nothing between them
        # the other party: the latest speaker before the last turn who is not its speaker
        key1 = _speaker_key(text, s1)
        other = None
        for j in range(i - 2, max(-1, i - 2 - LOOK_BACK), -1):
            sj = turns[j][2]
            if sj is not None and _speaker_key(text, sj) != key1:
                other = sj
                break
        if other is None:
            continue
        turn[2] = other
        for f in fs:
            if f.rule in WEAK_RULES:
                f.speaker, f.cue, f.rule, f.confidence = other, None, "direct:conversation-turn", TURN_CONFIDENCE


def _narrative_subject(ctx, pi: int):
    """The named subject opening a paragraph without quotes ('Beaver rose to go.'), or None."""
    if pi < 0 or pi in ctx.para_found:
        return None
    lo, hi = ctx.paragraphs[pi]
    text = ctx.text
    spk = main_subject(text, lo, min(hi, lo + 120))
    if spk is None or spk[0] - lo > 40 or not text[spk[0]:spk[0] + 1].isupper():
        return None
    first = text[spk[0]:spk[1]].split()[0].lower()
    if first in NOT_SUBJECTS:
        return None
    return spk
