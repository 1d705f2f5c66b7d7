"""Atomic file writes: a save either lands whole or leaves the old file untouched.

- The new file gets the mode a plain ``open(path, "w")`` would give it: an existing file keeps
  its mode (and, where allowed, its group); a new one gets ``0666 & ~umask`` (mkstemp alone
  makes every file 0600, which a shared folder or a team cannot read).
- Saving through a symlink replaces the link's target; the link stays a link.
- The temporary file (``.<name>.<pid>.<random>.tmp`` beside the target) is removed when the
  write fails; one a killed process left behind (its process is gone, or it is a day old) is
  removed the next time that file is written.
- A write that fails (disk full, read-only folder, permission) raises OSError whose
  ``filename`` is the target, so the message names the file the user asked for.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import time
from pathlib import Path

STALE_AFTER_S = 24 * 3600
_SURROGATE = re.compile("[\ud800-\udfff]")
_SPLIT_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def _umask() -> int:
    try:  # Linux: read it without changing it (os.umask is process-wide and not thread-safe)
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def clean_stale_temporaries(path) -> int:
    """Remove the temporary files that writes of ``path`` left behind when killed; how many."""
    path = Path(path)
    prefix = f".{path.name}."
    removed = 0
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return 0
    now = time.time()
    for entry in entries:
        name = entry.name
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        middle = name[len(prefix):-4]
        pid_part = middle.split(".", 1)[0]
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        stale = age > STALE_AFTER_S or (pid_part.isdigit() and "." in middle and not _pid_alive(int(pid_part)))
        if stale:
            try:
                os.unlink(entry.path)
                removed += 1
            except OSError:
                pass
    return removed


def _target(path: Path) -> Path:
    """Where the bytes go: the final target of a symlink (relative links resolved), else ``path``."""
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return path


def _new_mode(target: Path) -> tuple[int, int | None]:
    """The mode (and group) the new file gets: the existing file's, else what the umask allows."""
    try:
        st = os.stat(target)
        return st.st_mode & 0o7777, st.st_gid
    except FileNotFoundError:
        return 0o666 & ~_umask(), None


def apply_mode(fd: int, target) -> None:
    """Give the open temporary file ``fd`` the mode (and group) that ``target`` should end with:
    for writers that make their own temporary file (mkstemp makes 0600) and rename it over ``target``."""
    if not hasattr(os, "fchmod"):
        return
    mode, gid = _new_mode(_target(Path(target)))
    os.fchmod(fd, mode)
    if gid is not None and hasattr(os, "fchown"):
        try:
            os.fchown(fd, -1, gid)
        except OSError:
            pass


def _sync_folder(folder: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable where the OS allows it
        try:
            dfd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
        except OSError:
            pass


@contextlib.contextmanager
def atomic_open(path, mode: str = "w", encoding: str | None = "utf-8", errors: str | None = None):
    """A file to write ``path`` through: it appears whole (renamed over ``path``) when the block ends
    without an error; on an error the old file stays and the temporary one is removed.  An OSError
    names ``path``."""
    path = Path(path)
    target = _target(path)
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        clean_stale_temporaries(target)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
        binary = "b" in mode
        with os.fdopen(fd, "wb" if binary else "w", encoding=None if binary else encoding,
                       errors=None if binary else errors, newline=None if binary else "") as f:
            apply_mode(f.fileno(), target)
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
        tmp = None
    except OSError as e:
        e.filename = str(path)  # the file the user named, not our temporary one
        e.filename2 = None
        raise
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    _sync_folder(target.parent)


def atomic_write_bytes(path, data: bytes) -> Path:
    """Write to a temporary file in the same folder, fsync, then rename over ``path``."""
    with atomic_open(path, "wb") as f:
        f.write(data)
    return Path(path)


def atomic_write_text(path, text: str, errors: str = "strict") -> Path:
    return atomic_write_bytes(path, text.encode("utf-8", errors))


def escape_surrogates(json_text: str) -> str:
    """JSON text with each lone surrogate written as its ``\\uXXXX`` escape: the same JSON value
    (``json.loads`` gives back the same string, so offsets stay right), and encodable as UTF-8.
    A lone high surrogate followed by a lone low one has no such escape (JSON reads the two escapes
    as one character, so the text would shrink and every later offset move): both are written as
    U+FFFD, one code point for one, as the readers replace lone surrogates when they read."""
    json_text = _SPLIT_PAIR.sub("\ufffd\ufffd", json_text)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)


def json_dumps(obj, **kwargs) -> str:
    """``json.dumps(obj, ensure_ascii=False, **kwargs)`` that a UTF-8 file can always hold:
    a valid JSON string holding a lone surrogate (``"\\ud800"``) keeps it as an escape."""
    kwargs.setdefault("ensure_ascii", False)
    text = json.dumps(obj, **kwargs)
    if not kwargs["ensure_ascii"]:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = escape_surrogates(text)
    return text


def atomic_write_json(path, obj, **kwargs) -> Path:
    return atomic_write_text(path, json_dumps(obj, **kwargs))
