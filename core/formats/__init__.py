"""Exchange formats: QuoteDesk JSONL (the shared scorer's format), brat standoff, Label Studio, CSV.

This package module holds what their readers share: a Document made from a plain text (none of
these formats keeps the raw page) and the check that it is one an annotation file would accept.
"""
from __future__ import annotations

import re

from ..model import Document, Paragraph, sha256


_SURROGATE = re.compile("[\ud800-\udfff]")


def utf8_safe(text: str) -> str:
    """``text`` as a UTF-8 file can hold it: each lone surrogate (from a broken page) becomes U+FFFD,
    one code point for one, so no offset moves."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


class MissingResourceError(ValueError):
    """A file QuoteDesk ships (a brat or Label Studio configuration) is not installed."""


def resource_bytes(name: str) -> bytes:
    """The bytes of resources/``name``; writers read them before writing anything, so a broken
    install fails with this message instead of leaving half an export behind."""
    from ..resources import resource_path

    path = resource_path(name)
    try:
        return path.read_bytes()
    except OSError as e:
        raise MissingResourceError(f"{path}: QuoteDesk's own resource file cannot be read ({e.strerror or e}); "
                                   "the installation is incomplete: reinstall QuoteDesk. Nothing was written") from None


def paragraphs_from_lines(text: str) -> list[Paragraph]:
    """Each non-blank line of a plain text as a verbatim paragraph."""
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append(Paragraph(pos, pos + len(line), pos, pos + len(line), True))
        pos += len(line) + 1
    return out


def text_document(doc_id: str, text: str, status: str, source: str | None = None,
                  from_format: str | None = None) -> Document:
    """An unannotated Document whose raw page and article are both ``text``, a paragraph per
    non-blank line; ``from_format`` is recorded as ``provenance["from"]``."""
    doc = Document(id=doc_id, raw=text, article=text, paragraphs=paragraphs_from_lines(text), source=source,
                   status=status)
    digest = sha256(text)
    doc.provenance = {"raw_sha256": digest, "article_sha256": digest}
    if from_format:
        doc.provenance["from"] = from_format
    return doc


def checked(doc: Document, error: type[ValueError], where: str) -> Document:
    """``doc`` when an annotation file holding it would load; else ``error`` naming ``where`` and the
    first bad span or dangling link."""
    from ..annotation_file import AnnotationFileError, validate_document

    try:
        validate_document(doc)
    except AnnotationFileError as e:
        raise error(f"{where}: {e}") from None
    return doc
