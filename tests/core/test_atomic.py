"""Atomic writes: the umask's mode, an existing file's mode, symlinks, stale temporaries, errors naming the file."""
import errno
import os
import stat

import pytest

from quotedesk.core import atomic
from quotedesk.core.atomic import atomic_write_text, clean_stale_temporaries, json_dumps


def _mode(p):
    return stat.S_IMODE(os.stat(p).st_mode)


@pytest.fixture
def umask022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_new_file_gets_the_umask_mode(tmp_path, umask022):
    p = atomic_write_text(tmp_path / "a.txt", "x")
    assert _mode(p) == 0o644
    os.umask(0o002)
    assert _mode(atomic_write_text(tmp_path / "b.txt", "x")) == 0o664


def test_existing_file_keeps_its_mode(tmp_path, umask022):
    p = tmp_path / "shared.txt"
    p.write_text("old")
    os.chmod(p, 0o664)
    atomic_write_text(p, "new")
    assert p.read_text() == "new" and _mode(p) == 0o664


def test_saving_through_a_symlink_replaces_its_target(tmp_path):
    real = tmp_path / "real" / "doc.txt"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(os.path.relpath(real, tmp_path))
    atomic_write_text(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_stale_temporaries_are_cleaned(tmp_path):
    target = tmp_path / "doc.txt"
    dead = tmp_path / ".doc.txt.999999999.abc.tmp"  # a pid no process has
    dead.write_text("half")
    old = tmp_path / ".doc.txt.zz.tmp"  # an old-style name, a day old
    old.write_text("half")
    os.utime(old, (1, 1))
    live = tmp_path / f".doc.txt.{os.getpid()}.live.tmp"  # ours, being written
    live.write_text("half")
    other = tmp_path / ".other.txt.999999999.abc.tmp"
    other.write_text("not ours to touch")
    atomic_write_text(target, "x")
    assert not dead.exists() and not old.exists() and live.exists() and other.exists()
    assert clean_stale_temporaries(target) == 0


def test_failed_write_names_the_target_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "doc.txt"
    target.write_text("old")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(OSError) as err:
        atomic_write_text(target, "new")
    assert err.value.filename == str(target) and err.value.errno == errno.ENOSPC
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["doc.txt"]


def test_json_dumps_escapes_only_lone_surrogates():
    assert json_dumps({"t": "caf\u00e9"}) == '{"t": "caf\u00e9"}'
    text = json_dumps({"t": "a\ud800b"})
    text.encode("utf-8")
    import json

    assert json.loads(text) == {"t": "a\ud800b"}
