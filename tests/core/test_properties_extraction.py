"""Property tests: any text, bytes or HTML-ish string gives an Extraction with sane spans, never an exception."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotedesk.core.extraction import extract_article, split_paragraphs
from quotedesk.core.readers import ReadError, decode_bytes
from quotedesk.core.textmap import normalize_newlines

from tests.core.test_extraction import check_spans

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORDS = st.sampled_from(["the", "council", "said", "Related Articles", "By Jane Roe", "MOSCOW:", "–AFP",
                         "Subscribe", "“quote,”", "(AP) —", "\n", "\n\n", "\r\n", "\u2028", " ", ".", ","])
TAGS = st.sampled_from(["<p>", "</p>", "<div class='article-body'>", "</div>", "<br>", "<a href='#'>", "</a>",
                        "<script>", "</script>", "<nav>", "</nav>", "<h1>", "</h1>", "<figure>", "<li>",
                        "<!--", "-->", "<", ">", "&amp;", "&#x0;", "<meta property='og:title' content='T'>",
                        "<time datetime='2024'>", "<button>", "<style>", "<html>", "<body>", "</body>"])
HTMLISH = st.lists(st.one_of(TAGS, WORDS, st.text(max_size=8)), max_size=60).map("".join)


@SETTINGS
@given(st.text())
def test_any_text_page(raw):
    for kind in ("text", "html"):
        check_spans(extract_article(raw, kind), raw)


@SETTINGS
@given(st.lists(WORDS, max_size=80).map(" ".join))
def test_wordy_text_page(raw):
    norm, _ = normalize_newlines(raw)
    check_spans(extract_article(norm, "text"), norm)


@SETTINGS
@given(HTMLISH)
def test_any_htmlish_page(raw):
    check_spans(extract_article(raw, "html"), raw)


@SETTINGS
@given(st.binary())
def test_any_bytes(data):
    try:
        text = decode_bytes(data)
    except ReadError as e:
        assert "binary" in str(e)
        return
    norm, nmap = normalize_newlines(text)
    for kind in ("text", "html"):
        check_spans(extract_article(norm, kind), norm)


@SETTINGS
@given(st.text())
def test_newline_map_is_monotonic_and_exact(text):
    norm, nmap = normalize_newlines(text)
    assert "\r" not in norm and "\u2028" not in norm and "\u2029" not in norm
    prev = -1
    for i in range(len(norm) + 1):
        j = nmap.to_source(i)
        assert j > prev or i == 0
        prev = j
        assert nmap.to_normalized(j) == i
        if i < len(norm) and norm[i] != "\n":
            assert text[j] == norm[i]
    assert nmap.to_source(len(norm)) == len(text)


@SETTINGS
@given(st.text())
def test_split_paragraphs_spans(text):
    prev = 0
    for p in split_paragraphs(text):
        assert prev <= p.start < p.end <= len(text)
        assert text[p.start:p.end] == text[p.start:p.end].strip() and "\n" not in text[p.start:p.end]
        prev = p.end
