"""The rule registry: every rule a quote may carry (``Quote.rule``), with its quote type, what it means and an invented example that produces it.

The README's rule list is generated from this table (``readme_table``); tests check that every rule
the engine emits is here and that each example produces its rule.  A rule is named
'<type>:<what found it>'.  Reported speech whose clause holds a quoted fragment is retyped mixed,
and a partial quote whose only fragment is in single marks (in a text quoting with double marks) is
retyped indirect: ``retype`` gives the registered name of the other type.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    name: str
    type: str          # direct, mixed or indirect
    doc: str           # one line: what the rule found
    example: str       # invented text whose attribution carries this rule
    retyped: bool = False  # only ever reached by retyping another type's rule


_TABLE = (
    # -- direct: the words in marks, speaker from around the marks
    ("direct:quote-cue-speaker", "“...,” Kovac said / “...,” said Kovac",
     "“The quay stays open,” Harbour Master Ana Kovac said."),
    ("direct:speaker-verb-colon", "Kovac replied: “...” (any verb right before the mark)",
     "Ana Kovac replied: “The quay stays open.”"),
    ("direct:quote-dash-speaker", "“...” ― Ana Kovac (an attribution line, same or next paragraph)",
     "“The quay stays open.” ― Ana Kovac"),
    ("direct:speaker-label", "“KOVAC: ...” a transcript turn quoted whole (the label speaks)",
     "“KOVAC: The quay stays open for now, and we will see.”"),
    ("direct:quote-paren-speaker", "“...” (Ana Kovac): a name alone in brackets right after the quote",
     "“The quay stays open all winter.” (Ana Kovac)"),
    ("direct:sentence-cue-after", "“...” because it failed, she said. (a cue later in the quote's sentence)",
     "Ana Kovac left early. “The quay is closed” because the wall failed again, she said on Friday."),
    ("direct:speaker-cue-quote", "Kovac said in a statement on Monday, “...”",
     "Ana Kovac said, after a long pause, “The quay stays open.”"),
    ("direct:according-to", "According to Kovac, “...”",
     "According to Ana Kovac, “the quay stays open and the ferries will run all winter.”"),
    ("direct:subject-colon", "Kovac had a blunt message: “...” (the subject before a colon)",
     "Ana Kovac had a blunt message for the board: “The quay stays open.”"),
    ("direct:same-paragraph", "another quote earlier in the paragraph names the speaker",
     "“The quay stays open,” Ana Kovac said. “The ferries will run.”"),
    ("direct:same-paragraph-next", "a later quote of the paragraph names the speaker",
     "“We tried everything.” “The quay stays open,” Ana Kovac said."),
    ("direct:continued-paragraph", "the quote carries on from the previous paragraph",
     "“The tide is low,” Ana Kovac said. “The wall has held all winter\n“and the ferries will run.”"),
    ("direct:colon-previous-paragraph", "the previous paragraph ends 'Kovac said:'",
     "Harbour Master Ana Kovac said:\n“The quay stays open.”"),
    ("direct:paragraph-cue", "a 'Kovac said' elsewhere in the paragraph",
     "“The quay stays open and the ferries will run all winter long, whatever the weather brings.” "
     "That was the message. Ana Kovac said so on Friday."),
    ("direct:previous-speaker", "the latest speaker before the paragraph (a quote of fewer than 12 words "
     "with nobody named in its paragraph is dropped instead)",
     "Ana Kovac said the quay was safe.\n“The tide is low and the wall has held all winter, and it will hold "
     "through the spring storms too.”"),
    ("direct:unattributed", "a quotation standing alone, nobody found: speaker unknown, low confidence (never dropped)",
     "“The tide is low and the wall has held all winter, and it will hold through the spring storms too.”"),
    ("direct:running-quote", "a part of a quotation running over paragraphs (AP style: “... / “... / “...,” said X) takes "
     "the speaker found at its end",
     "“The port will open soon.\n“The cranes are old.\n“We need dredgers,” said Rosa Diaz."),
    ("direct:conversation-turn", "in dialogue, a turn nobody is named for takes the speaker of the turn before the last",
     "“Will the ferry run?” asked Ana Kovac.\n\n“Not tonight,” said Ivo Marsh.\n\n“Then when?”\n\n“Ask the harbour master.”\n\n"
     "“I am asking you.”\n\n“Tomorrow, then.”\n\n“At dawn?”\n\n“At noon.”"),
    ("direct:narrative-subject", "in dialogue, a turn right after a paragraph of narrative takes the person that "
     "paragraph opens with",
     "“Will the ferry run?” asked Ana Kovac.\n\n“Not tonight,” said Ivo Marsh.\n\n“Then when?”\n\n“Ask the harbour master.”\n\n"
     "“I am asking you.”\n\nMarsh looked at the sea for a long time.\n\n“Tomorrow, then.”\n\n“At dawn?”"),
    # -- mixed: a quoted fragment inside reported speech; the span is the reported clause
    ("mixed:speaker-cue-clause", "Kovac said the plan was “a gamble” (an absolute 'with X saying ...' or "
     "'..., which X called “...”' nearest the fragment wins over the sentence's first cue)",
     "Ana Kovac said the plan was “a gamble with the port.”"),
    ("mixed:clause-speaker-cue", "The plan is “a gamble,” Kovac said.",
     "The plan is “a gamble with the port,” Ana Kovac said."),
    ("mixed:clause-quote-cue-speaker", "The plan is “a gamble” ... “...,” Kovac said, the cue right after the fragment",
     "The new levy on ferries, in short, is “a gamble with the port” she said."),
    ("mixed:according-to", "According to X, ... “...” ...",
     "According to the port board, the wall is “as good as new.”"),
    ("mixed:participle-report", "Kovac called it “a gamble,” adding that it would “sink the port” (the second part)",
     "Ana Kovac called the plan “a gamble,” adding that it would “sink the port.”"),
    ("mixed:second-speaker", "... Kovac said it was “a gamble,” and Marsh called it “a farce.” (the second "
     "fragment's own speaker after a conjunction)",
     "Ana Kovac said the plan was “a gamble,” and Ivo Marsh said it was “a farce.”"),
    ("mixed:subject-verb-clause", "Kovac compared the levy to “a gamble” (any finite verb)",
     "Ana Kovac compared the levy to “a gamble with the port.”"),
    ("mixed:characterised-as", "Kovac has been pounding Marsh as a “harbour pirate” (a named subject)",
     "Ana Kovac has been pounding Marsh as a “harbour pirate.”"),
    ("mixed:sentence-subject", "last resort: a cue word before the fragment and the sentence's subject",
     "Ana Kovac, in her remarks on the levy, was “not amused at all.”"),
    # -- indirect: reported speech without marks
    ("indirect:speaker-cue-clause", "Kovac said (that) ... / Kovac told reporters ... (clause verbs weaker)",
     "Ana Kovac said the quay would stay open all winter."),
    ("indirect:subject-cue-clause", "Port protocol called for ... (a cue without a speaker right before it: the clause subject)",
     "Port safety protocol called for the quay to stay open all winter."),
    ("indirect:clause-speaker-cue", "..., Kovac said. / ..., said Kovac.",
     "The quay will stay open all winter, Ana Kovac said."),
    ("indirect:parenthetical-cue", "If it fails, Kovac said, the port closes. (the whole sentence)",
     "If the wall fails, Ana Kovac said, the port will close for the winter."),
    ("indirect:according-to-clause", "According to X, ...",
     "According to Ana Kovac, the quay will stay open all winter."),
    ("indirect:clause-according-to", "..., according to X.",
     "The quay will stay open all winter, according to Ana Kovac."),
    ("indirect:according-to-parenthetical", "Fares, according to X, will rise. (the whole sentence)",
     "Ferry fares, according to Ana Kovac, will rise in the spring."),
    ("indirect:asked-question", "'Asked whether the port would close, ...': the question, no speaker",
     "Asked whether the port would close, Ana Kovac said the quay would stay open."),
    ("indirect:headline-source", "'Kovac: Port Will Stay Open' (a short paragraph naming its source before a "
     "colon; capitalised datelines and labels such as 'The Latest:' are not sources)",
     "Kovac: Port Will Stay Open All Winter\nAna Kovac spoke on Friday."),
)

RULES: dict[str, Rule] = {}
for _name, _doc, _example in _TABLE:
    RULES[_name] = Rule(_name, _name.split(":", 1)[0], _doc, _example)

# Reported speech holding a quoted fragment is mixed; a partial quote marked only in single quotes
# (in a double-quoting text) is reported speech.  Their names are the other type's, same suffix.
_TO_MIXED = [n for n in RULES if n.startswith("indirect:")]
_TO_INDIRECT = [n for n in RULES if n.startswith("mixed:")]
for _name in _TO_MIXED:
    _new = "mixed:" + _name.split(":", 1)[1]
    RULES.setdefault(_new, Rule(_new, "mixed", f"as {_name}, its clause holding a quoted fragment", "", True))
for _name in _TO_INDIRECT:
    _new = "indirect:" + _name.split(":", 1)[1]
    RULES.setdefault(_new, Rule(_new, "indirect", f"as {_name}, its only fragment in single marks "
                                                  "(a headline's shorthand or a scare quote)", "", True))


def retype(rule: str, type_: str) -> str:
    """The registered name of ``rule`` as a quote of ``type_`` ('indirect:x' -> 'mixed:x')."""
    name = f"{type_}:{rule.split(':', 1)[1]}"
    if name not in RULES:
        raise KeyError(f"rule {rule!r} has no {type_} form in the registry")
    return name


def readme_table() -> str:
    """The README's rule list (between the rules:start / rules:end markers)."""
    lines = ["| rule | type | what it found | example |", "|---|---|---|---|"]
    for r in RULES.values():
        if r.retyped:
            continue
        example = r.example.replace("\n", " / ").replace("|", "\\|")
        lines.append(f"| `{r.name}` | {r.type} | {r.doc.replace('|', chr(92) + '|')} | {example} |")
    lines.append("")
    lines.append("Reported speech whose clause holds a quoted fragment is retyped mixed (`mixed:<the same rule>`); "
                 "in a text quoting with double marks, a partial quote whose only fragment is in single marks "
                 "is retyped indirect (`indirect:<the same rule>`).")
    return "\n".join(lines)


def write_readme(path) -> None:
    """Regenerate the README's rule list in place (``python -m quotedesk.core.attribution.rules README.md``)."""
    import re
    from pathlib import Path
    p = Path(path)
    text = p.read_text(encoding="utf-8")
    new = re.sub(r"(<!-- rules:start -->\n).*?(\n<!-- rules:end -->)", lambda m: m.group(1) + readme_table() + m.group(2),
                 text, flags=re.S)
    p.write_text(new, encoding="utf-8")


if __name__ == "__main__":
    import sys
    write_readme(sys.argv[1] if len(sys.argv) > 1 else "README.md")
