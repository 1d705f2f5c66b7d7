"""Document ids to file names that stay inside an output folder (the one function every writer uses).

An id is the file stem as it is when it is already a plain name (letters, digits, ``.``, ``_``,
``-``; not starting with a dot; not a name Windows reserves; at most ``MAX_STEM`` characters).
Any other id (``../../x``, ``/etc/passwd``, ``a/b``, ``..``, an empty id, a 5,000-character id) is
sanitised and given a short hash of the exact id, so that two different ids never share a file and
no name can climb out of the folder or hide itself.  This is the rule core/corpus.py has used for
its store, so existing stores keep their file names.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# A file system limit is 255 bytes a name; this leaves room for suffixes and temporary prefixes.
MAX_STEM = 200
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def file_stem(doc_id) -> str:
    """A file name stem for ``doc_id`` that is one plain name: no separator, no leading dot."""
    doc_id = str(doc_id)
    safe = _UNSAFE.sub("_", doc_id).strip("._") or "doc"
    if safe != doc_id or len(safe) > MAX_STEM or safe.split(".")[0].lower() in _RESERVED:
        digest = hashlib.sha1(doc_id.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        safe = f"{safe[:80]}-{digest}"
    return safe


def path_in(folder, doc_id, suffix: str = "") -> Path:
    """``folder / (file_stem(doc_id) + suffix)``: always a direct child of ``folder``."""
    if "/" in suffix or "\\" in suffix or suffix.startswith(".."):
        raise ValueError(f"a suffix, not a path: {suffix!r}")
    return Path(folder) / (file_stem(doc_id) + suffix)
