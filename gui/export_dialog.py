"""Export and import of annotation sets from the GUI: the file dialogs, the writers/readers of
core.convert, and every problem shown in a message box instead of raised.

``show_error`` / ``show_info`` / ``ask_save`` / ``ask_open`` are module functions so tests (and a
headless caller) can replace them; the public functions look them up at call time.
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from quotedesk.core.convert import LOSSES, ConvertReport, detect_format, read_documents, write_documents
from quotedesk.core.model import Document

# (filter, format, Label Studio predictions) for the Save dialog, in the order it lists them.
EXPORT_FILTERS: tuple[tuple[str, str, bool], ...] = (
    ("QuoteDesk JSONL (*.jsonl)", "jsonl", False),
    ("brat standoff folder: type a folder name (*)", "brat", False),
    ("Label Studio tasks as annotations (*.json)", "labelstudio", False),
    ("Label Studio tasks as predictions (*.json)", "labelstudio", True),
    ("CSV for editors (*.csv)", "csv", False),
    ("QuoteDesk files, one per document: type a folder name (*)", "quotedesk", False),
    ("INCEpTION, one brat basic ZIP per document: type a folder name (*)", "inception", False),
)
# Writers that take a file; the rest write a folder.
SUFFIXES = {"jsonl": ".jsonl", "labelstudio": ".json", "csv": ".csv"}
FORMAT_NAMES = {"jsonl": "QuoteDesk JSONL", "brat": "brat standoff", "labelstudio": "Label Studio",
                "csv": "CSV", "quotedesk": "QuoteDesk files", "inception": "INCEpTION ZIPs"}

# A file dialog cannot offer "a file or a folder", so folder formats are picked through any file
# inside them: the filter chosen says the folder is meant.
ANY_FILTER = "Annotation sets (*.jsonl *.json *.csv *.ann)"
IMPORT_FILTERS: tuple[tuple[str, str | None], ...] = (
    (ANY_FILTER, None),
    ("QuoteDesk JSONL (*.jsonl)", "jsonl"),
    ("Label Studio tasks (*.json)", "labelstudio"),
    ("brat standoff folder: pick any .ann in it (*.ann)", "brat-folder"),
    ("Folder of QuoteDesk files: pick any one in it (*.quotedesk.json)", "quotedesk-folder"),
    ("One QuoteDesk file (*.quotedesk.json)", "quotedesk"),
    ("CSV for editors (*.csv)", "csv"),
    ("INCEpTION brat basic ZIP (*.zip)", "inception"),
)


# -- replaceable questions ------------------------------------------------------------------------

def show_error(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.critical(parent, title, text)


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def ask_save(parent: QWidget | None, preselect: str | None = None) -> tuple[str, str] | None:
    """(path, chosen filter) from a Save dialog, or None when cancelled."""
    filters = ";;".join(f for f, _, _ in EXPORT_FILTERS)
    path, chosen = QFileDialog.getSaveFileName(parent, "Export annotations", "", filters, preselect or "")
    return (path, chosen) if path else None


def ask_open(parent: QWidget | None, title: str = "Open annotation set") -> tuple[str, str] | None:
    """(path, chosen filter) from an Open dialog, or None when cancelled."""
    filters = ";;".join(f for f, _ in IMPORT_FILTERS)
    path, chosen = QFileDialog.getOpenFileName(parent, title, "", filters)
    return (path, chosen) if path else None


@contextmanager
def busy_cursor():
    """A wait cursor while a large set is read, written or compared on the UI thread."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


# -- choices to formats -------------------------------------------------------------------------

def export_choice(path: str, chosen_filter: str) -> tuple[str, str, bool]:
    """(path, format, predictions) for a Save dialog's answer; a missing suffix is added because
    not every platform's dialog adds it."""
    for text, fmt, predictions in EXPORT_FILTERS:
        if text == chosen_filter:
            break
    else:
        fmt, predictions = format_for_path(path), False
    suffix = SUFFIXES.get(fmt)
    if suffix and not path.lower().endswith(suffix):
        path += suffix
    return path, fmt, predictions


def format_for_path(path) -> str:
    """The export format a target path implies: by suffix, and a folder for a name without one."""
    name = Path(path).name.lower()
    for fmt, suffix in SUFFIXES.items():
        if name.endswith(suffix) and not name.endswith(".quotedesk.json"):
            return fmt
    if Path(path).suffix:
        raise ValueError(f"{path}: cannot tell the format from the name; choose one")
    return "brat"


def import_choice(path: str, chosen_filter: str | None) -> tuple[str, str | None]:
    """(path to read, format or None to detect) for an Open dialog's answer: a file inside a
    folder format means its folder."""
    kind = dict(IMPORT_FILTERS).get(chosen_filter or ANY_FILTER)
    p = Path(path)
    if kind == "brat-folder" or (kind is None and p.suffix.lower() == ".ann"):
        return str(p.parent), "brat"
    if kind == "quotedesk-folder":
        return str(p.parent), "quotedesk"
    return path, kind


def pick_annotation_set(parent: QWidget | None, title: str = "Open annotation set") -> tuple[str, str | None] | None:
    """(path, format or None) of an annotation set the user picks; None when cancelled."""
    answer = ask_open(parent, title)
    return import_choice(*answer) if answer else None


# -- the commands -------------------------------------------------------------------------------

def export_documents(parent: QWidget | None, docs: list[Document], fmt: str | None = None,
                     path: str | None = None, predictions: bool = False) -> str | None:
    """Write ``docs`` as ``fmt`` to ``path`` (asking for whichever is None); tells what the format
    cannot keep. Returns the path written (a file or folder), None when cancelled or failed."""
    if not docs:
        show_error(parent, "Export", "There are no documents to export.")
        return None
    try:
        if path is None:
            preselect = next((f for f, k, p in EXPORT_FILTERS if k == fmt and p == predictions), None)
            answer = ask_save(parent, preselect)
            if answer is None:
                return None
            path, fmt, predictions = export_choice(*answer)
        elif fmt is None:
            fmt = format_for_path(path)
        report = ConvertReport.of(docs, "quotedesk", fmt, "this window", str(path))
        with busy_cursor():
            report.written = write_documents(docs, path, fmt, predictions)
    # Broad on purpose: a failed export must leave the window running with the reason on screen.
    except Exception as e:  # noqa: BLE001
        show_error(parent, "Export failed", f"Could not export to {path}:\n{_reason(e)}")
        return None
    if LOSSES.get(fmt):
        report.notes.append(f"{FORMAT_NAMES.get(fmt, fmt)} does not keep: {LOSSES[fmt]}.")
    show_info(parent, "Export finished", export_message(report, predictions))
    return report.written[0] if fmt in SUFFIXES and report.written else str(path)


def export_message(report: ConvertReport, predictions: bool = False) -> str:
    what = " as predictions" if predictions else ""
    lines = [(f"Wrote {report.documents} document(s){what}: {report.quotes} quotes, {report.mentions} speaker "
              f"mentions, {report.cues} cues, {report.entities} speakers."),
             f"To: {report.output}"]
    if len(report.written) > 1:
        lines.append(f"{len(report.written)} files written.")
    return "\n".join(lines + report.notes)


def import_documents(parent: QWidget | None, path: str | None = None, fmt: str | None = None) -> list[Document]:
    """Every document of an annotation set in any supported format (asking for the path when None);
    [] when cancelled or unreadable, with the reason shown."""
    try:
        if path is None:
            picked = pick_annotation_set(parent)
            if picked is None:
                return []
            path, fmt = picked
        with busy_cursor():
            docs = list(read_documents(path, fmt or detect_format(path)))
    except Exception as e:  # noqa: BLE001 - reading user files fails in many ways; none may crash the window
        show_error(parent, "Import failed", f"Could not read {path}:\n{_reason(e)}")
        return []
    if not docs:
        show_error(parent, "Import", f"{path} holds no documents.")
    return docs


def _reason(e: Exception) -> str:
    if isinstance(e, OSError) and e.strerror:
        return f"{e.strerror} ({e.filename})" if e.filename else e.strerror
    return str(e) or type(e).__name__
