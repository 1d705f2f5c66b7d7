"""Speaker choice and entity names: office titles, adjective participles, prepositions, absolute 'with X saying' and role nominals."""
from core.attribution import attribute_text


def quotes(doc):
    return [(q.type, doc.span_text(q), doc.speaker_name(q),
             doc.span_text(doc.cues[q.cue]) if q.cue else None) for q in doc.sorted_quotes()]


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
