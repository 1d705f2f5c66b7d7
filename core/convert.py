"""Converting annotated documents between QuoteDesk's files and the exchange formats (JSONL, brat,
Label Studio, CSV), with the input format recognised from the path when not given."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

FORMATS = ("jsonl", "brat", "labelstudio", "csv", "quotedesk")
# What each target cannot hold, said once in the report rather than discovered later.
LOSSES = {
    "jsonl": "raw page and paragraph structure (the text becomes the article)",
    "brat": "raw page, entities without mentions (ids and status ride in quotedesk-documents.json)",
    "labelstudio": "raw page (entity ids survive only in QuoteDesk's region notes)",
    "csv": "raw page, mentions and cues not linked to a quote, mention kinds",
    "quotedesk": "",
}


class ConvertError(ValueError):
    pass


@dataclass
class ConvertReport:
    from_fmt: str
    to_fmt: str
    input: str
    output: str
    documents: int = 0
    quotes: int = 0
    mentions: int = 0
    cues: int = 0
    entities: int = 0
    written: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, docs, from_fmt: str, to_fmt: str, input: str, output: str) -> "ConvertReport":
        """A report counting what ``docs`` hold, before anything is written."""
        return cls(from_fmt, to_fmt, input, output, documents=len(docs),
                   quotes=sum(len(d.quotes) for d in docs), mentions=sum(len(d.mentions) for d in docs),
                   cues=sum(len(d.cues) for d in docs), entities=sum(len(d.entities) for d in docs))

    def __str__(self) -> str:
        lines = [f"converted {self.documents} documents from {self.from_fmt} ({self.input}) to {self.to_fmt} "
                 f"({self.output}): {self.quotes} quotes, {self.mentions} speaker mentions, {self.cues} cues, "
                 f"{self.entities} entities"]
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)


def detect_format(path) -> str:
    """The format of ``path`` from its extension or, for a folder, from the files in it."""
    path = Path(path)
    if path.is_dir():
        if any(path.glob("*.ann")):
            return "brat"
        if any(path.glob("*.quotedesk.json")):
            return "quotedesk"
        raise ConvertError(f"{path}: a folder with neither .ann (brat) nor .quotedesk.json files")
    name = path.name.lower()
    if name.endswith(".quotedesk.json"):
        return "quotedesk"
    if name.endswith(".jsonl"):
        return "jsonl"
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".ann"):
        return "brat"
    if name.endswith(".json"):
        try:
            with open(path, encoding="utf-8") as f:
                head = json.load(f)
        except (OSError, ValueError) as e:  # ValueError: not JSON, or not UTF-8 at all
            raise ConvertError(f"{path}: cannot tell its format: {_unreadable(path, e)}") from None
        if isinstance(head, dict) and head.get("format") == "quotedesk":
            return "quotedesk"
        if isinstance(head, list) or (isinstance(head, dict) and "data" in head):
            return "labelstudio"
    raise ConvertError(f"{path}: cannot tell its format; give --from")


def read_documents(path, fmt: str):
    """Every document at ``path`` in format ``fmt``; a file that is not UTF-8 text or not JSON raises
    ConvertError naming it, rather than a bare codec or parser message."""
    try:
        return _read_documents(Path(path), fmt)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ConvertError(f"{path}: {_unreadable(path, e)}") from None


def _unreadable(path, e: Exception) -> str:
    if isinstance(e, UnicodeDecodeError):
        from .readers import binary_kind

        kind = None
        if Path(path).is_file():
            with open(path, "rb") as f:
                kind = binary_kind(f.read(8192))
        if kind:
            return f"not text: it looks like {kind}"
        where = "a file in it is" if Path(path).is_dir() else "it is"
        # No byte offset: text streams decode in chunks, so e.start is not a position in the file.
        return f"{where} not UTF-8 text; save it as UTF-8"
    if isinstance(e, json.JSONDecodeError):
        return f"not valid JSON at line {e.lineno} column {e.colno}: {e.msg}"
    return str(e)


def _read_documents(path: Path, fmt: str):
    from .annotation_file import load_document

    if fmt == "jsonl":
        from .formats.jsonl import read_jsonl
        return list(read_jsonl(path))
    if fmt == "brat":
        from .formats.brat import ann_to_document, read_brat
        if path.is_file():  # a single .ann
            txt = path.with_suffix(".txt")
            with open(txt, encoding="utf-8", newline="") as f_txt, open(path, encoding="utf-8", newline="") as f_ann:
                return [ann_to_document(path.stem, f_txt.read(), f_ann.read(), str(path))]
        return list(read_brat(path))
    if fmt == "labelstudio":
        from .formats.labelstudio import read_labelstudio
        return list(read_labelstudio(path))
    if fmt == "csv":
        from .formats.csv_quotes import read_csv
        return list(read_csv(path))
    if fmt == "quotedesk":
        if path.is_dir():
            return [load_document(p) for p in sorted(path.glob("*.quotedesk.json"))]
        return [load_document(path)]
    raise ConvertError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")


def write_documents(docs, path, fmt: str, predictions: bool = False) -> list[str]:
    path = Path(path)
    if fmt == "jsonl":
        from .formats.jsonl import write_jsonl
        write_jsonl(docs, path)
        return [str(path)]
    if fmt == "brat":
        from .formats.brat import write_brat
        return [str(p) for p in write_brat(docs, path)]
    if fmt == "labelstudio":
        from .formats.labelstudio import write_labelstudio
        if path.is_dir() or not path.suffix:
            path = path / "tasks.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_labelstudio(docs, path, predictions=predictions)
        return [str(path)]
    if fmt == "csv":
        from .formats.csv_quotes import texts_path, write_csv
        path.parent.mkdir(parents=True, exist_ok=True)
        write_csv(docs, path)
        return [str(path), str(texts_path(path))]
    if fmt == "quotedesk":
        from .annotation_file import SUFFIX, save_document
        from .formats.brat import safe_name
        out, used = [], set()
        for d in docs:
            stem = safe_name(d.id)
            while stem in used:
                stem += "_"
            used.add(stem)
            out.append(str(save_document(d, path / (stem + SUFFIX))))
        return out
    raise ConvertError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")


def convert(in_path, out_path, from_fmt: str | None = None, to_fmt: str = "jsonl",
            predictions: bool = False) -> ConvertReport:
    """Read every document at ``in_path`` and write them to ``out_path`` in ``to_fmt``.

    ``predictions`` writes Label Studio ``predictions`` (a model's suggestions) instead of
    ``annotations``."""
    if to_fmt not in FORMATS:
        raise ConvertError(f"unknown format {to_fmt!r} (expected one of {', '.join(FORMATS)})")
    from_fmt = from_fmt or detect_format(in_path)
    docs = read_documents(in_path, from_fmt)
    report = ConvertReport.of(docs, from_fmt, to_fmt, str(in_path), str(out_path))
    report.written = write_documents(docs, out_path, to_fmt, predictions)
    if LOSSES.get(to_fmt) and to_fmt != from_fmt:
        report.notes.append(f"{to_fmt} does not keep: {LOSSES[to_fmt]}")
    return report
