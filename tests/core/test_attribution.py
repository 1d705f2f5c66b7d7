"""Attribution rules on invented wire copy: quote marks, direct/mixed/indirect quotes, speakers, entities and cues."""
import pytest

from quotedesk.core.attribution import attribute, attribute_text
from quotedesk.core.model import Document, Paragraph

from .quote_checks import quotes


def only(doc, type_=None):
    qs = [q for q in doc.sorted_quotes() if type_ is None or q.type == type_]
    assert len(qs) == 1, quotes(doc)
    return qs[0]


# -- quote marks -------------------------------------------------------------------------

@pytest.mark.parametrize("open_, close", [
    ('"', '"'), ("“", "”"), ("«", "»"), ("„", "“"), ("‹", "›"), ("‘", "’"), ("'", "'"),
])
def test_every_mark_style_gives_a_direct_quote_without_the_marks(open_, close):
    text = f"{open_}The harbour will reopen on Monday,{close} Finance Minister Ana Kovac said."
    doc = attribute_text(text)
    q = only(doc, "direct")
    assert doc.span_text(q) == "The harbour will reopen on Monday,"
    assert doc.speaker_name(q) == "Ana Kovac"


def test_apostrophes_are_not_single_quotes():
    doc = attribute_text("Kovac's plan isn't ready, and the ministers' budget won't pass, officials said.")
    assert all(q.type != "direct" for q in doc.quotes.values()), quotes(doc)


def test_single_quotes_told_apart_from_apostrophes_in_one_sentence():
    doc = attribute_text("‘We don’t have the votes yet,’ Kovac’s deputy Ivo Marsh said.")
    q = only(doc, "direct")
    assert doc.span_text(q) == "We don’t have the votes yet,"
    assert doc.speaker_name(q) == "Ivo Marsh"


def test_nested_quote_stays_inside_the_outer_quote():
    text = "“When they shouted ‘resign now’ I kept walking,” said Mayor Lena Dorn."
    doc = attribute_text(text)
    q = only(doc, "direct")
    assert doc.span_text(q) == "When they shouted ‘resign now’ I kept walking,"
    assert doc.speaker_name(q) == "Lena Dorn"


def test_quote_running_over_paragraphs_is_split_per_paragraph_and_grouped():
    text = ("Port director Sam Okafor said:\n"
            "“The cranes are old and the berths are silted.\n"
            "“We need the dredgers before winter, or the ferries stop,” he added.\n")
    doc = attribute_text(text)
    direct = [q for q in doc.sorted_quotes() if q.type == "direct"]
    assert [doc.span_text(q) for q in direct] == [
        "The cranes are old and the berths are silted.",
        "We need the dredgers before winter, or the ferries stop,",
    ]
    assert direct[0].group is not None and direct[0].group == direct[1].group
    assert all("\n" not in doc.span_text(q) for q in direct)
    ent = {doc.speaker_entity(q).id for q in direct}
    assert len(ent) == 1 and doc.entities[ent.pop()].name == "Sam Okafor"


def test_unbalanced_mark_does_not_swallow_the_rest_of_the_document():
    text = ("The council met on “Tuesday and voted.\n"
            "Later, councillor Mia Holt said the vote was fair.\n"
            "“It was close,” Holt said.\n")
    doc = attribute_text(text)
    first_para_end = text.index("\n")
    assert all(q.end <= first_para_end or q.start > first_para_end for q in doc.quotes.values())
    direct = [q for q in doc.quotes.values() if q.type == "direct" and doc.span_text(q) == "It was close,"]
    assert direct and doc.speaker_name(direct[0]) == "Mia Holt"


# -- direct quote attribution ----------------------------------------------------------------

def test_speaker_before_colon():
    doc = attribute_text("Interior Minister Tomas Brel told reporters: “The border stays open.”")
    q = only(doc, "direct")
    assert doc.span_text(q) == "The border stays open."
    assert doc.speaker_name(q) == "Tomas Brel"
    assert doc.span_text(doc.cues[q.cue]) == "told"


def test_inverted_said_speaker_with_role():
    doc = attribute_text("“Prices will fall by spring,” said central bank governor Hana Ruiz.")
    q = only(doc, "direct")
    assert doc.span_text(doc.mentions[q.mention]) == "central bank governor Hana Ruiz"
    assert doc.speaker_name(q) == "Hana Ruiz"


def test_second_quote_in_paragraph_takes_the_same_speaker():
    doc = attribute_text("“We will appeal,” said lawyer Omar Vance. “The ruling ignores the contract.”")
    qs = doc.sorted_quotes()
    assert [doc.span_text(q) for q in qs] == ["We will appeal,", "The ruling ignores the contract."]
    assert qs[0].mention == qs[1].mention


def test_possessive_role_speaker():
    doc = attribute_text("“No decision has been made,” Kovac's spokesman Piet Laar said.")
    q = only(doc, "direct")
    assert doc.speaker_name(q) == "Piet Laar"


# -- mixed quotes --------------------------------------------------------------------------

def test_partial_quote_inside_reported_speech_is_mixed_with_the_clause_speaker():
    text = "Foreign Minister Ana Kovac said Zagreb wanted to understand Belgrade's “real intentions” before the talks."
    doc = attribute_text(text)
    q = only(doc)
    assert q.type == "mixed"
    assert doc.span_text(q) == "Zagreb wanted to understand Belgrade's “real intentions” before the talks"
    assert doc.speaker_name(q) == "Ana Kovac"
    assert doc.span_text(doc.cues[q.cue]) == "said"


def test_mixed_quote_with_trailing_attribution():
    text = "The reform would leave pensioners “worse off than before,” union leader Rita Vos said."
    doc = attribute_text(text)
    q = only(doc)
    assert q.type == "mixed"
    assert doc.span_text(q).startswith("The reform would leave pensioners")
    assert doc.speaker_name(q) == "Rita Vos"


# -- indirect speech -------------------------------------------------------------------------

@pytest.mark.parametrize("text, content, speaker, cue", [
    ("Finance Minister Ana Kovac said that the budget would pass in June.",
     "that the budget would pass in June", "Ana Kovac", "said"),
    ("Finance Minister Ana Kovac said the budget would pass in June.",
     "the budget would pass in June", "Ana Kovac", "said"),
    ("Mayor Lena Dorn told reporters the bridge would close for repairs.",
     "the bridge would close for repairs", "Lena Dorn", "told"),
    ("According to the port authority, the ferries will run again on Friday.",
     "the ferries will run again on Friday", "port authority", "According to"),
    ("The ferries will run again on Friday, according to the port authority.",
     "The ferries will run again on Friday", "port authority", "according to"),
    ("Opposition leader Marko Brill warned that the deficit would double.",
     "that the deficit would double", "Marko Brill", "warned"),
    ("The deficit will double next year, Marko Brill said.",
     "The deficit will double next year", "Marko Brill", "said"),
    ("The deficit will double next year, said Marko Brill.",
     "The deficit will double next year", "Marko Brill", "said"),
])
def test_indirect_forms(text, content, speaker, cue):
    doc = attribute_text(text)
    q = only(doc, "indirect")
    assert doc.span_text(q) == content
    assert doc.speaker_name(q).endswith(speaker)
    assert doc.span_text(doc.cues[q.cue]) == cue


def test_participle_cue_takes_the_clause_subject():
    doc = attribute_text("Brill left the chamber early, saying the vote had been rigged.")
    q = only(doc, "indirect")
    assert doc.span_text(q) == "the vote had been rigged"
    assert doc.speaker_name(q) == "Brill"


def test_noun_that_looks_like_a_cue_is_not_a_cue():
    doc = attribute_text("She struck a hopeful note about the harvest this year.")
    assert not doc.quotes


# -- mentions and entities ---------------------------------------------------------------------

def test_pronoun_resolves_to_the_latest_person_and_names_merge():
    text = ("Health Minister Nadia Petrov said the clinics would open in May.\n"
            "“We are hiring nurses now,” she said.\n"
            "“The money is there,” Petrov added.\n")
    doc = attribute_text(text)
    ents = {doc.speaker_entity(q).id for q in doc.quotes.values()}
    assert len(ents) == 1
    ent = doc.entities[ents.pop()]
    assert ent.name == "Nadia Petrov" and ent.kind == "person"
    kinds = sorted(m.kind for m in doc.mentions.values())
    assert kinds == ["name", "name", "pronoun"]


def test_organization_and_group_speakers():
    text = ("The Transport Ministry said the tunnel was safe.\n"
            "Officials said the inspection found no cracks.\n")
    doc = attribute_text(text)
    kinds = {doc.span_text(doc.mentions[q.mention]): doc.speaker_entity(q).kind for q in doc.sorted_quotes()}
    assert kinds == {"The Transport Ministry": "organization", "Officials": "group"}


def test_nominal_with_a_title_seen_before_joins_that_person():
    text = ("Senator Rosa Quint said the bill was dead.\n"
            "“It will not come back this year,” the senator said.\n")
    doc = attribute_text(text)
    ents = {doc.speaker_entity(q).id for q in doc.quotes.values()}
    assert len(ents) == 1


# -- bookkeeping -----------------------------------------------------------------------------

def test_every_quote_has_a_rule_and_a_confidence():
    text = ("“We will win,” said Ana Kovac.\n"
            "Brill said the plan was unaffordable and would fail.\n"
            "She called the plan “a gamble with pensions” in her speech.\n")
    doc = attribute_text(text)
    assert len(doc.quotes) >= 3
    for q in doc.quotes.values():
        assert q.rule and ":" in q.rule
        assert 0.0 < q.confidence <= 1.0
        assert q.origin == "machine"
        assert q.type in ("direct", "mixed", "indirect")


def test_uses_document_paragraphs_when_given():
    # the whole text is one line, but the document says it has two paragraphs: the open
    # mark of the first must not pair with a mark in the second
    text = "He cited “the report. “Nothing changes,” Kovac said."
    cut = text.index("“Nothing")
    doc = Document(id="d", raw=text, article=text,
                   paragraphs=[Paragraph(0, cut - 1, 0, cut - 1), Paragraph(cut, len(text), cut, len(text))])
    attribute(doc)
    spans = [doc.span_text(q) for q in doc.quotes.values() if q.type == "direct"]
    assert "Nothing changes," in spans


def test_attribute_adds_to_an_existing_document_with_fresh_ids():
    doc = attribute_text("“Yes,” said Ana Kovac.")
    n = len(doc.quotes)
    attribute(doc)
    assert len(doc.quotes) == 2 * n
    assert len(set(doc.quotes)) == 2 * n


def test_pronoun_before_any_speaker_resolves_to_a_name_in_the_text():
    text = "Voters in the port city greeted Ana Kovac warmly on Monday.\n“We will rebuild the harbour,” she said.\n"
    doc = attribute_text(text)
    q = only(doc, "direct")
    assert doc.mentions[q.mention].kind == "pronoun"
    assert doc.speaker_name(q) == "Ana Kovac"


def test_role_nominal_joins_the_name_written_after_that_role():
    text = ("Russian leader Pavel Orlov met the envoys on Friday.\n"
            "“No comment,” the Russian leader said.\n"
            "Orlov said he would travel to the capital next week.\n")
    doc = attribute_text(text)
    ents = {doc.speaker_entity(q).id for q in doc.quotes.values()}
    assert len(ents) == 1
    assert doc.entities[ents.pop()].name == "Pavel Orlov"


def test_parts_of_one_quotation_around_its_cue_share_a_group():
    doc = attribute_text("“We will appeal,” said lawyer Omar Vance. “The ruling ignores the contract.”\n"
                         "“A separate matter,” Judge Ida Roth said.\n")
    qs = doc.sorted_quotes()
    assert qs[0].group is not None and qs[0].group == qs[1].group
    assert qs[2].group != qs[0].group


def test_attribution_line_after_a_quote():
    doc = attribute_text("“The harbour must stay public.” ― Ana Kovac\n“Fares are too high.”\n- Marko Brill.\n")
    assert [doc.speaker_name(q) for q in doc.sorted_quotes()] == ["Ana Kovac", "Marko Brill"]
