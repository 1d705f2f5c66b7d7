"""One input record analysed into an output record: what `analyze`, `batch` and their workers share."""
from __future__ import annotations

from .model import Document


def analyze_record(record, scheme: str = "default") -> Document:
    from .pipeline import analyze

    return analyze(record.text, record.kind, record.id, record.source, clean=record.clean, scheme=scheme)


def record_warnings(record, warnings=()) -> list[str]:
    """One line each for what reading and extracting ``record`` changed or noticed (lone surrogates
    replaced, deep nesting flattened), naming its file; printed on stderr, the exit status unchanged."""
    return list(getattr(record, "warnings", ()) or ()) + [f"{record.source}: {w}" for w in warnings or ()]


def analyze_job_with_warnings(args) -> tuple[str, object, list[str]]:
    """One record analysed for a worker: ``("ok", output, warnings)`` or ``("error", message, warnings)``;
    the output is an :func:`analysis_record` or, for ``fmt == "json"``, an annotation file's dict."""
    record, fmt, types, scheme = args
    try:
        doc = analyze_record(record, scheme)
    except Exception as exc:  # one bad page must not stop the batch
        return ("error", f"{record.source}: analysis failed: {exc!r}", record_warnings(record))
    warnings = record_warnings(record, doc.provenance.get("warnings"))
    if fmt == "json":
        from .annotation_file import document_to_dict

        return ("ok", (doc.id, document_to_dict(doc)), warnings)
    return ("ok", analysis_record(doc, record, types), warnings)


def analysis_record(doc: Document, record, types: set[str] | None = None) -> dict:
    """One JSONL output record.  For page text and corpus text the offsets index the input text
    (so the shared scorer reads them as they are); for HTML (``"offsets": "page"``) they index the
    page as text, which the record carries as ``"page"``."""
    from .extraction.page_meta import meta_record
    from .formats.jsonl import quote_record

    newline_map = record.newline_map
    if doc.raw_kind == "html":
        offset, base = doc.to_raw, "page"  # every HTML paragraph is verbatim in the page text
    elif doc.article is doc.raw or doc.article == doc.raw:
        offset, base = None, "input"  # the usual corpus record: no newline was collapsed, offsets pass as they are
        if not newline_map.is_identity:
            def offset(s, e):
                return newline_map.to_source(s), newline_map.to_source(e)
    else:
        def offset(s, e):
            rs, re_ = doc.to_raw(s, e)
            return newline_map.to_source(rs), newline_map.to_source(re_)
        base = "input"
    quotes = [quote_record(doc, q, offset) for q in doc.sorted_quotes()
              if not types or q.type in types]
    meta = doc.meta
    out = {
        "id": doc.id,
        "source": record.source,
        "offsets": base,
        "quotes": quotes,
        "entities": [{"id": e.id, "name": e.name, "kind": e.kind} for e in doc.entities.values()],
        "article": {**meta_record(meta), "body": doc.article},
    }
    if base == "page":
        out["page"] = doc.raw
        if doc.provenance.get("warnings"):
            out["warnings"] = list(doc.provenance["warnings"])  # what the page held that could not be kept as it was
    return out
