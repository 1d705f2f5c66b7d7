"""Speaker choice and entity names: office titles, adjective participles, prepositions, absolute 'with X saying' and role nominals."""
from quotedesk.core.attribution import attribute_text

from .quote_checks import quotes_with_cues as quotes, speaker_of_only


def test_office_title_of_several_words_is_not_part_of_the_name():
    doc = attribute_text("Dutch Secretary of the Treasury Ivo Marsh said the harbour fees would rise next spring.\n")
    assert [q[2] for q in quotes(doc)] == ["Ivo Marsh"], quotes(doc)


def test_secretary_of_state_is_eaten_by_the_title():
    doc = attribute_text("Foreign Secretary of State Lena Dorn told reporters the ferry talks would resume on Monday.\n")
    assert [q[2] for q in quotes(doc)] == ["Lena Dorn"], quotes(doc)


def test_participle_after_a_determiner_is_not_a_cue():
    doc = attribute_text("Mayor Ana Kovac and her deputy met in Rivna today over an alleged leak of harbour plans "
                         "and a reported fire at the old pier.\n")
    assert not doc.quotes, quotes(doc)


def test_absolute_with_x_saying_reports_x():
    doc = attribute_text("With port officials suggesting the crews had struck a deal, it is unclear whether Marsh "
                         "will attend, with the ministry only saying there was a “slim chance” they could meet.\n")
    mixed = [q for q in quotes(doc) if q[0] == "mixed"]
    assert mixed and mixed[0][2] == "the ministry" and mixed[0][3] == "saying", quotes(doc)
    assert "slim chance" in mixed[0][1] and "officials" not in mixed[0][1]


def test_relative_clause_cue_nearest_the_fragment_names_the_source():
    doc = attribute_text("Ivo Marsh, the harbour master, criticised the ferry timetable, which an audit by the "
                         "port board said was “deeply flawed” but lawful.\n")
    mixed = [q for q in quotes(doc) if q[0] == "mixed"]
    assert mixed and "port board" in mixed[0][2], quotes(doc)


def test_went_on_to_say_names_the_subject():
    doc = attribute_text("The mayor spoke for an hour.\n\n"
                         "Kovac went on to say, “From the top of the old pier, I know the ferries will run again.”\n")
    direct = [q for q in quotes(doc) if q[0] == "direct"]
    assert direct and direct[0][2] == "Kovac", quotes(doc)


def test_preposition_is_never_a_speaker_and_its_plural_object_no_cue():
    for text in ("Despite hopes of an improvement in harbour ties under Kovac, the ferry talks look set to be "
                 "dominated by the row over fares.\n",
                 "The ferry talks, despite hopes of a thaw between the two ports, look set to be dominated by "
                 "the row over fares.\n"):
        doc = attribute_text(text)
        assert not doc.quotes, quotes(doc)


def test_leader_role_after_a_titled_named_speaker_is_that_person():
    doc = attribute_text("Ferry fares rose again in Norland, where President Pavel Orlov faces an election.\n\n"
                         "Orlov accused the harbour board of planning to raise the fares once more before winter.\n\n"
                         "The Norland leader also said the board had ignored every warning about the old pier.\n")
    names = [doc.speaker_name(q) for q in doc.sorted_quotes()]
    assert names == ["Pavel Orlov", "Pavel Orlov"] or names == ["Orlov", "Orlov"], quotes(doc)
    ents = {doc.mentions[q.mention].entity for q in doc.sorted_quotes()}
    assert len(ents) == 1


def test_role_without_a_matching_title_is_not_merged():
    doc = attribute_text("Ferry fares rose again in Norland, where Pavel Orlov runs the harbour board.\n\n"
                         "Orlov accused the ministry of planning to raise the fares once more before winter.\n\n"
                         "The senator also said the board had ignored every warning about the old pier.\n")
    ents = {doc.mentions[q.mention].entity for q in doc.sorted_quotes()}
    assert len(ents) == 2, quotes(doc)


def test_pronoun_points_to_the_person_named_after_the_last_speaker():
    doc = attribute_text("“The plan is a gamble,” Ivo Marsh said on Monday.\n\n"
                         "“The ferries will run,” Ana Kovac said.\n\n"
                         "Marsh had voted against the plan. He said the fares were “far too high” for families.\n")
    mixed = [q for q in doc.sorted_quotes() if q.type == "mixed"]
    assert mixed and doc.speaker_name(mixed[0]) == "Ivo Marsh", quotes(doc)


def test_second_fragment_with_its_own_speaker_after_a_conjunction():
    doc = attribute_text("Kovac said she would make the harbour “glow at night,” for instance, and Marsh vowed to "
                         "“sink the ferries” out of spite.\n")
    mixed = [(q[2], q[3]) for q in quotes(doc) if q[0] == "mixed"]
    assert mixed == [("Kovac", "said"), ("Marsh", "vowed")], quotes(doc)
    first = min(doc.quotes.values(), key=lambda q: q.start)
    assert "Marsh" not in doc.span_text(first)


def test_plural_noun_after_a_capitalised_adjective_is_no_verb():
    doc = attribute_text("In the north, 24% of Norland voters put a priority on a mayor who would “keep the ferries "
                         "running” no matter what.\n")
    assert all(doc.speaker_name(q) != "Norland" for q in doc.quotes.values()), quotes(doc)


def test_pronoun_with_an_s_verb_still_speaks_a_partial_quote():
    doc = attribute_text("The harbour was quiet on Monday. She dismisses the plan as “a gamble with other people’s "
                         "money” and wants a vote.\n")
    mixed = [q for q in quotes(doc) if q[0] == "mixed"]
    assert mixed and mixed[0][2] == "She", quotes(doc)


def test_cue_in_an_opening_subordinate_clause_does_not_speak_the_quote():
    doc = attribute_text("After Ivo Marsh criticised the fares during a debate, Kovac shot back, saying, "
                         "“I could have kept quiet, but I chose to fix the ferries instead.”\n")
    direct = [q for q in quotes(doc) if q[0] == "direct"]
    assert direct and direct[0][2] == "Kovac", quotes(doc)


def test_nearer_cue_after_and_before_the_mark_names_the_speaker():
    doc = attribute_text("At one point, a woman asked for a photo and Kovac said, “As long as we break no harbour "
                         "rules, of course.”\n")
    direct = [q for q in quotes(doc) if q[0] == "direct"]
    assert direct and direct[0][2] == "Kovac", quotes(doc)


def test_new_sentence_after_a_closed_quote_reports_something_else():
    doc = attribute_text("Ana Kovac, the harbour master, told the board: “The ferries will run all winter.” "
                         "Marsh added that the fares would “rise a little” in spring.\n")
    direct = [q for q in quotes(doc) if q[0] == "direct"]
    assert direct and "Kovac" in direct[0][2], quotes(doc)


def test_paragraph_cue_nearest_the_quote_names_its_speaker():
    doc = attribute_text("The board met on Monday, Ivo Marsh said. “We will never raise the ferry fares again, not "
                         "this year and not the year after either.” Ana Kovac said so at the pier on Tuesday.\n")
    direct = [q for q in quotes(doc) if q[0] == "direct"]
    assert direct and direct[0][2] == "Ana Kovac", quotes(doc)


def test_surname_speaker_takes_the_given_name_written_elsewhere():
    doc = attribute_text("Port Minister Lena Dorn met the union on Monday.\n"
                         "Dorn said the talks had been “long and honest.”\n")
    assert speaker_of_only(doc, "mixed") == "Lena Dorn"


def test_surname_shared_by_two_given_names_stays_a_surname():
    doc = attribute_text("Ana Kovac and her brother Tomas Kovac ran the ferry line for a decade.\n"
                         "Kovac said the talks had been “long and honest.”\n")
    assert speaker_of_only(doc, "mixed") == "Kovac"


def test_group_that_calls_someone_something_is_the_speaker():
    doc = attribute_text("Ivo Marsh had a strong debate on Thursday, when many commentators called him "
                         "“the grownup on the stage” during the row.\n")
    assert speaker_of_only(doc, "mixed") == "many commentators"


def test_named_subject_of_a_relative_that_clause_is_the_speaker():
    doc = attribute_text("Twenty people were hurt by an explosion that Mayor Ivo Marsh described as “a deliberate act.”\n")
    assert speaker_of_only(doc, "mixed") == "Ivo Marsh"


def test_that_after_a_reporting_phrase_keeps_the_outer_speaker():
    doc = attribute_text("Ana Kovac has made clear that she expects “a full apology” from the board.\n")
    assert speaker_of_only(doc, "mixed") == "Ana Kovac"


def test_plural_noun_after_of_a_name_is_not_a_verb():
    doc = attribute_text("The Ledger rated 32% of Harbour Party claims as “false” last year.\n")
    assert speaker_of_only(doc, "mixed") == "The Ledger"


def test_named_speaker_after_a_dash_is_nearer_than_a_phrase_before_it():
    doc = attribute_text("For the few years his returns were public ― Ivo Marsh boasted, “That makes me smart.”\n")
    assert speaker_of_only(doc, "direct") == "Ivo Marsh"


def test_place_in_a_parenthetical_after_the_subject_is_not_the_speaker():
    doc = attribute_text("Cory Dane, 22, of Calder, West Fenmark, said he had not given up hope that Marsh "
                         "could “pull it off.”\n")
    assert speaker_of_only(doc, "mixed") == "Cory Dane"


def test_part_of_a_group_speaks_for_it():
    doc = attribute_text("In a new poll, 30 percent of voters said the levy was “a disgrace.”\n")
    assert speaker_of_only(doc, "mixed") == "voters"


def test_pronoun_means_the_person_named_at_the_start_of_its_sentence():
    doc = attribute_text("The port board met on Monday. Ivo Marsh spoke first.\n"
                         "Ed Dorn may have put it best when he wrote: “The port is as good as sold.”\n")
    assert speaker_of_only(doc, "direct") == "Ed Dorn"


def test_one_pass_surname_scan_names_people_as_the_per_surname_search_does(monkeypatch):
    from quotedesk.core.attribution import mentions
    text = ("Port Minister Lena Dorn met the union on Monday.\nDorn said the talks had been “long and honest.”\n"
            "Ana Kovac and her brother Tomas Kovac ran the line.\nKovac said the fares were “too low.”\n"
            "Ivo O'Neill spoke last. O'Neill said the port would “stay open.”\n")
    per_surname = sorted(e.name for e in attribute_text(text).entities.values())
    monkeypatch.setattr(mentions, "SURNAME_SCAN_LIMIT", 0)
    one_pass = sorted(e.name for e in attribute_text(text).entities.values())
    assert one_pass == per_surname
    assert "Lena Dorn" in one_pass and "Kovac" in one_pass and "Ivo O'Neill" in one_pass


def test_a_number_an_adverb_or_an_owned_thing_is_never_a_speaker():
    from quotedesk.core.attribution import attribute_text
    for text in ("Forty-one said the port should close.", "Never, said the minister, will the port close.",
                 "Its relevance says the port should close soon."):
        doc = attribute_text(text)
        assert all(doc.speaker_name(q) not in ("Forty-one", "Never", "Its relevance") for q in doc.quotes.values()), text


def test_a_possessive_names_its_owner_and_an_owner_s_role_speaks():
    from quotedesk.core.attribution import attribute_text
    doc = attribute_text("Google launched Stadia in March.\n“We are growing,” Stadia said.\n“We grow,” Stadia’s said.\n")
    assert sorted(e.name for e in doc.entities.values()) == ["Stadia"]
    doc = attribute_text("Trump’s spokesman said the port would grow.")
    q = next(iter(doc.quotes.values()))
    assert doc.span_text(doc.mentions[q.mention]) == "Trump’s spokesman"
