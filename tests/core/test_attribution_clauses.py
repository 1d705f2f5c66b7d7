"""Attribution of clauses around a quote's cue: participles after a quote, opening phrases, fragments in reported speech."""
from quotedesk.core.attribution import attribute_text

from .quote_checks import of_type, quotes


def test_participle_after_a_quote_cue_keeps_the_quote_speaker_and_its_fragment_is_mixed():
    doc = attribute_text("“We will not sail tonight,” Ana Kovac told a harbour rally, "
                         "warning that the levy would “sink the port.”\n")
    direct, mixed = of_type(doc, "direct"), of_type(doc, "mixed")
    assert len(direct) == 1 and len(mixed) == 1, quotes(doc)
    assert doc.speaker_name(mixed[0]) == "Ana Kovac"
    assert "the levy would “sink the port" in doc.span_text(mixed[0])


def test_reported_clause_without_marks_stays_indirect():
    doc = attribute_text("“We will not sail tonight,” Ana Kovac told a harbour rally, "
                         "warning that the levy would ruin every small ferry company.\n")
    ind = of_type(doc, "indirect")
    assert len(ind) == 1, quotes(doc)
    assert doc.speaker_name(ind[0]) == "Ana Kovac"


def test_opening_prepositional_phrase_is_not_the_subject_of_a_participle():
    doc = attribute_text("In an interview with Radio Nine, Ivo Marsh kept up his attack on the board, "
                         "saying its members could not “run a bath.”\n")
    q = of_type(doc, "mixed")
    assert len(q) == 1 and doc.speaker_name(q[0]) == "Ivo Marsh", quotes(doc)


def test_place_with_its_region_is_part_of_the_opening_phrase():
    doc = attribute_text("Speaking at a depot in Calder, West Fenmark, Lena Dorn went after the mayor, "
                         "calling him “a harbour pirate.”\n")
    q = of_type(doc, "mixed")
    assert len(q) == 1 and doc.speaker_name(q[0]) == "Lena Dorn", quotes(doc)


def test_continued_to_is_not_a_reporting_verb():
    doc = attribute_text("Ivo Marsh continued to criticise the levy on Monday, saying the board had "
                         "“lost its nerve.”\n")
    q = of_type(doc, "mixed")
    assert len(q) == 1, quotes(doc)
    assert doc.cues[q[0].cue].start == doc.article.index("saying")


def test_second_verb_of_a_coordinated_subject_has_that_subject():
    doc = attribute_text("Ivo Marsh, her rival on the board, bemoaned the unrest in Calder and said he thought "
                         "that fares were a “very big factor” in the strike.\n")
    q = of_type(doc, "mixed")
    assert len(q) == 1 and doc.speaker_name(q[0]) == "Ivo Marsh", quotes(doc)
    assert doc.cues[q[0].cue].start == doc.article.index("said")


def test_participle_after_a_partial_quote_starts_a_second_one():
    doc = attribute_text("Ana Kovac called the plan “a disaster,” adding that it would “ruin the port.”\n")
    q = of_type(doc, "mixed")
    assert [doc.span_text(x) for x in q] == ["the plan “a disaster,”", "that it would “ruin the port.”"], quotes(doc)
    assert {doc.speaker_name(x) for x in q} == {"Ana Kovac"}


def test_absolute_with_phrase_reports_up_to_its_comma():
    doc = attribute_text("But with port officials suggesting the ferry crews may have staged the walkout, "
                         "it is not clear whether Lena Dorn will meet Mayor Ivo Marsh.\n")
    q = of_type(doc, "indirect")
    assert [doc.span_text(x) for x in q] == ["the ferry crews may have staged the walkout"], quotes(doc)
    assert "officials" in doc.speaker_name(q[0])


def test_single_marked_fragment_in_a_double_marked_text_is_reported_speech():
    doc = attribute_text("Kovac calls ferry levy ‘a gift to the rich’\n"
                         "“We will not sail tonight,” Ana Kovac said on Monday.\n")
    first = doc.sorted_quotes()[0]
    assert first.type == "indirect", quotes(doc)
    assert doc.speaker_name(first) == "Ana Kovac"


def test_single_marks_throughout_keep_partial_quotes():
    doc = attribute_text("Ana Kovac said the ferry levy was ‘a gift to the rich’ and would ‘sink the port’.\n")
    assert [q.type for q in doc.sorted_quotes()] == ["mixed"], quotes(doc)


def test_characterising_someone_as_a_quoted_phrase_is_a_partial_quote():
    doc = attribute_text("Senate leader Ana Kovac has been steadily pounding Ivo Marsh as a “harbour pirate” since May.\n")
    q = of_type(doc, "mixed")
    assert len(q) == 1, quotes(doc)
    assert doc.speaker_name(q[0]) == "Ana Kovac"
    assert doc.article[doc.cues[q[0].cue].start:doc.cues[q[0].cue].end] == "pounding"


def test_a_thing_described_as_a_quoted_phrase_has_no_speaker():
    doc = attribute_text("The choice was between going after Marsh as “unfit for office” or ignoring him.\n")
    assert not of_type(doc, "mixed"), quotes(doc)


def test_testifying_before_a_committee_or_on_a_day_reports_nothing():
    from quotedesk.core.attribution import attribute_text
    for text in ("Vindman testified side-by-side before the committee on Tuesday.",
                 "Morrison was testifying Tuesday in the Senate."):
        assert not attribute_text(text).quotes, text
    doc = attribute_text("Vindman testified that the call was improper.")
    assert [doc.span_text(q) for q in doc.quotes.values()] == ["that the call was improper"]


def test_questioning_a_person_about_something_reports_nothing_questioning_whether_does():
    from quotedesk.core.attribution import attribute_text
    assert not attribute_text("Schiff questioned Morrison about his testimony.").quotes
    doc = attribute_text("Schiff questioned whether the aid was withheld.")
    assert [doc.span_text(q) for q in doc.quotes.values()] == ["whether the aid was withheld"]
