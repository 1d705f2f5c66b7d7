"""Attribution of novels and dialogue on invented text: hard-wrapped lines, unattributed turns, alternating speakers."""
from quotedesk.core.attribution import attribute_text

from .quote_checks import quotes

WRAPPED = (
    "The rain had not stopped since the ferry left the quay, and the deck was\n"
    "slick under their boots when the captain came up from below.\n"
    "\n"
    "\"We will not make the harbour before dark,\" said Mara Voss, \"and the\n"
    "pilot boat will not come out for us in this weather.\"\n"
    "\n"
    "Her mate looked at the sky and said nothing for a long time, then went\n"
    "down to tell the passengers.\n"
    "\n"
    "The lamps were lit along the rail one by one as the light went, and the\n"
    "gulls followed the wake until the last of the coast was gone.\n"
)


def test_a_quotation_wrapped_over_two_lines_is_one_quote():
    doc = attribute_text(WRAPPED)
    direct = [(t, s) for ty, t, s in quotes(doc) if ty == "direct"]
    assert direct == [("We will not make the harbour before dark,", "Mara Voss"),
                      ("and the\npilot boat will not come out for us in this weather.", "Mara Voss")], quotes(doc)


def test_every_quotation_is_found_even_without_a_cue():
    doc = attribute_text("“Where?”\n“I don’t see him!”\n“He is behind the truck!” the officer shouted.\n")
    assert [(t, s) for ty, t, s in quotes(doc)] == [
        ("Where?", None), ("I don’t see him!", None), ("He is behind the truck!", "the officer")], quotes(doc)
    q = doc.sorted_quotes()[0]
    assert q.rule == "direct:unattributed" and q.confidence < 0.5


def test_a_lone_label_in_marks_is_not_a_quote():
    doc = attribute_text("The board met on Monday.\n“Related:”\nPort fees rise again\n")
    assert not [q for q in doc.quotes.values() if q.type == "direct"], quotes(doc)


DIALOGUE = ("“Will the ferry run?” asked Ana Kovac.\n\n“Not tonight,” said Ivo Marsh.\n\n“Then when?”\n\n"
            "“Ask the harbour master.”\n\n“I am asking you.”\n\n“Tomorrow, then.”\n")


def test_alternating_turns_in_dialogue_alternate_speakers():
    doc = attribute_text(DIALOGUE)
    assert [s for _, _, s in quotes(doc)] == ["Ana Kovac", "Ivo Marsh", "Ana Kovac", "Ivo Marsh", "Ana Kovac", "Ivo Marsh"]
    assert doc.sorted_quotes()[2].rule == "direct:conversation-turn"


def test_news_quote_paragraph_after_a_cue_continues_the_speaker():
    doc = attribute_text("“The port stays open,” Ana Kovac said on Monday.\n\n“We have the cranes and the crews.”\n\n"
                         "Ivo Marsh disagreed.\n")
    assert [s for _, _, s in quotes(doc) if s] [:2] == ["Ana Kovac", "Ana Kovac"], quotes(doc)


def test_a_given_name_alone_takes_the_full_name_written_once_in_the_story():
    doc = attribute_text("Mara Voss came aboard at dawn.\n\n“We sail at noon,” said Mara.\n")
    assert [s for _, _, s in quotes(doc)] == ["Mara Voss"], quotes(doc)


def test_a_given_name_written_with_its_surname_more_often_than_after_another_word():
    doc = attribute_text("“Give Tony my love,” said Mara.\n\nTony Last was at the window.\n\n"
                         "Tony Last did not turn round.\n\n“I will,” said Tony.\n")
    assert "Tony Last" in [e.name for e in doc.entities.values()], [e.name for e in doc.entities.values()]
