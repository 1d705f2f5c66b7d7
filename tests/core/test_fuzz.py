"""A short fuzz of the whole path (bench/fuzz.py's checks): pages, bytes and corpus lines through the readers,
extraction, attribution, the annotation file and every exchange format, with no crash and every span in range.

Bounded to a few seconds: few examples, derandomized (the same cases on every run, so the suite stays
reproducible); ``python bench/fuzz.py`` runs 100,000 varied cases, lone and split surrogates included."""
import importlib.util
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent.parent
_spec = importlib.util.spec_from_file_location("quotedesk_bench_fuzz", ROOT / "bench" / "fuzz.py")
fuzz = sys.modules.setdefault(_spec.name, importlib.util.module_from_spec(_spec))
if not hasattr(fuzz, "run_case"):
    _spec.loader.exec_module(fuzz)

SETTINGS = settings(max_examples=12, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

def check(case) -> str:
    with tempfile.TemporaryDirectory(prefix="qd-fuzz-test-") as work:
        return fuzz.run_case(case, Path(work))


def test_the_checks_catch_an_out_of_range_span():
    doc = fuzz.analyze_record(fuzz.InputRecord(id="t", text="“We stay,” Ana Kovac said.", kind="text", source="t"))
    fuzz.check_document(doc)
    q = next(iter(doc.quotes.values()))
    q.end = len(doc.article) + 3
    try:
        fuzz.check_document(doc)
    except fuzz.Failure as f:
        assert f.stage == "span"
    else:
        raise AssertionError("an out-of-range quote passed the checks")


@SETTINGS
@given(st.text(alphabet=st.characters(codec=None, categories=None), max_size=300), st.booleans())
def test_any_text_including_surrogates(text, html):
    check(fuzz.Case("text", "text", text, html=html))


@SETTINGS
@given(st.binary(max_size=400), st.sampled_from([None, ".txt", ".html", ".html.gz"]))
def test_any_bytes_as_a_page(data, suffix):
    check(fuzz.Case("bytes", "bytes", data, suffix=suffix))


PIECES = st.sampled_from(fuzz.SOUP + fuzz.TRAPS + fuzz.ENTITIES + fuzz.ODD
                         + fuzz.MARKS + ["Ana Kovac said", "“The port stays open,” she said.", " ", "\n"])


@SETTINGS
@given(st.lists(PIECES, max_size=60).map("".join))
def test_tag_soup_with_void_elements_and_broken_entities(page):
    check(fuzz.Case("html", "text", page, html=True))


@SETTINGS
@given(st.sampled_from(sorted(fuzz.GENERATORS)), st.integers(0, 10**6))
def test_generated_cases(gen, index):
    case = fuzz.case_for(7, index, gen)
    assert check(case) in ("ok", "refused")
