"""Quote marks and paragraphs on invented text: TeX and single marks, AP-style running quotes, French, German and Spanish."""
import pytest

from quotedesk.core.attribution import attribute_text

from .quote_checks import quotes


def test_ap_style_quote_over_three_paragraphs_takes_the_speaker_at_its_end():
    doc = attribute_text("“The port will open soon.\n“The cranes are old.\n“We need dredgers,” said Rosa Diaz.\n")
    assert quotes(doc) == [("direct", "The port will open soon.", "Rosa Diaz"),
                           ("direct", "The cranes are old.", "Rosa Diaz"),
                           ("direct", "We need dredgers,", "Rosa Diaz")]
    assert len({q.group for q in doc.sorted_quotes()}) == 1


def test_both_parts_of_a_single_quoted_sentence_around_its_cue():
    doc = attribute_text("'Hello,' he said, 'how are you doing?'")
    assert [(t, s) for _, t, s in quotes(doc)] == [("Hello,", "he"), ("how are you doing?", "he")]


def test_tex_style_marks_quote_without_the_marks():
    doc = attribute_text("He asked, ``how are you doing?'' and left.")
    assert quotes(doc) == [("direct", "how are you doing?", "He")]


def test_a_pronoun_after_a_sentence_ending_in_no_takes_the_person_named_before():
    doc = attribute_text("Sen. Maria Lopez voted no. “This bill is a mistake,” she said.")
    assert quotes(doc) == [("direct", "This bill is a mistake,", "Maria Lopez")]


def test_a_number_abbreviation_does_not_end_the_sentence():
    doc = attribute_text("Pier No. 5 will close, Harbour Master Ana Kovac said on Monday.")
    assert [t for _, t, _ in quotes(doc)] == ["Pier No. 5 will close"]


@pytest.mark.parametrize("text, quote, speaker", [
    ("« Nous ne céderons pas », a déclaré Marie Dupont.", "Nous ne céderons pas", "Marie Dupont"),
    ("„Wir schaffen das“, sagte Angela Merkel.", "Wir schaffen das", "Angela Merkel"),
    ("»Wir schaffen das«, sagte Angela Merkel.", "Wir schaffen das", "Angela Merkel"),
    ("«No cederemos», dijo Pedro Sánchez.", "No cederemos", "Pedro Sánchez"),
])
def test_french_german_and_spanish_marks_and_reporting_verbs(text, quote, speaker):
    doc = attribute_text(text)
    assert quotes(doc) == [("direct", quote, speaker)]


def test_cjk_corner_brackets_are_quote_marks():
    doc = attribute_text("「港は開いている」と彼は言った。")
    assert [t for _, t, _ in quotes(doc)] == ["港は開いている"]


def test_a_language_is_one_verb_file():
    from quotedesk.core.attribution.lexicon import lexicon
    from quotedesk.core.resources import RESOURCES
    files = sorted(p.name for p in RESOURCES.glob("reporting_verbs_*.txt"))
    assert files == ["reporting_verbs_de.txt", "reporting_verbs_es.txt", "reporting_verbs_fr.txt"]
    assert {"a déclaré", "sagte", "dijo"} <= lexicon().present


def test_a_quote_in_two_apostrophes_after_a_full_stop_opens_a_new_sentence():
    doc = attribute_text("Trade is ''ten times the losses,'' he said. ''Free trade really helps working people.''")
    assert ("direct", "Free trade really helps working people.", "he") in quotes(doc), quotes(doc)


def test_a_cue_set_in_the_sentence_with_its_article_covers_the_whole_sentence():
    doc = attribute_text("Unless nations act soon, the experts say, the world could warm by four degrees.")
    assert [(t, s) for _, t, s in quotes(doc)] == [
        ("Unless nations act soon, the experts say, the world could warm by four degrees", "experts")], quotes(doc)
