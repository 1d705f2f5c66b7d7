"""Helpers for driving the review window in tests: scripted prompts, a throwaway settings file, a sample doc."""
from __future__ import annotations

import copy
from pathlib import Path

from PySide6.QtCore import QSettings

from quotedesk.core.model import Cue, Document, Entity, Mention, Paragraph, Quote

from .settings import Settings


class ScriptedPrompts:
    """Answers the window's questions from attributes tests set; records what was asked."""

    def __init__(self):
        self.errors: list[tuple[str, str]] = []
        self.asked: list[str] = []
        self.recover = False
        self.save_changes = "discard"
        self.mention_quotes = "unlink"
        self.entity: str | None = None
        self.mentions: list[str] = []
        self.text: str | None = None
        self.open: list[str] = []
        self.save: str | None = None

    def error(self, title, message):
        self.errors.append((title, message))

    def ask_recover(self, autosave, original):
        self.asked.append("recover")
        return self.recover

    def ask_save_changes(self, name):
        self.asked.append("save_changes")
        return self.save_changes

    def ask_mention_quotes(self, text, n, can_relink):
        self.asked.append("mention_quotes")
        return self.mention_quotes

    def pick_entity(self, doc, title, exclude=None):
        self.asked.append("pick_entity")
        return self.entity

    def pick_mentions(self, doc, entity_id):
        self.asked.append("pick_mentions")
        return list(self.mentions)

    def ask_text(self, title, label, text=""):
        self.asked.append("text")
        return self.text

    def open_paths(self, start_dir):
        return list(self.open)

    def save_path(self, suggested):
        return self.save


def temp_settings(folder) -> Settings:
    return Settings(QSettings(str(Path(folder) / "quotedesk-test.ini"), QSettings.Format.IniFormat))


def snapshot(doc: Document):
    """A deep copy plus the key order of each pool (dataclass == ignores dict order)."""
    return (copy.deepcopy(doc), [list(doc.quotes), list(doc.mentions), list(doc.cues), list(doc.entities)])


def emoji_document() -> Document:
    """An invented two-paragraph story with emoji (astral characters) before and inside its quotes."""
    paras = [
        "🚢🚢 PORT VELL (NWS) - “We will 🚀 reopen the quay by June,” said Ana Ferreira, the harbour chief.",
        "She said 🎉 costs would fall. 🙂 Critics were unmoved: “Not before the audit,” Rui Sol told reporters.",
    ]
    head = "Menu | News 🍔 | Sport\nAdvertisement\n"
    article = "\n\n".join(paras)
    raw = head + article + "\nRelated: 👍 other stories\n"
    paragraphs, pos = [], 0
    for p in paras:
        paragraphs.append(Paragraph(start=pos, end=pos + len(p), raw_start=len(head) + pos,
                                    raw_end=len(head) + pos + len(p)))
        pos += len(p) + 2
    doc = Document(id="emoji", raw=raw, article=article, paragraphs=paragraphs)

    def span(text, nth=0):
        i = -1
        for _ in range(nth + 1):
            i = article.index(text, i + 1)
        return i, i + len(text)

    doc.entities = {"e1": Entity("e1", "Ana Ferreira", "person"), "e2": Entity("e2", "Rui Sol", "person")}
    s, e = span("Ana Ferreira")
    doc.mentions["m1"] = Mention("m1", s, e, "e1")
    s, e = span("She")
    doc.mentions["m2"] = Mention("m2", s, e, "e1", kind="pronoun")
    s, e = span("Rui Sol")
    doc.mentions["m3"] = Mention("m3", s, e, "e2")
    for cid, text in (("c1", "said"), ("c2", "told")):
        s, e = span(text)
        doc.cues[cid] = Cue(cid, s, e)
    s, e = span("said", 1)
    doc.cues["c3"] = Cue("c3", s, e)
    s, e = span("We will 🚀 reopen the quay by June,")
    doc.quotes["q1"] = Quote("q1", s, e, "direct", "m1", "c1", rule="direct:quote-cue-speaker", confidence=0.95)
    s, e = span("🎉 costs would fall")
    doc.quotes["q2"] = Quote("q2", s, e, "indirect", "m2", "c3", rule="indirect:speaker-cue-clause", confidence=0.7)
    s, e = span("Not before the audit,")
    doc.quotes["q3"] = Quote("q3", s, e, "direct", "m3", "c2", rule="direct:quote-cue-speaker", confidence=0.9)
    doc.status = "machine"
    return doc
