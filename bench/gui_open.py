"""Bench: open a 5-million-character page with 25k+ highlighted spans in the review window, then edit it.

Prints ONE JSON line: chars (article length), spans (quotes + mentions + cues), open_s (set both
texts and build the first highlights, painted), edit_ms (median of one gesture, mark quote or its
undo, then the event loop's repaint of what changed), rss_mb (resident memory after all that).
Run: python bench/gui_open.py   (offscreen; needs psutil)
     python bench/gui_open.py --dense   (no filler between quotes: about 75k spans)
"""
from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import main  # noqa: E402,F401  (the checkout becomes the quotedesk package)

TARGET_CHARS = 5_000_000
# Plain reporting between quotes, so that the page has about one quote per 600 characters.
FILLER = ("The meeting took place in the old customs hall, where members of the public filled the rows "
          "at the back and several local businesses had set up stands about their own plans for the "
          "waterfront. Attendance was higher than at any session last year, according to the minutes. ")
NAMES = ["Mara Quell", "Tomas Ribe", "Ines Vahl", "Oskar Dunne", "Lea Moreau", "Pavel Sorn", "Hana Eik"]


def synthetic_document(dense: bool = False):
    """An invented article built directly (no attribution): every unit has a quote, its speaker and cue."""
    from quotedesk.core.model import Cue, Document, Entity, Mention, Paragraph, Quote

    head = "Home | News | Sport | Weather\nAdvertisement\nSubscribe to our newsletter\n"
    parts, paragraphs, quotes, mentions, cues = [], [], {}, {}, {}
    entities = {f"e{i + 1}": Entity(f"e{i + 1}", n, "person") for i, n in enumerate(NAMES)}
    pos = 0
    n = 0
    while pos < TARGET_CHARS:
        n += 1
        name = NAMES[n % len(NAMES)]
        quote = f"The harbour plan number {n} will be reviewed before the council meets again in spring"
        text = (f"Officials met on Tuesday to discuss item {n} of the agenda. "
                f"\u201c{quote},\u201d said {name}, who chairs the committee. " + ("" if dense else FILLER))
        if n % 10 == 0:
            text += "\U0001F6A2 More follows below."
        q0 = pos + text.index(quote)
        c0 = pos + text.index("said", q0 - pos)
        m0 = pos + text.index(name, c0 - pos)
        mentions[f"m{n}"] = Mention(f"m{n}", m0, m0 + len(name), f"e{n % len(NAMES) + 1}")
        cues[f"c{n}"] = Cue(f"c{n}", c0, c0 + 4)
        quotes[f"q{n}"] = Quote(f"q{n}", q0, q0 + len(quote) + 1, "direct", f"m{n}", f"c{n}",
                                rule="direct:quote-cue-speaker", confidence=0.9)
        paragraphs.append(Paragraph(pos, pos + len(text), len(head) + pos, len(head) + pos + len(text)))
        parts.append(text)
        pos += len(text) + 1
    article = "\n".join(parts)
    raw = head + article + "\nRelated articles\nPoll: did you find this useful?\n"
    return Document(id="bench", raw=raw, article=article, paragraphs=paragraphs, entities=entities,
                    mentions=mentions, cues=cues, quotes=quotes, status="machine")


def main() -> int:
    import tempfile

    import psutil
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from quotedesk.gui.review_window import ReviewWindow
    from quotedesk.gui.settings import Settings
    from quotedesk.gui.testing import ScriptedPrompts

    app = QApplication.instance() or QApplication([])
    doc = synthetic_document(dense="--dense" in sys.argv[1:])
    spans = len(doc.quotes) + len(doc.mentions) + len(doc.cues)
    tmp = tempfile.mkdtemp(prefix="quotedesk-bench-")
    win = ReviewWindow(Settings(QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat)), ScriptedPrompts())
    win.resize(1400, 900)
    win.show()
    app.processEvents()

    t0 = time.perf_counter()
    win.set_document(doc)
    win.raw_view.viewport().repaint()
    win.article_view.viewport().repaint()
    open_s = time.perf_counter() - t0
    app.processEvents()

    # Edit in the middle of the page: select free text, mark it as a quote (Q), then undo.
    mid = doc.quotes[f"q{len(doc.quotes) // 2}"]
    start = doc.article.index("Officials met", mid.start - 200)
    win.select("quote", mid.id)
    app.processEvents()
    times = []
    for _ in range(15):
        win.article_view.select_range(start, start + len("Officials met"))
        app.processEvents()
        t0 = time.perf_counter()
        win.actions_by_name["mark_quote"].trigger()
        app.processEvents()  # paints the regions the edit invalidated
        times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        win.stack.undo()
        app.processEvents()
        times.append(time.perf_counter() - t0)
    rss = psutil.Process().memory_info().rss / 2**20
    print(json.dumps({"chars": len(doc.article), "spans": spans, "open_s": round(open_s, 3),
                      "edit_ms": round(statistics.median(times) * 1000, 2), "rss_mb": round(rss, 1)}))
    win.stack.setClean()
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
