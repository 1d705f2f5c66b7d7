"""Attribution rules added after the first engine: titles, speaker labels, appositive names, media and nominal chains."""
from core.attribution import attribute_text


def quotes(doc):
    return [(q.type, doc.span_text(q), doc.speaker_name(q)) for q in doc.sorted_quotes()]


def test_show_title_after_a_plain_verb_is_not_a_partial_quote():
    doc = attribute_text("Marko Brill starred in the cooking show “Harbour Kitchen Nights” for two years.\n")
    assert not [q for q in doc.quotes.values() if q.type in ("direct", "mixed")], quotes(doc)


def test_headline_with_its_author_is_not_a_quote():
    doc = attribute_text("Ivo Marsh said the ferries were late.\n"
                         "—“Why the night ferry keeps breaking down,” by Lena Dorn: example.org/ferry\n")
    assert not [q for q in doc.quotes.values() if q.type == "direct"], quotes(doc)
