"""The review window's file handling: open (pages read and analysed off the UI thread when long),
save, autosave and recovery, closing, and drops (a mixin of ReviewWindow)."""
from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtGui import QGuiApplication

from quotedesk.core.annotation_file import SUFFIX, AnnotationFileError, autosave_path, load_document, save_document
from quotedesk.core.model import Document

from .text_views import OWN_SELECTION_MIME
from .window_views import escape_text
from .worker import submit


AUTOSAVE_SUFFIX = ".autosave.json"
# Pages this long are analysed in a worker thread so the window stays responsive.
BACKGROUND_CHARS = 20_000
# Page files this large are read (decoded, un-gzipped) in the worker too, not only analysed there.
BACKGROUND_BYTES = 1_000_000
# Texts this long are put into the views' documents by the worker too (the UI thread only adopts them).
PREPARE_CHARS = 2_000_000


def analyze_page(raw: str, kind: str, doc_id: str, source: str | None) -> Document:
    from quotedesk.core.pipeline import analyze
    return analyze(raw, kind, doc_id, source)


def read_and_analyze(path: str, font: tuple[str, int] | None = None):
    """A page file read and analysed (in a worker thread): the Document (with its long texts
    laid out for the views when ``font`` is given), or ("error", message) when the file cannot
    be read, a message for people, never a traceback."""
    from quotedesk.core.readers import ReadError, read_path
    try:
        rec = read_path(path)
    except (ReadError, OSError) as exc:
        return ("error", str(exc))
    return analyze_and_prepare(rec.text, rec.kind, rec.id, rec.source, font)


def analyze_and_prepare(raw: str, kind: str, doc_id: str, source: str | None, font: tuple[str, int] | None = None):
    """``analyze_page`` plus, for texts of ``PREPARE_CHARS`` or more, their Qt documents built in
    this (worker) thread: ("prepared", doc, {"raw": PreparedText, "article": ...})."""
    doc = analyze_page(raw, kind, doc_id, source)
    if font is None:
        return doc
    from .text_views import PreparedText
    prepared = {name: PreparedText(text, *font) for name, text in (("raw", doc.raw), ("article", doc.article))
                if len(text) >= PREPARE_CHARS}
    return ("prepared", doc, prepared) if prepared else doc


def default_save_path(source: str | None) -> str | None:
    """Where a page's annotations go unless the user says otherwise: ``<page>.quotedesk.json``."""
    if not source:
        return None
    p = Path(source)
    if p.name.endswith(SUFFIX):
        return str(p)
    stem = p.name.removesuffix(".gz")
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    return str(p.with_name(stem + SUFFIX))


class WindowFiles:
    """Opening, saving, autosave and recovery of the window's document."""

    # == files ========================================================================================
    def do_open(self):
        start = str(Path(self.page_path).parent) if self.page_path else str(Path.home())
        for path in self.prompts.open_paths(start):
            self.open_path(path)
            break

    def open_path(self, path: str) -> bool:
        """Opens an annotation file or a page (analysed in a worker when long); errors go to a dialog."""
        if self.corpus_mode.is_corpus_path(path):
            return self.corpus_mode.open_corpus(path)
        if not self.maybe_save():
            return False
        path = str(path)
        if path.endswith((SUFFIX, ".json")):
            try:
                doc = load_document(path)
            except (AnnotationFileError, OSError, ValueError) as exc:
                self.prompts.error("Cannot open annotation file", str(exc))
                return False
            if path.endswith(AUTOSAVE_SUFFIX):
                # An autosave is recovered work, never a file to save over.
                self.set_document(doc, save_path=None, page_path=doc.source)
                self._recovered_from = path
                self.mark_recovered()
                return True
            recovered = self.maybe_recover(path, path)
            if recovered is not None:
                doc = recovered
            self.set_document(doc, save_path=path, page_path=doc.source)
            if recovered is not None:
                self.mark_recovered()
            self.remember(path)
            return True
        from quotedesk.core.readers import ReadError, read_path
        try:
            size = os.path.getsize(path)
        except OSError:
            size = 0
        rec = None
        if size < BACKGROUND_BYTES:
            try:
                rec = read_path(path)
            except (ReadError, OSError) as exc:
                self.prompts.error("Cannot open page", str(exc))
                return False
        target = default_save_path(path)
        recovered = self.maybe_recover(target, path)
        if recovered is not None:
            self.set_document(recovered, save_path=None, page_path=path)
            self.mark_recovered()
        elif rec is not None:
            self.start_analysis(rec.text, rec.kind, rec.id, rec.source)
        else:
            # A big page: the window names it and shows it is busy while a worker reads and analyses.
            self._show_loading(path, size)
            self._analysis_generation += 1
            self._task = submit(read_and_analyze, path, self._view_font(), tag=self._analysis_generation,
                                on_done=self._on_task_done, on_error=self._on_task_failed)
        self.remember(path)
        return True

    def _show_loading(self, name: str, size: int | None = None) -> None:
        """The page's name in the title and header, a busy bar and a message while it loads."""
        self.busy = True
        self.loading = Path(name).name if name else "page"
        what = self.loading + (f" ({size / 1e6:.1f} MB)" if size else "")
        self.setWindowTitle(f"{self.loading} (loading) — QuoteDesk")
        self.header.setText(f"<i>Loading {escape_text(what)}: reading, extracting the article and finding "
                            "the quotes…</i>")
        self.progress.show()
        self.statusBar().showMessage(f"Loading {what}…")
        self.article_view.setPlaceholderText(f"Loading {what}…")
        self._update_enabled()

    def set_saver(self, saver) -> None:
        """``saver(doc, path)`` writes the document on Save (corpus mode routes its documents
        through the corpus); the default writes the annotation file."""
        self.saver = saver

    def remember(self, path: str):
        """Adds ``path`` to Open recent."""
        self.settings.add_recent(str(Path(path).resolve()))
        self._rebuild_recent_menu()

    def _rebuild_recent_menu(self):
        self.recent_menu.clear()
        for p in self.settings.get("recent_files"):
            act = self.recent_menu.addAction(p)
            act.triggered.connect(lambda _=False, p=p: self.open_path(p))
        self.recent_menu.setEnabled(bool(self.settings.get("recent_files")))

    def start_analysis(self, raw: str, kind: str, doc_id: str, source: str | None) -> None:
        """Extraction and attribution, in a pool thread for long pages; ``document_ready`` fires at the end."""
        self._show_loading(source or doc_id, len(raw) if len(raw) >= BACKGROUND_CHARS else None)
        self.statusBar().showMessage(f"Analysing {source or doc_id}…")
        if len(raw) < BACKGROUND_CHARS:
            self._analysis_generation += 1
            try:
                doc = analyze_page(raw, kind, doc_id, source)
            except Exception as exc:  # noqa: BLE001 - any failure on any page goes to a dialog, never a crash
                self._analysis_failed(f"{type(exc).__name__}: {exc}")
            else:
                self._analysis_done(doc)
            return
        self._analysis_generation += 1
        generation = self._analysis_generation
        self._task = submit(analyze_and_prepare, raw, kind, doc_id, source, self._view_font(), tag=generation,
                            on_done=self._on_task_done, on_error=self._on_task_failed)

    def _view_font(self) -> tuple[str, int]:
        return (self.settings.get("font_family"), self.settings.get("font_size"))

    def _on_task_done(self, generation, doc):
        if generation == self._analysis_generation:
            self._analysis_done(doc)

    def _on_task_failed(self, generation, message: str):
        if generation == self._analysis_generation:
            self._analysis_failed(message)

    def _analysis_done(self, doc):
        prepared = None
        if isinstance(doc, tuple) and doc[0] == "prepared":
            _, doc, prepared = doc
        elif isinstance(doc, tuple):  # read_and_analyze could not read the page
            self._analysis_failed(doc[1], "Cannot open page")
            return
        self.article_view.setPlaceholderText("")
        self.busy = False
        self.loading = None
        self._task = None
        self.progress.hide()
        self.statusBar().showMessage(f"{len(doc.quotes)} quotes found", 4000)
        self.set_document(doc, save_path=None, page_path=doc.source, prepared=prepared)

    def _analysis_failed(self, message: str, title: str = "Analysis failed"):
        self.busy = False
        self.loading = None
        self._task = None
        self.progress.hide()
        self.article_view.setPlaceholderText("")
        self.statusBar().clearMessage()
        self._update_enabled()
        self._update_title()
        self._update_header()
        self.prompts.error(title, message)

    def do_recover(self):
        """Lists the autosaves of documents never saved (pasted or dropped text) to reopen one."""
        from quotedesk.core.annotation_file import user_data_dir
        folder = user_data_dir() / "autosave"
        folder.mkdir(parents=True, exist_ok=True)
        for path in self.prompts.open_paths(str(folder)):
            self.open_path(path)
            break

    def do_paste_page(self):
        self.open_text(QGuiApplication.clipboard().text(), "clipboard")

    def open_text(self, text: str, origin: str) -> bool:
        """A new document from page text (pasted or dropped), analysed like a page read from disk."""
        if not text.strip():
            self.statusBar().showMessage(f"The {origin} holds no text", 4000)
            return False
        if not self.maybe_save():
            return False
        from quotedesk.core.readers import looks_like_html
        from quotedesk.core.textmap import normalize_newlines
        text = normalize_newlines(text)[0]
        kind = "html" if looks_like_html(text) else "text"
        self.start_analysis(text, kind, f"{origin}-{time.strftime('%Y%m%d-%H%M%S')}", None)
        return True

    def do_save(self) -> bool:
        if self.doc is None:
            return False
        if not self.save_path:
            return self.do_save_as()
        return self.save_to(self.save_path)

    def do_save_as(self) -> bool:
        if self.doc is None:
            return False
        suggested = self.save_path or default_save_path(self.page_path) or str(Path.home() / (self.doc.id + SUFFIX))
        path = self.prompts.save_path(suggested)
        if not path:
            return False
        if not path.endswith(SUFFIX):
            path = path[:-5] + SUFFIX if path.endswith(".json") else path + SUFFIX
        return self.save_to(path)

    def save_to(self, path: str) -> bool:
        old_autosave = self.autosave_file()
        try:
            self.saver(self.doc, path)
        except (OSError, ValueError) as exc:
            self.prompts.error("Cannot save", f"{path}: {exc}")
            return False
        self.save_path = path
        self.stack.setClean()
        recovered, self._recovered_from = self._recovered_from, None
        for p in {old_autosave, self.autosave_file(), recovered}:
            _remove_quietly(p)
        if not self.corpus_mode.owns(path):  # the corpus itself is what Open recent remembers
            self.remember(path)
        self._update_title()
        self._update_status()
        self.statusBar().showMessage(f"Saved {path}", 4000)
        self.saved.emit(path)
        return True

    # -- autosave and recovery ----------------------------------------------------------------------
    def autosave_file(self) -> Path | None:
        if self.doc is None:
            return None
        target = self.save_path or default_save_path(self.page_path)
        return autosave_path(target, self.doc.id)

    def autosave(self) -> Path | None:
        """Writes the unsaved state to the sidecar; nothing when the doc is clean."""
        if self.doc is None or self.stack.isClean():
            return None
        path = self.autosave_file()
        state = (self.stack.index(), str(path))
        if state == self._autosaved and path.exists():
            return path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            save_document(self.doc, path)
        except (OSError, ValueError) as exc:
            self.statusBar().showMessage(f"Autosave failed: {exc}", 6000)
            return None
        self._autosaved = state
        return path

    def maybe_recover(self, target: str | None, original: str) -> Document | None:
        """The autosave of ``target`` when it is newer than ``original`` and the user wants it back."""
        side = autosave_path(target) if target else None
        if side is None or not side.exists():
            return None
        try:
            newer = side.stat().st_mtime >= Path(original).stat().st_mtime
        except OSError:
            newer = True
        if not newer:
            return None
        if not self.prompts.ask_recover(str(side), original):
            return None
        try:
            return load_document(side)
        except AnnotationFileError as exc:
            self.prompts.error("Cannot recover autosave", str(exc))
            return None

    def mark_recovered(self):
        """Keeps a recovered document "modified" until it is saved."""
        # The recovered state differs from the file on disk: keep it "modified" until saved.
        self.stack.resetClean()
        self._update_title()
        self.statusBar().showMessage("Recovered unsaved work from the autosave", 6000)

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current doc (saved, discarded, or nothing to lose)."""
        if self.doc is None or self.stack.isClean():
            return True
        answer = self.prompts.ask_save_changes(self.windowTitle().replace("[*]", "").split(" — ")[0])
        if answer == "save":
            return self.do_save()
        if answer == "discard":
            _remove_quietly(self.autosave_file())
            self.stack.setClean()
            return True
        return False

    def closeEvent(self, ev):
        if self.maybe_save():
            self._autosave_debounce.stop()
            self.save_layout()
            self.corpus_mode.close()
            ev.accept()
        else:
            ev.ignore()

    def do_close_window(self):
        self.close()

    def do_quit(self):
        from PySide6.QtWidgets import QApplication
        QApplication.closeAllWindows()

    # -- drag and drop -----------------------------------------------------------------------------
    @staticmethod
    def _droppable(ev) -> bool:
        """Files, or page text from another program; never text dragged out of our own views
        (a selection dragged a few pixels would otherwise replace the document)."""
        md = ev.mimeData()
        if md.hasFormat(OWN_SELECTION_MIME) or ev.source() is not None:
            return False
        return md.hasUrls() or md.hasText()

    def dragEnterEvent(self, ev):
        if self._droppable(ev):
            ev.acceptProposedAction()
        else:
            ev.ignore()

    def dragMoveEvent(self, ev):
        if self._droppable(ev):
            ev.acceptProposedAction()
        else:
            ev.ignore()

    def dropEvent(self, ev):
        md = ev.mimeData()
        if not self._droppable(ev):
            ev.ignore()
            return
        if md.hasUrls():
            for url in md.urls():
                if url.isLocalFile():
                    self.open_path(url.toLocalFile())
                    break
            ev.acceptProposedAction()
        elif md.hasText():
            self.open_text(md.text(), "dropped text")
            ev.acceptProposedAction()


def _remove_quietly(path):
    if path is None:
        return
    try:
        os.remove(path)
    except OSError:
        pass
