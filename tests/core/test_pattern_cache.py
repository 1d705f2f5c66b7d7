"""The on-disk cache of compiled attribution patterns: same patterns as a fresh compile, and a bad file is never trusted."""
import os
import pickle
from dataclasses import fields

import pytest

from quotedesk.core.attribution import lexicon
from quotedesk.core.attribution.pattern_cache import cache_path, cached_patterns


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("QUOTEDESK_CACHE", str(tmp_path))
    return tmp_path


def _same(a, b):
    return (a.pattern, a.flags, a.groupindex) == (b.pattern, b.flags, b.groupindex)


def test_a_stored_pattern_set_loads_back_equal_to_a_fresh_compile(cache):
    fresh = lexicon._compile_patterns()
    built = cached_patterns("t", ["k"], lambda: vars(lexicon._compile_patterns()))
    assert list(cache.glob("t-*.pickle"))
    loaded = cached_patterns("t", ["k"], lambda: pytest.fail("compiled again instead of loaded"))
    for f in fields(fresh):
        assert _same(getattr(fresh, f.name), built[f.name])
        assert _same(getattr(fresh, f.name), loaded[f.name])
    text = "“We will reopen the port on Monday,” Finance Minister Ana Kovac said, adding that talks went on."
    assert loaded["after_close"].match(text, text.index("”") + 1).span() == \
        fresh.after_close.match(text, text.index("”") + 1).span()


def test_a_different_key_compiles_again(cache):
    calls = []
    cached_patterns("t", ["one"], lambda: calls.append(1) or {})
    cached_patterns("t", ["two"], lambda: calls.append(2) or {})
    assert calls == [1, 2]


def test_a_corrupt_file_is_ignored_and_replaced(cache):
    path = cache_path("t", ["k"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a pickle")
    assert cached_patterns("t", ["k"], lambda: {"x": 1}) == {"x": 1}
    assert cached_patterns("t", ["k"], lambda: pytest.fail("the rewritten file was not used")) == {"x": 1}


def test_a_file_that_would_run_code_is_refused(cache, tmp_path):
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (os.mkdir, (str(marker),))

    path = cache_path("t", ["k"])
    path.write_bytes(pickle.dumps({"x": Evil()}))
    assert cached_patterns("t", ["k"], lambda: {"x": 2}) == {"x": 2}
    assert not marker.exists()


def test_patterns_uses_the_cache_folder(cache):
    lexicon.patterns.cache_clear()
    try:
        p = lexicon.patterns()
    finally:
        lexicon.patterns.cache_clear()
    assert list(cache.glob("attribution-patterns-*.pickle"))
    assert _same(p.speaker_tail, lexicon._compile_patterns().speaker_tail)


def test_a_cache_that_cannot_be_written_still_gives_the_patterns(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("QUOTEDESK_CACHE", str(blocker / "cache"))
    assert cached_patterns("t", ["k"], lambda: {"x": 3}) == {"x": 3}


def test_compile_all_gives_the_patterns_in_the_order_asked_and_an_edit_compiles_afresh(cache):
    from quotedesk.core.attribution.pattern_cache import compile_all

    first = compile_all("m", {"b": r"\p{Lu}\p{Ll}+", "a": (r"port", 2)})
    assert [p.pattern for p in first] == [r"\p{Lu}\p{Ll}+", "port"]
    again = compile_all("m", {"b": r"\p{Lu}\p{Ll}+", "a": (r"port", 2)})
    assert [(p.pattern, p.flags) for p in again] == [(p.pattern, p.flags) for p in first]
    assert again[1].search("The PORT opens").span() == (4, 8)  # the IGNORECASE flag survived the cache
    edited = compile_all("m", {"b": r"\p{Lu}+", "a": (r"port", 2)})
    assert edited[0].pattern == r"\p{Lu}+"
    assert len(list(cache.glob("m-*.pickle"))) == 2
