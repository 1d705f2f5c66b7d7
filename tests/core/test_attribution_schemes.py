"""Attribution labelling schemes: the default one and the PolNeAR compatibility one ('' is no quote mark there)."""
import pytest

from quotedesk.core.attribution import SCHEMES, attribute, attribute_text
from quotedesk.core.model import Document

TEXT = ("''We will keep the ferries running,'' said Ana Kovac, the port director.\n"
        "She called the strike ''a reckless gamble by a few'' and left.\n"
        "“Nobody asked us,” said Ivo Marsh, a crane driver.\n")


def _by_type(doc):
    return sorted((q.type, doc.span_text(q), doc.speaker_name(q)) for q in doc.quotes.values())


def test_default_scheme_takes_doubled_apostrophes_for_quote_marks():
    doc = attribute_text(TEXT)
    types = {doc.span_text(q): q.type for q in doc.quotes.values()}
    assert types["We will keep the ferries running,"] == "direct"
    assert any(t == "mixed" and "a reckless gamble" in s for s, t in types.items())


def test_polnear_scheme_makes_doubled_apostrophe_quotes_indirect_with_their_marks():
    doc = attribute_text(TEXT, scheme="polnear")
    got = _by_type(doc)
    assert ("indirect", "''We will keep the ferries running,''", "Ana Kovac") in got, got
    partial = [q for q in doc.quotes.values() if "a reckless gamble" in doc.span_text(q)]
    assert len(partial) == 1 and partial[0].type == "indirect"
    assert "''a reckless gamble by a few''" in doc.span_text(partial[0])


def test_polnear_scheme_leaves_other_marks_alone():
    doc = attribute_text(TEXT, scheme="polnear")
    assert ("direct", "Nobody asked us,", "Ivo Marsh") in _by_type(doc)


def test_schemes_agree_on_text_without_doubled_apostrophes():
    text = "“Nobody asked us,” said Ivo Marsh. Kovac said the strike would end soon.\n"
    assert _by_type(attribute_text(text)) == _by_type(attribute_text(text, scheme="polnear"))


def test_unknown_scheme_is_refused():
    assert "default" in SCHEMES and "polnear" in SCHEMES
    with pytest.raises(ValueError):
        attribute(Document(id="d", raw="x", article="x"), scheme="nyt")
