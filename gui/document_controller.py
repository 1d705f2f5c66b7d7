"""The review window's document state without Qt: the document, the span index over it, the current
selection, link mode, the speakers picked in the panel, and the bookkeeping after each edit."""
from __future__ import annotations

from quotedesk.core.edits import OpChanges
from quotedesk.core.model import Document

from .span_index import SpanIndex

SPAN_KINDS = ("quote", "mention", "cue")


class DocumentController:
    """What the window shows and what is selected in it; the views read it and refresh from the
    ``OpChanges`` that ``after_edit`` returns. Holds no Qt object, so it is testable without a display."""

    def __init__(self):
        self.doc: Document | None = None
        self.index = SpanIndex()
        self.selected: tuple[str, str] | None = None  # (kind, id) of the selected span
        self.link_mode = False  # the next click on a mention or cue links it to the selected quote
        self.focus_mentions: set[str] = set()  # mentions of the speakers selected in the panel

    def set_document(self, doc: Document) -> None:
        self.doc = doc
        self.selected = None
        self.link_mode = False
        self.focus_mentions = set()
        self.rebuild_index()

    def rebuild_index(self) -> None:
        doc = self.doc
        entries = [(q.start, q.end, "quote", q.id) for q in doc.quotes.values()]
        entries += [(m.start, m.end, "mention", m.id) for m in doc.mentions.values()]
        entries += [(c.start, c.end, "cue", c.id) for c in doc.cues.values()]
        self.index = SpanIndex(entries)

    # -- lookups -----------------------------------------------------------------------------------
    def span_obj(self, key):
        """The quote, mention or cue of ``key`` = (kind, id); None when there is none."""
        if key is None or self.doc is None:
            return None
        kind, id = key
        pool = {"quote": self.doc.quotes, "mention": self.doc.mentions, "cue": self.doc.cues}.get(kind)
        return pool.get(id) if pool is not None else None

    def valid(self, key) -> tuple[str, str] | None:
        """``key`` when it names an existing span, else None."""
        return key if key is not None and self.span_obj(key) is not None else None

    def selected_quote(self) -> str | None:
        sel = self.selected
        return sel[1] if sel and sel[0] == "quote" else None

    def selected_family(self) -> set:
        """The selected span plus, for a quote, its speaker mention(s) and cue(s), plus the
        mentions of the speakers picked in the panel."""
        if self.doc is None:
            return set()
        out = {("mention", mid) for mid in self.focus_mentions}
        sel = self.selected
        if sel is None:
            return out
        out.add(sel)
        if sel[0] == "quote":
            q = self.doc.quotes.get(sel[1])
            if q is not None:
                out.update(("mention", m) for m in [q.mention, *q.extra_mentions] if m)
                out.update(("cue", c) for c in [q.cue, *q.extra_cues] if c)
        return out

    # -- after an edit (or its undo) ---------------------------------------------------------------
    def after_edit(self, changes: OpChanges) -> OpChanges:
        """Brings the span index in line with the document and drops a selection whose span is
        gone; returns ``changes`` for the views to refresh from."""
        for kind, id in changes.touched:
            if kind not in SPAN_KINDS:
                continue
            obj = self.span_obj((kind, id))
            if obj is None:
                self.index.remove(kind, id)
            else:
                self.index.put(kind, id, obj.start, obj.end)
        if self.selected is not None and self.span_obj(self.selected) is None:
            self.selected = None
        return changes
