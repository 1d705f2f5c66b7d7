"""INCEpTION: one ZIP per document in the "brat basic" layout its importer takes.

INCEpTION reads brat only as "brat basic", and a document's text and annotations must arrive
together, so each document becomes ``<stem>.zip`` holding ``<stem>.txt`` (the article, byte for
byte), ``<stem>.ann`` (the same standoff core.formats.brat writes: T, R, A and # lines only, no
``*``) and ``annotation.conf`` declaring Quote / Speaker / Cue, SaidBy / CueOf / Coref and the
QuoteType / Suggested attributes.  Upload the ZIPs with the format "brat basic"; a ZIP read back
(``read_inception``) gives the same documents as the brat folder would.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Iterable, Iterator

from ..atomic import atomic_write_bytes
from ..model import Document
from . import resource_bytes, utf8_safe
from .brat import BratError, ann_to_document, document_to_ann, unique_stems

CONF = "annotation.conf"
# A fixed timestamp: the same documents give byte-identical ZIPs.
_DATE = (2020, 1, 1, 0, 0, 0)


class InceptionError(BratError):
    """A ZIP that is not one document in brat basic layout."""


def document_zip(doc: Document, stem: str, conf: bytes) -> bytes:
    """The ZIP of one document: ``<stem>.txt``, ``<stem>.ann`` and ``annotation.conf``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name, data in ((f"{stem}.txt", utf8_safe(doc.article).encode("utf-8")),
                           (f"{stem}.ann", utf8_safe(document_to_ann(doc)).encode("utf-8")),
                           (CONF, conf)):
            info = zipfile.ZipInfo(name, _DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return buf.getvalue()


def write_inception(docs: Iterable[Document], folder) -> list[Path]:
    """Write ``<stem>.zip`` per document into ``folder``; returns the ZIPs' paths."""
    folder = Path(folder)
    conf = resource_bytes(f"brat/{CONF}")  # before anything is written
    docs = list(docs)
    zips = [(stem, document_zip(doc, stem, conf)) for doc, stem in zip(docs, unique_stems(docs))]
    folder.mkdir(parents=True, exist_ok=True)
    return [atomic_write_bytes(folder / f"{stem}.zip", data) for stem, data in zips]


def read_inception_zip(path) -> Document:
    """The document of one brat basic ZIP (as written here, or exported by INCEpTION)."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as z:
            names = [n for n in z.namelist() if not n.endswith("/")]
            anns = [n for n in names if n.endswith(".ann")]
            if len(anns) != 1:
                raise InceptionError(f"{path}: expected one .ann file in the ZIP, found {len(anns)}")
            txt = anns[0][:-4] + ".txt"
            if txt not in names:
                raise InceptionError(f"{path}: {anns[0]} has no {txt} beside it in the ZIP")
            from ..readers import MAX_PAGE_BYTES

            for name in (txt, anns[0]):
                if z.getinfo(name).file_size > MAX_PAGE_BYTES:  # checked before inflating it
                    raise InceptionError(f"{path}: {name} inflates past {MAX_PAGE_BYTES // 2 ** 20} MB; "
                                         "not a document")
            text = z.read(txt).decode("utf-8")
            ann = z.read(anns[0]).decode("utf-8")
    except zipfile.BadZipFile:
        raise InceptionError(f"{path}: not a ZIP file") from None
    except UnicodeDecodeError:
        raise InceptionError(f"{path}: a file in the ZIP is not UTF-8 text") from None
    stem = Path(anns[0]).stem
    return ann_to_document(stem, text, ann, source=f"{path}:{anns[0]}")


def read_inception(path) -> Iterator[Document]:
    """One ZIP, or every ``*.zip`` of a folder (sorted by name)."""
    path = Path(path)
    for p in sorted(path.glob("*.zip")) if path.is_dir() else [path]:
        yield read_inception_zip(p)
