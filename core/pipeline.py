"""From a raw page (text or HTML) to an attributed Document: extraction, then attribution.

For HTML the Document's ``raw`` is the page text built from the markup and ``html`` the markup;
extraction warnings (what the page held that could not be represented) are in
``provenance["warnings"]``."""
from __future__ import annotations

from .model import Document, sha256


def build_document(raw: str, kind: str = "text", doc_id: str = "doc", source: str | None = None,
                   clean: bool = False) -> Document:
    """The article extracted from ``raw`` (newline-normalised text or HTML), not yet attributed.

    ``clean`` marks text that is already an article (a corpus record): it is kept whole, so the
    article is the very same string and its offsets are the input's offsets."""
    from .extraction import extract_article, split_paragraphs
    from .model import ArticleMeta

    ex = None
    if clean and kind == "text":
        doc = Document(id=doc_id, raw=raw, article=raw, paragraphs=split_paragraphs(raw),
                       meta=ArticleMeta(), source=source, raw_kind=kind)
    elif kind == "html":
        # The document's raw text is the page as a reader sees it; the markup rides beside it.
        ex = extract_article(raw, kind)
        page = ex.page_text if ex.page_text is not None else ""
        doc = Document(id=doc_id, raw=page, article=ex.article, paragraphs=ex.paragraphs,
                       meta=ex.meta, source=source, raw_kind=kind, html=raw, _page_map=ex.page_map)
    else:
        ex = extract_article(raw, kind)
        doc = Document(id=doc_id, raw=raw, article=ex.article, paragraphs=ex.paragraphs,
                       meta=ex.meta, source=source, raw_kind=kind)
    raw_sum = sha256(doc.raw)
    # A clean corpus record is its own article: hash the text once.
    doc.provenance = {"raw_sha256": raw_sum,
                      "article_sha256": raw_sum if doc.article is doc.raw else sha256(doc.article)}
    if doc.html is not None:
        doc.provenance["html_sha256"] = sha256(doc.html)
    if ex is not None and ex.warnings:
        doc.provenance["warnings"] = list(ex.warnings)
    return doc


def analyze(raw: str, kind: str = "text", doc_id: str = "doc", source: str | None = None,
            clean: bool = False, scheme: str = "default") -> Document:
    """Extract the article and attribute every quote in it: the machine's suggestions.

    ``scheme`` "polnear" reproduces that corpus's labelling conventions for comparison with it."""
    from .attribution import attribute

    doc = build_document(raw, kind, doc_id, source, clean)
    if scheme == "default":
        attribute(doc)
    else:
        attribute(doc, scheme=scheme)
    doc.status = "machine"
    return doc
