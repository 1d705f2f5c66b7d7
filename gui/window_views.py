"""The review window's views: highlights of both panes, the selection shared by the panes, the Quotes
table and the article, mirrored text selection and the page markup (a mixin of ReviewWindow)."""
from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt

from quotedesk.core import edits as E
from quotedesk.core.selection import article_to_raw, raw_to_article

from .colours import Formats
from .quote_table import is_unattributed, needs_review, quote_tooltip


# Order in which overlapping kinds paint: a mention or cue shows above the quote around it.
_PAINT_ORDER = {"quote": 0, "cue": 1, "mention": 2}
RAW_TITLE = ("<b>Raw page</b> <span style='color:gray'>boilerplate dimmed · article tinted blue · "
             "metadata tinted purple</span>")


class WindowViews:
    """Highlighting and selection of ReviewWindow (state lives on the window)."""

    # == highlighting =================================================================================
    def refresh_highlights(self):
        if self.doc is None:
            return
        self._update_links()
        self.article_highlights.refresh()
        self.raw_highlights.refresh()

    def _style_for(self, kind: str, id: str, fmts: Formats, selected_ids: set):
        doc = self.doc
        if kind == "quote":
            q = doc.quotes[id]
            strong = q.reviewed or q.origin == "human"
            if is_unattributed(doc, q):
                return fmts.unattributed_quote(q.type, strong, ("quote", id) in selected_ids)
            ent = doc.speaker_entity(q)
            colour = self.colours.colour(ent.id if ent else None)
            return fmts.quote(colour, q.type, strong, ("quote", id) in selected_ids)
        if kind == "mention":
            m = doc.mentions[id]
            return fmts.mention(self.colours.colour(m.entity), ("mention", id) in selected_ids)
        return fmts.cue(("cue", id) in selected_ids)

    def _selected_family(self) -> set:
        """The selected span plus, for a quote, its speaker mention(s) and cue(s)."""
        return self.controller.selected_family()

    def _article_decorations(self, lo: int, hi: int):
        if self.doc is None:
            return []
        fam = self._selected_family()
        fmts = self.article_formats
        # Longer spans first so a quote inside a quote paints over its container.
        entries = sorted(self.index.overlapping(lo, hi), key=lambda e: (_PAINT_ORDER[e[2]], e[0] - e[1]))
        return [(s, e, self._style_for(kind, id, fmts, fam)) for s, e, kind, id in entries]

    def _raw_decorations(self, lo: int, hi: int):
        doc = self.doc
        if doc is None:
            return []
        if not self.showing_markup:
            return self._page_decorations(lo, hi)
        # The markup shown: the page text's highlights, each found in the source.
        to_raw, to_html = getattr(doc, "html_to_raw", None), getattr(doc, "raw_to_html", None)
        plo, phi = (to_raw(lo), to_raw(hi)) if to_raw is not None and to_html is not None else (None, None)
        if plo is None or phi is None:
            return []
        out = []
        for s, e, fmt in self._page_decorations(plo, min(phi + 1, len(doc.raw))):
            span = to_html(s, e) if e > s else None
            if span is not None and span[1] > span[0]:
                out.append((span[0], span[1], fmt))
        return out

    def _page_decorations(self, lo: int, hi: int):
        """The raw pane's highlights over page-text offsets ``[lo, hi)``."""
        doc = self.doc
        fmts = self.raw_formats
        out = []
        paras = self._raw_paragraphs_in(lo, hi)
        pos = lo
        for p in paras:
            if p.raw_start > pos:
                out.append((pos, p.raw_start, fmts.dimmed()))
            out.append((p.raw_start, p.raw_end, fmts.extracted()))
            pos = max(pos, p.raw_end)
        if pos < hi:
            out.append((pos, hi, fmts.dimmed()))
        # Headline, date, byline ... were extracted too, as metadata: not dimmed.
        for s, e in doc.meta.raw_spans.values():
            if s < hi and e > lo:
                out.append((s, e, fmts.metadata()))
        # Quotes whose paragraph was copied verbatim map exactly onto the page.
        a_lo = min((p.start for p in paras), default=None)
        a_hi = max((p.end for p in paras), default=None)
        fam = self._selected_family()
        if a_lo is not None:
            for s, e, kind, id in self.index.overlapping(a_lo, a_hi):
                if kind != "quote":
                    continue
                p = doc.paragraph_at(s)
                if p is None or not p.verbatim or e > p.end:
                    continue
                rs, re_ = doc.to_raw(s, e)
                out.append((rs, re_, self._style_for(kind, id, fmts, fam)))
        if self.selected is not None:
            obj = self._span_obj(self.selected)
            if obj is not None:
                rs, re_ = doc.to_raw(obj.start, obj.end)
                if re_ > rs:
                    out.append((rs, re_, fmts.raw_selected()))
        return out

    def _update_links(self):
        """Outlines (and link curves) for the selected quote's speaker and cue only."""
        obj = self._span_obj(self.selected) if self.selected else None
        if obj is None:
            self.article_view.set_links(None, [], None)
            return
        outlines = []
        if self.selected[0] == "quote":
            q = obj
            for mid in [q.mention, *q.extra_mentions]:
                m = self.doc.mentions.get(mid) if mid else None
                if m is not None:
                    outlines.append((m.start, m.end, self.article_formats.ink(self.colours.colour(m.entity))))
            for cid in [q.cue, *q.extra_cues]:
                c = self.doc.cues.get(cid) if cid else None
                if c is not None:
                    outlines.append((c.start, c.end, self.article_formats.text))
        self.article_view.set_links((obj.start, obj.end), outlines,
                                    obj.start if self.selected[0] == "quote" else None)

    def _article_tooltip(self, offset: int) -> str | None:
        if self.doc is None:
            return None
        parts = []
        for s, e, kind, id in self.index.at(offset):
            if kind == "quote":
                parts.append(quote_tooltip(self.doc, self.doc.quotes[id]))
            elif kind == "mention" and not parts:
                m = self.doc.mentions[id]
                ent = self.doc.entities.get(m.entity) if m.entity else None
                parts.append(f"speaker mention ({m.kind}) of <b>{escape_text(ent.name if ent else '(no entity)')}</b>")
            elif kind == "cue" and not parts:
                parts.append("cue")
        return "<hr>".join(parts) or None

    def _raw_tooltip(self, offset: int) -> str | None:
        if self.doc is None:
            return None
        for name, (s, e) in self.doc.meta.raw_spans.items():
            if s <= offset < e:
                return f"article metadata: {name}"
        inside = any(p.raw_start <= offset < p.raw_end for p in self._raw_paragraphs_in(offset, offset + 1))
        return "extracted into the article" if inside else "boilerplate (not in the article)"

    # == selection ====================================================================================
    def _span_obj(self, key):
        return self.controller.span_obj(key)

    def select(self, kind: str | None, id: str | None = None, reveal: bool = True, refresh: bool = True) -> None:
        """Selects a span everywhere: table row, article span (outlined with its links), raw span."""
        key = (kind, id) if kind else None
        if key is not None and self._span_obj(key) is None:
            key = None
        self.selected = key
        obj = self._span_obj(key)
        quote_id = None
        if key and key[0] == "quote":
            quote_id = key[1]
        self._sync_table_row(quote_id)
        if obj is not None and reveal:
            self.article_view.reveal(obj.start, obj.end)
            rs, re_ = self.doc.to_raw(obj.start, obj.end)
            if re_ > rs:
                self.raw_view.reveal(rs, re_)
        if refresh:
            self.refresh_highlights()
            self._update_enabled()
            self._update_status()
        self.selection_changed.emit(key)

    def _on_article_click(self, offset: int, modifiers):
        if self.doc is None:
            return
        hits = self.index.at(offset)
        if self.link_mode:
            self._link_to(hits)
            return
        if hits:
            # A click on a quote's mention or cue selects it; a second click on it walks outwards.
            order = [(h[2], h[3]) for h in hits]
            if self.selected in order:
                nxt = order[(order.index(self.selected) + 1) % len(order)]
            else:
                nxt = order[0]
            self.select(*nxt, reveal=False)
        elif self.selected is not None:
            self.select(None, reveal=False)

    def _link_to(self, hits) -> None:
        """Link mode's click: a speaker mention becomes the selected quote's speaker, a cue its cue."""
        self.link_mode = False
        self.article_view.viewport().unsetCursor()
        self.statusBar().clearMessage()
        sel = self.selected
        mentions = [h for h in hits if h[2] == "mention"]
        cues = [h for h in hits if h[2] == "cue"]
        if not (sel and sel[0] == "quote") or not (mentions or cues):
            self.statusBar().showMessage("Link cancelled: that is not a speaker mention or a cue", 4000)
            return
        qid = sel[1]
        if mentions:
            mid = mentions[0][3]
            if self.run_gesture(lambda: E.relink_quote(self.doc, qid, mid), "Change speaker"):
                self.statusBar().showMessage("Speaker linked", 3000)
        else:
            cid = cues[0][3]
            if self.run_gesture(lambda: E.link_cue(self.doc, qid, cid), "Link cue"):
                self.statusBar().showMessage("Cue linked", 3000)

    def _on_article_double_click(self, offset: int, modifiers=Qt.KeyboardModifier.NoModifier):
        """A double-click selects the word under it (inside a suggestion too: the word may become
        a speaker with S); Ctrl+double-click on a machine suggestion rejects it, as Delete does."""
        if self.doc is None or self.link_mode:
            return
        if not (modifiers & Qt.KeyboardModifier.ControlModifier):
            return
        for _, _, kind, sid in self.index.at(offset):
            q = self.doc.quotes.get(sid) if kind == "quote" else None
            if q is not None and needs_review(q):
                self.article_view.select_range(offset, offset)
                self.select("quote", sid, reveal=False)
                self.do_reject_or_delete()
                return

    def raw_to_article(self, raw_offset: int) -> int | None:
        """The article offset a raw-page offset was copied to (verbatim paragraphs only)."""
        for p in self._raw_paragraphs_in(raw_offset, raw_offset + 1):
            if p.verbatim and p.raw_start <= raw_offset < p.raw_end:
                return p.start + raw_offset - p.raw_start
        return None

    def _on_raw_click(self, raw_offset: int, modifiers):
        if self.doc is None:
            return
        offset = self.raw_to_article(raw_offset)
        quotes = [h for h in self.index.at(offset) if h[2] == "quote"] if offset is not None else []
        if quotes:
            self.select("quote", quotes[0][3])

    # -- the two panes select the same characters --------------------------------------------------
    def _mirror_from_article(self):
        if self._mirroring or self.doc is None:
            return
        s, e = self.article_view.selected_range()
        span = article_to_raw(self.doc, s, e) if e > s else None
        if span is not None and self.showing_markup:
            span = self._raw_to_markup(*span)
        self._mirror(self.raw_view, span)

    def _mirror_from_raw(self):
        if self._mirroring or self.doc is None:
            return
        s, e = self.raw_view.selected_range()
        if e > s and self.showing_markup:
            # the source's characters back to the page text (markup between them is skipped)
            to_raw = getattr(self.doc, "html_to_raw", None)
            a, b = (to_raw(s), to_raw(e)) if to_raw is not None else (None, None)
            s, e = (a, b) if a is not None and b is not None else (0, 0)
        self.article_view.exact_selection = self.raw_view.exact_selection
        self._mirror(self.article_view, raw_to_article(self.doc, s, e, self._raw_paras) if e > s else None)

    def _raw_to_markup(self, start: int, end: int):
        """Where page-text characters are in the HTML source (None when the Document cannot say)."""
        to_html = getattr(self.doc, "raw_to_html", None)
        span = to_html(start, end) if to_html is not None else None
        return span if span is not None and span[1] > span[0] else None

    def _mirror(self, view, span) -> None:
        self._mirroring = True
        try:
            if span is not None:
                if view.selected_range() != span:
                    view.select_range(*span)
            elif view.textCursor().hasSelection():
                cur = view.textCursor()
                cur.clearSelection()
                view.setTextCursor(cur)
        finally:
            self._mirroring = False

    # -- the page's markup ------------------------------------------------------------------------------
    def page_markup(self) -> str | None:
        """The HTML source of an HTML page: the Document's own copy when it keeps one beside the
        page text, else its raw text (which is the source for documents that keep no copy)."""
        doc = self.doc
        if doc is None or doc.raw_kind != "html":
            return None
        source = getattr(doc, "html_source", None)
        if isinstance(source, str) and source:
            return source
        html = getattr(doc, "html", None)
        if isinstance(html, str) and html:
            return html
        text = getattr(html, "text", None)
        return text if isinstance(text, str) and text else doc.raw

    def do_show_markup(self, on: bool | None = None) -> None:
        """View > Show page markup: the raw pane shows the page's HTML source instead of its text
        (with the same highlights, found in the source); off again, the page text."""
        act = self.show_markup_action
        if on is None:
            on = act.isChecked()
        markup = self.page_markup() if on else None
        on = markup is not None
        if act.isChecked() != on:
            act.blockSignals(True)
            act.setChecked(on)
            act.blockSignals(False)
        if on == self.showing_markup:
            return
        self.showing_markup = on
        if on:
            self._mirroring = True  # replacing the pane's text must not clear the article's selection
            try:
                self.raw_view.set_text(markup)
            finally:
                self._mirroring = False
            self.raw_title.setText("<b>Page markup</b> <span style='color:gray'>the HTML source as it was "
                                   "read (View › Show page markup again for the page text)</span>")
            self._mirror_from_article()  # the article's selection, found in the source
        elif self.doc is not None:
            self._mirroring = True
            try:
                self.raw_view.set_text(self.doc.raw)
            finally:
                self._mirroring = False
            self.raw_title.setText(RAW_TITLE)
            self._mirror_from_article()
        self.raw_highlights.refresh()


def escape_text(s: str) -> str:
    """Text for a rich-text label or tooltip: & < > escaped."""
    return escape(s, quote=False)
