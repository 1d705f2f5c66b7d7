"""Attribution rules added after the first engine: titles, speaker labels, appositive names, media and nominal chains."""
from quotedesk.core.attribution import attribute_text

from .quote_checks import only_of, quotes


def test_show_title_after_a_plain_verb_is_not_a_partial_quote():
    doc = attribute_text("Marko Brill starred in the cooking show “Harbour Kitchen Nights” for two years.\n")
    assert not [q for q in doc.quotes.values() if q.type in ("direct", "mixed")], quotes(doc)


def test_headline_with_its_author_is_not_a_quote():
    doc = attribute_text("Ivo Marsh said the ferries were late.\n"
                         "—“Why the night ferry keeps breaking down,” by Lena Dorn: example.org/ferry\n")
    assert not [q for q in doc.quotes.values() if q.type == "direct"], quotes(doc)


def test_medium_after_a_preposition_is_not_the_speaker():
    doc = attribute_text("In a radio message posted Friday, Ana Kovac said the port had “no choice left” now.\n")
    q = only_of(doc, "mixed")
    assert doc.speaker_name(q) == "Ana Kovac"


def test_capitalised_preposition_is_not_a_name():
    doc = attribute_text("With hundreds of berths, “there is no single point of failure,” she said.\n")
    q = only_of(doc, "direct")
    assert doc.mentions[q.mention].kind == "pronoun"


def test_determiner_and_adjective_is_not_a_subject():
    doc = attribute_text("While having a heated talk about fares, a neighbour remarked: “Nobody rides for free.”\n")
    q = only_of(doc, "direct")
    assert doc.speaker_name(q) == "a neighbour"


def test_name_in_apposition_to_a_role_is_the_speaker():
    text = ("The operator, Calder Maritime Holdings, said it regretted the closure. "
            "Its chief executive, Miren Oyarzun, told reporters the ferries would “sail again soon.”\n")
    doc = attribute_text(text)
    names = [doc.speaker_name(q) for q in doc.sorted_quotes()]
    assert names == ["Calder Maritime Holdings", "Miren Oyarzun"], quotes(doc)
    assert all(doc.mentions[q.mention].kind == "name" for q in doc.quotes.values())


def test_apposition_after_a_name_keeps_the_name():
    doc = attribute_text("Ana Kovac, the port director, said the cranes were “older than the harbour itself.”\n")
    assert doc.speaker_name(only_of(doc, "mixed")) == "Ana Kovac"


def test_trailing_role_with_a_name_in_apposition_ends_the_clause_before_the_role():
    doc = attribute_text("The fares will rise in the spring, the regulator, Port Fares Board, said on Monday.\n")
    q = only_of(doc, "indirect")
    assert doc.span_text(q) == "The fares will rise in the spring"
    assert doc.speaker_name(q) == "Port Fares Board"


def test_phrasal_past_after_the_quote_is_a_cue():
    doc = attribute_text("Ana Kovac spoke first.\n“We will not sell the port,” Ivo Marsh shot back.\n")
    assert doc.speaker_name(only_of(doc, "direct")) == "Ivo Marsh"


def test_pronoun_and_present_tense_verb_after_the_quote():
    doc = attribute_text("Dock workers cheered Ivo Marsh warmly on Monday.\n“Nobody builds cranes like these anymore,” he notes.\n")
    q = only_of(doc, "direct")
    assert doc.mentions[q.mention].kind == "pronoun" and doc.speaker_name(q) == "Ivo Marsh"


def test_subject_comes_after_an_opening_participle_clause():
    doc = attribute_text("Worried about the mood among dock workers, Mayor Ana Kovac has a new message: “The port is ours.”\n")
    assert doc.speaker_name(only_of(doc, "direct")) == "Ana Kovac"


def test_name_in_apposition_after_a_quote():
    doc = attribute_text("“The fares will rise,” the harbour press secretary, Josh Marren, said on Tuesday.\n")
    q = only_of(doc, "direct")
    assert doc.speaker_name(q) == "Josh Marren" and doc.mentions[q.mention].kind == "name"


def test_transcript_turn_quoted_whole_is_spoken_by_its_label():
    doc = attribute_text("Part of the interview:\n\"HOST: Will the ferries run?\"\n\"KOVAC: They will run on Monday.\"\n")
    assert [doc.speaker_name(q) for q in doc.sorted_quotes() if q.type == "direct"] == ["HOST", "KOVAC"]
    assert [doc.span_text(q) for q in doc.sorted_quotes()] == ["Will the ferries run?", "They will run on Monday."]


def test_quoted_heading_or_stage_direction_alone_is_not_a_quote():
    doc = attribute_text("Ana Kovac said the port would stay open.\n‘Legend of the Harbour.’\n\"(CROSSTALK.)\"\n"
                         "“We stay open,” she said.\n")
    assert [doc.span_text(q) for q in doc.sorted_quotes() if q.type == "direct"] == ["We stay open,"]


def test_cue_right_after_the_quote_wins_over_an_earlier_cue_in_the_sentence():
    doc = attribute_text("After Marko Brill criticized the plan, “we will not budge,” Ana Kovac said.\n")
    assert doc.speaker_name(only_of(doc, "direct")) == "Ana Kovac"


def test_trailing_cue_after_a_comma_inside_the_marks_names_the_partial_quote_speaker():
    doc = attribute_text('Nothing the mayor said "will calm the dockers," the harbour senator said.\n')
    q = only_of(doc, "mixed")
    assert doc.speaker_name(q) == "the harbour senator"
    assert doc.span_text(q) == 'Nothing the mayor said "will calm the dockers,"'


def test_speaker_later_in_the_quotes_own_sentence():
    doc = attribute_text("“She ran the night ferry for years,” another friend, Mira Holt told reporters.\n"
                         "\"It would seal the deal\" because the port would grow, Ivo Marsh said.\n")
    got = [(q.rule, doc.speaker_name(q)) for q in doc.sorted_quotes() if q.type == "direct"]
    assert [name for _, name in got] == ["Mira Holt", "Ivo Marsh"], got


def test_short_quote_with_nobody_named_in_its_paragraph_is_dropped_a_long_one_kept():
    text = ("“The cranes are old,” Ana Kovac said.\n"
            "“Harbour First”\n"
            "“We will need new cranes, new berths and a dredger before the winter storms arrive here.”\n")
    doc = attribute_text(text)
    got = [(doc.span_text(q), doc.speaker_name(q)) for q in doc.sorted_quotes() if q.type == "direct"]
    assert got == [("The cranes are old,", "Ana Kovac"),
                   ("We will need new cranes, new berths and a dredger before the winter storms arrive here.",
                    "Ana Kovac")], got


def test_cue_in_the_middle_of_a_reported_sentence_covers_the_whole_sentence():
    doc = attribute_text("If the charter forbids it, Ana Kovac said, the council must drop the ferry levy.\n")
    q = only_of(doc, "indirect")
    assert doc.span_text(q) == "If the charter forbids it, Ana Kovac said, the council must drop the ferry levy"
    assert doc.speaker_name(q) == "Ana Kovac"


def test_according_to_a_long_source_name():
    doc = attribute_text("According to a new Harbour Herald-Radio Nine poll, most dockers oppose the levy.\n")
    q = only_of(doc, "indirect")
    assert doc.span_text(q) == "most dockers oppose the levy"
    assert "Radio Nine poll" in doc.speaker_name(q)


def test_according_to_set_inside_the_sentence_covers_the_sentence():
    doc = attribute_text("Ticket sales, according to the ferry company, have doubled since May.\n")
    q = only_of(doc, "indirect")
    assert doc.span_text(q) == "Ticket sales, according to the ferry company, have doubled since May"
    assert doc.speaker_name(q) == "the ferry company"


def test_short_sentence_ending_a_paragraph_of_quotes_is_speech_not_a_heading():
    doc = attribute_text("“The port stays open all winter,” Ana Kovac said in the interview. “This is all me.”\n")
    assert [doc.span_text(q) for q in doc.sorted_quotes() if q.type == "direct"] == [
        "The port stays open all winter,", "This is all me."]


def test_clause_then_said_and_a_name_is_a_trailing_attribution():
    doc = attribute_text("The plan is made possible by the port's reserves, said Lena Dorn, who runs the port.\n")
    q = only_of(doc, "indirect")
    assert doc.span_text(q) == "The plan is made possible by the port's reserves"
    assert doc.speaker_name(q) == "Lena Dorn"


def test_role_with_its_postmodifier_closing_the_sentence_is_the_speaker():
    doc = attribute_text("The port will close on Monday, a source familiar with the talks said.\n")
    q = only_of(doc, "indirect")
    assert doc.span_text(q) == "The port will close on Monday"
    assert doc.speaker_name(q) == "a source familiar with the talks"


def test_spokesman_for_an_organisation_is_a_person_mention():
    doc = attribute_text("A spokesman for the ferry company said the port would close on Monday.\n")
    q = only_of(doc, "indirect")
    m = doc.mentions[q.mention]
    assert doc.article[m.start:m.end] == "A spokesman for the ferry company"
    assert doc.entities[m.entity].kind == "person"


def test_short_opening_word_before_a_parenthetical_cue_keeps_the_whole_sentence():
    doc = attribute_text("But, Ana Kovac said, the levy is a risk worth taking.\n")
    q = only_of(doc, "indirect")
    assert doc.span_text(q) == "But, Ana Kovac said, the levy is a risk worth taking"


def test_headline_naming_its_source_before_a_colon_is_reported_speech():
    doc = attribute_text("Kovac: Port Will Stay Open All Winter.\nThe harbour board met Ana Kovac on Monday.\n")
    q = only_of(doc, "indirect")
    assert doc.span_text(q) == "Port Will Stay Open All Winter"
    assert doc.speaker_name(q) == "Ana Kovac"  # the surname's given name is written in the story


def test_dateline_and_labels_before_a_colon_are_not_sources():
    doc = attribute_text("CALDER: The harbour board met on Monday.\nThe Latest: Board to meet again.\n"
                         "Q: Will the ferries run?\n")
    assert not doc.quotes, quotes(doc)


def test_headline_quoting_its_source_in_marks_stays_direct():
    doc = attribute_text("Kovac: ‘We Will Keep the Port Open All Winter.’\nThe harbour board met on Monday.\n")
    assert [q.type for q in doc.sorted_quotes()] == ["direct"], quotes(doc)


def test_title_phrase_before_a_colon_is_not_a_source():
    doc = attribute_text("Fares Over Safety: Ferry Line Cut Its Crew Again.\nThe harbour board met on Monday.\n")
    assert not doc.quotes, quotes(doc)


def test_declining_to_comment_is_reported_but_falling_sales_are_not():
    doc = attribute_text("A spokeswoman for the port declined to comment on the strike.\n"
                         "Sales of ferry tickets declined sharply after the strike began last month.\n")
    q = only_of(doc, "indirect")
    assert doc.span_text(q) == "to comment on the strike"
    assert doc.speaker_name(q) == "A spokeswoman for the port"


def test_a_verb_inside_the_according_to_source_is_not_a_cue():
    doc = attribute_text("Ana Kovac gave her blessing, according to court papers reported by the Calder Herald.\n")
    q = only_of(doc, "indirect")
    assert doc.span_text(q) == "Ana Kovac gave her blessing"
    assert doc.article[doc.cues[q.cue].start:doc.cues[q.cue].end] == "according to"


def test_a_question_put_to_the_speaker_is_reported_without_a_speaker():
    doc = attribute_text("Asked whether the port would close, Ana Kovac said the board would decide on Monday.\n")
    asked = [q for q in doc.sorted_quotes() if q.rule == "indirect:asked-question"]
    assert [doc.span_text(q) for q in asked] == ["whether the port would close"]
    assert asked[0].mention is None
    assert any(doc.speaker_name(q) == "Ana Kovac" for q in doc.sorted_quotes() if q is not asked[0])


def test_a_share_of_people_says():
    doc = attribute_text("Just over a quarter, 26 percent, say they will take the night ferry instead.\n")
    q = only_of(doc, "indirect")
    assert doc.span_text(q) == "they will take the night ferry instead"
    assert doc.speaker_name(q) == "26 percent"


def test_a_group_with_modifiers_closing_the_sentence_speaks():
    doc = attribute_text("The ferry will sail again when the strike ends, Calder port officials said Wednesday.\n")
    q = only_of(doc, "indirect")
    assert doc.span_text(q) == "The ferry will sail again when the strike ends"
    m = doc.mentions[q.mention]
    assert doc.article[m.start:m.end] == "Calder port officials"
