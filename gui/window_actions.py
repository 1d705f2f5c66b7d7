"""The review window's gestures: marking, linking, typing, accepting and deleting spans, moving
boundaries, navigation and speaker operations, each one undoable command (a mixin of ReviewWindow)."""
from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMenu

from quotedesk.core import edits as E
from quotedesk.core.model import QUOTE_TYPES
from quotedesk.core.selection import quote_type_by_marks, snap_span, trim_span

from .quote_table import least_confident_order, needs_review
from .undo import GestureCommand, apply_gesture



def boundary_step(text: str, offset: int, side: str, direction: int, unit: str) -> int:
    """Where a span boundary goes one word (or character) left or right.

    A start stays on a word's first character and an end just after a word's last one, so a
    start moving right skips to the next word and an end moving left drops the last word."""
    new = E.snap_offset(text, offset, direction, unit)
    if unit != "word":
        return new
    if side == "start" and direction > 0:
        while new < len(text) and not (text[new].isalnum() or text[new] == "_"):
            new += 1
    elif side == "end" and direction < 0:
        while new > 0 and not (text[new - 1].isalnum() or text[new - 1] == "_"):
            new -= 1
    return new


def _added(edits, kind: str) -> str | None:
    """The id of the first ``kind`` object a gesture adds."""
    return E.changes_of(edits).first_added(kind, edits)


class WindowActions:
    """The do_<name> commands of the action table that change annotations or move the selection."""

    # == gestures =====================================================================================
    def run_gesture(self, edits, description: str, then_select=None) -> bool:
        """Applies a gesture's edits as one undoable command; reports an EditError and changes nothing.

        ``then_select(edits)`` names the span to select afterwards, so the views refresh once."""
        if self.doc is None:
            return False
        if callable(edits):
            try:
                edits = edits()
            except E.EditError as exc:
                self.statusBar().showMessage(str(exc), 6000)
                return False
        edits = list(edits)
        if not edits:
            return False
        try:
            inverses = apply_gesture(self.doc, edits)
        except E.EditError as exc:
            self.statusBar().showMessage(f"{description}: {exc}", 6000)
            return False
        cmd = GestureCommand(self.doc, edits, inverses, description, self._after_edits)
        self.stack.push(cmd)
        self._after_edits(edits, then_select(edits) if then_select else None)
        return True

    def _after_edits(self, edits, select: tuple[str, str] | None = None):
        """Brings the index, tables and highlights in line with the doc after (un)doing ``edits``."""
        doc = self.doc
        changes = self.controller.after_edit(E.changes_of(edits))
        self._syncing = True
        try:
            self.quote_model.update_quotes(changes.of_kind("quote"))
        finally:
            self._syncing = False
        if any(k != "quote" for k, _ in changes.touched):
            self.quote_model.refresh_all_cells()
        for eid in doc.entities:
            self.colours.index(eid)
        if select is not None:
            self.select(*select, reveal=False, refresh=False)
        else:
            sel = self.selected
            self._sync_table_row(sel[1] if sel and sel[0] == "quote" else None)
        self._speaker_debounce.start()
        self.refresh_highlights()
        self._update_enabled()
        self._update_status()

    def _on_stack_index(self, _):
        self._autosave_debounce.start()
        self._update_title()

    def _need(self, kind: str | None = "quote"):
        """The selected span (of ``kind``), or None with a hint in the status bar."""
        sel = self.selected
        if sel is None or (kind is not None and sel[0] != kind):
            self.statusBar().showMessage(f"Select a {kind or 'span'} first (N / P, or click one)", 4000)
            return None
        return sel

    def _text_selection(self):
        s, e = self.article_view.selected_range()
        if e <= s:
            self.statusBar().showMessage("Select some article text first", 4000)
            return None
        # Marking trims surrounding whitespace (a double-click selection often carries a space) and,
        # unless the selection was made with Alt held, takes whole words, as a dragged boundary does.
        text = self.doc.article
        s, e = trim_span(text, s, e) if self.article_view.exact_selection else snap_span(text, s, e)
        return (s, e) if e > s else None

    def do_mark_quote(self):
        if self.doc is None or (span := self._text_selection()) is None:
            return
        self._clear_text_selection()
        qtype = quote_type_by_marks(self.doc, *span)
        self.run_gesture(lambda: E.mark_quote(self.doc, *span, type=qtype), f"Mark {qtype} quote",
                         then_select=lambda edits: ("quote", _added(edits, "quote")))

    def do_add_fragment(self):
        """Shift+Enter: the selected text becomes a further part of the selected quote."""
        if (sel := self._need("quote")) is None or (span := self._text_selection()) is None:
            return
        self._clear_text_selection()
        self.run_gesture(lambda: E.add_fragment(self.doc, sel[1], *span), "Add quote fragment",
                         then_select=lambda edits: ("quote", _added(edits, "quote")))

    def do_mark_mention(self):
        if self.doc is None or (span := self._text_selection()) is None:
            return
        text = " ".join(self.doc.article[span[0]:span[1]].split()).casefold()
        entity = next((e.id for e in self.doc.entities.values() if e.name.casefold() == text), None)
        target = self.selected if self.selected and self.selected[0] == "quote" else None

        def build():
            edits = E.mark_mention(self.doc, *span, entity=entity)
            q = self.doc.quotes.get(target[1]) if target else None
            if q is not None and q.mention is None:
                mid = E.changes_of(edits).first_added("mention", edits)
                edits.append(E.SetFields("quote", q.id, {"mention": mid}, description="Mark speaker"))
            return edits

        self._clear_text_selection()
        self.run_gesture(build, "Mark speaker",
                         then_select=lambda edits: target or ("mention", _added(edits, "mention")))

    def do_mark_cue(self):
        if self.doc is None or (span := self._text_selection()) is None:
            return
        target = self.selected[1] if self.selected and self.selected[0] == "quote" else None
        self._clear_text_selection()
        self.run_gesture(lambda: E.mark_cue(self.doc, *span, quote=target), "Mark cue",
                         then_select=lambda edits: ("quote", target) if target else ("cue", _added(edits, "cue")))

    def _clear_text_selection(self):
        cur = self.article_view.textCursor()
        cur.clearSelection()
        self.article_view.setTextCursor(cur)

    def do_cycle_type(self):
        if (sel := self._need("quote")) is None:
            return
        q = self.doc.quotes[sel[1]]
        nxt = QUOTE_TYPES[(QUOTE_TYPES.index(q.type) + 1) % len(QUOTE_TYPES)] if q.type in QUOTE_TYPES else QUOTE_TYPES[0]
        self.set_selected_type(nxt)

    def set_selected_type(self, qtype: str):
        if (sel := self._need("quote")) is None:
            return
        self.run_gesture(lambda: E.set_quote_type(self.doc, sel[1], qtype), f"Quote type: {qtype}")

    def do_link_mode(self):
        if self._need("quote") is None:
            return
        self.link_mode = True
        self.article_view.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        self.statusBar().showMessage("Link mode: click the speaker mention or the cue (Esc cancels)")

    def do_link_entity(self):
        if (sel := self._need("quote")) is None:
            return
        eid = self.prompts.pick_entity(self.doc, "Link quote to speaker")
        if eid:
            self.run_gesture(lambda: E.link_quote_to_entity(self.doc, sel[1], eid), "Change speaker")

    def do_accept(self):
        if (sel := self._need("quote")) is None:
            return
        edits = E.accept_quote(self.doc, sel[1])
        if not edits or self.run_gesture(edits, "Accept quote"):
            self.do_next_quote()

    def do_reject_or_delete(self):
        sel = self._need(None)
        if sel is None:
            return
        if sel[0] == "quote":
            q = self.doc.quotes[sel[1]]
            if needs_review(q):
                nxt = self._neighbour_quote(+1)
                if self.run_gesture(lambda: E.reject_quote(self.doc, q.id), "Reject quote") and nxt:
                    self.select("quote", nxt)
                return
        self.do_delete_span()

    def do_delete_span(self):
        sel = self._need(None)
        if sel is None:
            return
        kind, id = sel
        if kind == "quote":
            nxt = self._neighbour_quote(+1)
            if self.run_gesture(lambda: E.delete_quote(self.doc, id), "Delete quote") and nxt:
                self.select("quote", nxt)
        elif kind == "cue":
            self.run_gesture(lambda: E.delete_cue(self.doc, id), "Delete cue")
        elif kind == "mention":
            self.delete_mention(id)

    def delete_mention(self, mention_id: str):
        doc = self.doc
        m = doc.mentions[mention_id]
        users = [q for q in doc.quotes.values() if q.mention == mention_id or mention_id in q.extra_mentions]
        choice = "unlink"
        if users:
            others = [o for o in doc.mentions.values() if o.id != mention_id and o.entity == m.entity and m.entity]
            answer = self.prompts.ask_mention_quotes(doc.article[m.start:m.end], len(users), bool(others))
            if answer is None:
                return
            if answer == "relink":
                # The nearest other mention of the same speaker, before the mention if there is one.
                before = [o for o in others if o.start <= m.start]
                other = max(before, key=lambda o: o.start) if before else min(others, key=lambda o: o.start)
                choice = ("relink", other.id)
            else:
                choice = answer
        self.run_gesture(lambda: E.delete_mention(doc, mention_id, quotes=choice), "Delete speaker mention")

    def do_accept_all(self):
        if self.doc is not None:
            self.run_gesture(lambda: E.accept_all(self.doc), "Accept all suggestions")

    def do_mark_done(self):
        if self.doc is not None and self.run_gesture(lambda: E.set_doc_status(self.doc, "done"),
                                                     "Mark document reviewed"):
            if self.corpus_mode.showing_corpus_document():
                # 'done' is a decision about the corpus: the list and the statistics show it at once
                self.do_save()
            self.statusBar().showMessage("Document marked reviewed", 4000)

    def do_cancel(self):
        if self.link_mode:
            self.link_mode = False
            self.article_view.viewport().unsetCursor()
            self.statusBar().showMessage("Link cancelled", 3000)
        elif self.selected is not None:
            self.select(None, reveal=False)

    # -- boundaries ------------------------------------------------------------------------------------
    def move_selected_boundary(self, side: str, direction: int, unit: str):
        if (sel := self._need(None)) is None:
            return
        obj = self._span_obj(sel)
        new = boundary_step(self.doc.article, getattr(obj, side), side, direction, unit)
        self.run_gesture(lambda: E.move_boundary(self.doc, sel[0], sel[1], side, new),
                         f"Move {sel[0]} {side}")

    def do_start_left(self): self.move_selected_boundary("start", -1, "word")
    def do_start_right(self): self.move_selected_boundary("start", +1, "word")
    def do_end_left(self): self.move_selected_boundary("end", -1, "word")
    def do_end_right(self): self.move_selected_boundary("end", +1, "word")
    def do_start_left_char(self): self.move_selected_boundary("start", -1, "char")
    def do_start_right_char(self): self.move_selected_boundary("start", +1, "char")
    def do_end_left_char(self): self.move_selected_boundary("end", -1, "char")
    def do_end_right_char(self): self.move_selected_boundary("end", +1, "char")

    def set_boundary_at(self, side: str, offset: int):
        if (sel := self._need(None)) is None:
            return
        self.run_gesture(lambda: E.move_boundary(self.doc, sel[0], sel[1], side, offset), f"Move {sel[0]} {side}")

    def do_set_start_here(self):
        self.set_boundary_at("start", self.article_view.offsets.from_qt(self.article_view.textCursor().position()))

    def do_set_end_here(self):
        self.set_boundary_at("end", self.article_view.offsets.from_qt(self.article_view.textCursor().position()))

    def _on_boundary_dropped(self, side: str, offset: int, modifiers=Qt.KeyboardModifier.NoModifier):
        # Dropped inside a word, an edge snaps to the word's edge; Alt keeps the exact character.
        if self.doc is not None and not (modifiers & Qt.KeyboardModifier.AltModifier):
            offset = E.snap_to_word(self.doc.article, offset, side)
        self.set_boundary_at(side, offset)

    # -- navigation ------------------------------------------------------------------------------------
    def _neighbour_quote(self, step: int) -> str | None:
        """The quote after (step +1) or before (-1) the selection, in article order."""
        model = self.quote_model
        n = model.rowCount()
        if n == 0:
            return None
        sel = self.selected
        if sel and sel[0] == "quote" and model.row_of(sel[1]) >= 0:
            return model.quote_id(model.row_of(sel[1]) + step)
        obj = self._span_obj(sel)
        if obj is None:
            return model.quote_id(0 if step > 0 else n - 1)
        row = model.first_row_at_or_after(obj.start + (1 if step > 0 else 0))
        return model.quote_id(row if step > 0 else row - 1)

    def do_next_least_confident(self):
        """The next unreviewed suggestion in order of confidence, least confident first: the quotes
        most likely wrong are checked first. Wraps around; says so when none is left."""
        if self.doc is None:
            return
        order = least_confident_order(self.doc)
        if not order:
            self.statusBar().showMessage("Every quote is reviewed", 4000)
            return
        sel = self.selected
        nxt = order[0]
        if sel and sel[0] == "quote" and sel[1] in order:
            nxt = order[(order.index(sel[1]) + 1) % len(order)]
        self.select("quote", nxt)
        q = self.doc.quotes[nxt]
        self.statusBar().showMessage(
            f"Least confident unreviewed: confidence {q.confidence:.2f} ({len(order)} to review)", 4000)

    def do_next_quote(self):
        qid = self._neighbour_quote(+1)
        if qid:
            self.select("quote", qid)

    def do_previous_quote(self):
        qid = self._neighbour_quote(-1)
        if qid:
            self.select("quote", qid)

    # -- speakers -------------------------------------------------------------------------------------
    def do_rename_entity(self):
        ids = self._selected_entities()
        if not ids:
            self.statusBar().showMessage("Select a speaker first", 4000)
            return
        ent = self.doc.entities[ids[0]]
        name = self.prompts.ask_text("Rename speaker", "Name:", ent.name)
        if name:
            self.run_gesture(lambda: E.rename_entity(self.doc, ent.id, name), "Rename speaker")

    def do_merge_entity(self):
        ids = self._selected_entities()
        if not ids:
            self.statusBar().showMessage("Select a speaker first", 4000)
            return
        if len(ids) >= 2:
            keep, drops = ids[0], ids[1:]
        else:
            keep = self.prompts.pick_entity(self.doc, f"Merge {self.doc.entities[ids[0]].name} into…", exclude=ids[0])
            if not keep:
                return
            drops = ids

        def build():
            edits = []
            for d in drops:
                # Each builder sees the doc as the previous ones will leave it.
                step = E.merge_entities(self.doc, keep, d)
                edits += step
            return edits
        self._speaker_debounce.stop()
        if self.run_gesture(build, "Merge speakers"):
            self.speaker_model.recount()
            self.select_entities([keep])

    def do_split_entity(self):
        ids = self._selected_entities()
        if not ids:
            self.statusBar().showMessage("Select a speaker first", 4000)
            return
        eid = ids[0]
        mention_ids = self.prompts.pick_mentions(self.doc, eid)
        if not mention_ids:
            return
        m0 = self.doc.mentions[mention_ids[0]]
        name = self.prompts.ask_text("Split speaker", "Name of the new speaker:",
                                     " ".join(self.doc.article[m0.start:m0.end].split()))
        if name:
            self.run_gesture(lambda: E.split_entity(self.doc, eid, mention_ids, name), "Split speaker")
            self.speaker_model.recount()

    def _on_article_context(self, offset: int, global_pos: QPoint):
        menu = self.article_context_menu(offset)
        menu.exec(global_pos)

    def article_context_menu(self, offset: int) -> QMenu:
        """The article's right-click menu: mark, link, type, boundaries "here", delete."""
        self._context_offset = offset
        menu = QMenu(self)
        a = self.actions_by_name
        has_text = self.article_view.textCursor().hasSelection()
        for name in ("mark_quote", "mark_mention", "mark_cue"):
            a[name].setEnabled(has_text and self.doc is not None)
            menu.addAction(a[name])
        menu.addSeparator()
        if self.selected is not None:
            start_here = menu.addAction("Set start here")
            start_here.setObjectName("ctx_start_here")
            start_here.triggered.connect(lambda: self.set_boundary_at("start", offset))
            end_here = menu.addAction("Set end here")
            end_here.setObjectName("ctx_end_here")
            end_here.triggered.connect(lambda: self.set_boundary_at("end", offset))
            menu.addSeparator()
        for name in ("link_mode", "link_entity", "accept", "reject_or_delete", "delete_span"):
            menu.addAction(a[name])
        menu.addMenu(self.type_menu)
        return menu
