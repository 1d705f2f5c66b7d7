"""Quote attribution: fills a Document with machine-suggested quotes, speaker mentions, entities and cues.

``attribute(doc)`` reads ``doc.article`` (paragraphs from ``doc.paragraphs``, or one a non-blank
line) and adds direct, mixed and indirect quotes, each with the rule that found it and a confidence.

The work is a pipeline of named stages over one context (pipeline.py): scan (marks, sentences,
cues) -> quoted-speech sieves (quoted.py) -> reported-speech sieves (indirect.py) -> passes (groups,
headlines, fragments, scheme) -> entities (mentions.py) -> confidence.  Every rule a quote may carry
is in the registry, rules.py, with its type, meaning and an invented example (the README's rule list
is generated from it); every word list is in resources/attribution_words.txt (words.py); every
quotation mark convention is in marks.py's MARK_TABLE.

Entities (mentions.py): a title of several words ('Secretary of State') is not part of the name;
'he'/'she' is the person last named since the last speaker; 'the <role>' opening the sentence right
after a named person spoke is that person if they were written earlier with a matching title.

Labelling schemes (``attribute(doc, scheme=...)``):
  "default"  QuoteDesk's own: '' (two apostrophes, the straight double mark of some newspaper
             archives) is a quote mark like any other, so ''...'' quotes are direct or mixed.
  "polnear"  compatibility with the PolNeAR corpus, whose annotation tool did not take '' for a
             quote mark: a quote marked with '' is reported speech there, typed "indirect", and a
             direct one is spanned with its marks (''...''), a partial one as its whole clause.
             Speakers and cues are found exactly as in the default scheme.
"""
from __future__ import annotations

from ..model import Document
from .pipeline import SCHEMES, Context, run
from .sentences import paragraph_spans

__all__ = ["SCHEMES", "attribute", "attribute_text"]


def attribute(doc: Document, scheme: str = "default") -> None:
    """Add the machine's quotes, mentions, entities and cues for ``doc.article`` to ``doc``.
    ``scheme`` picks a labelling convention (see the module docstring)."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown attribution scheme {scheme!r}; expected one of {', '.join(SCHEMES)}")
    run(Context(doc.article, paragraph_spans(doc), scheme, doc))


def attribute_text(text: str, scheme: str = "default") -> Document:
    """A Document whose article is ``text``, attributed."""
    doc = Document(id="text", raw=text, article=text)
    attribute(doc, scheme)
    return doc
