"""Property tests: attribution never crashes and keeps every span and link consistent, whatever the text."""
from hypothesis import given, settings, strategies as st

from quotedesk.core.attribution import attribute_text

# Text built from the characters the rules look at: marks of every style, apostrophes,
# sentence punctuation, line breaks, capitals, and cue words.
PIECES = st.sampled_from([
    '"', "“", "”", "„", "«", "»", "‹", "›", "‘", "’", "'", "''", ",", ".", ":", "?", "!", "\n", "\n\n",
    " ", "\u00a0", "said", "says", "told", "according to", "he", "She", "the", "Ana Kovac", "Mr.", "U.S.",
    "warned that", "the minister", "Officials", "(R-Ohio)", "—", "called", "a note", "’s",
    " as a ", "adding", "saying", "with", "and said", "In", "continued to", "Senate leader", "WALLACE:", "him",
])
TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(PIECES, max_size=80).map("".join),
    st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=60).map(" ".join),
)


def check(doc):
    n = len(doc.article)
    for q in doc.quotes.values():
        assert 0 <= q.start < q.end <= n
        assert q.type in ("direct", "mixed", "indirect")
        assert q.rule
        assert 0.0 <= q.confidence <= 1.0
        assert q.mention is None or q.mention in doc.mentions
        assert q.cue is None or q.cue in doc.cues
    for m in doc.mentions.values():
        assert 0 <= m.start < m.end <= n
        assert m.entity is None or m.entity in doc.entities
    for c in doc.cues.values():
        assert 0 <= c.start < c.end <= n
    for e in doc.entities.values():
        assert e.name and e.kind in ("person", "organization", "group", "unknown")


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_any_text_attributes_without_error_and_spans_are_consistent(text):
    check(attribute_text(text))


@settings(max_examples=100, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=40).map("".join))
def test_direct_quotes_never_include_a_paragraph_break(text):
    # a hard-wrapped block of lines is one paragraph (a quotation may wrap); a blank line always ends one
    doc = attribute_text(text)
    for q in doc.quotes.values():
        if q.type == "direct":
            assert "\n\n" not in doc.span_text(q)
            if "\n\n" not in text:
                assert "\n" not in doc.span_text(q)
