"""Reading and writing source files without changing what the user did not ask to change.

Owns: decoding (PEP 263 coding cookie, UTF-8 BOM) with newline style left
untouched, the snapshot (mtime, size, content hash) taken at read time, and
the write that refuses to overwrite a file changed since that snapshot and
keeps the file's identity (owner, group, mode, symbolic and hard links).
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import tempfile
import tokenize
from dataclasses import dataclass
from pathlib import Path

#: Suffix of the temporary file a write goes through; never a ``.py`` file, so
#: a run killed mid-write leaves nothing the next run would pick up.
TEMP_SUFFIX = ".cachelint-tmp"


class FileChanged(Exception):
    """The file on disk differs from the snapshot the rewrite was computed from."""


class ReadOnly(Exception):
    """The file's mode forbids writing; the codemod respects it even when run as root."""


@dataclass(frozen=True)
class Snapshot:
    mtime_ns: int
    size: int
    digest: str

    @classmethod
    def of(cls, data: bytes, st: os.stat_result) -> Snapshot:
        return cls(st.st_mtime_ns, st.st_size, hashlib.sha256(data).hexdigest())


@dataclass(frozen=True)
class Source:
    """A decoded file: ``text`` keeps the file's newlines; ``encode`` gives the bytes back."""

    path: Path
    raw: bytes
    text: str
    encoding: str  # 'utf-8-sig' when the file starts with a BOM
    snapshot: Snapshot

    def encode(self, text: str) -> bytes:
        return text.encode(self.encoding)


def keep_final_newline(old: str, new: str) -> str:
    """``new`` ending with ``old``'s final line break if ``old`` had one (LibCST drops a lone ``\\r``)."""
    if new.endswith(("\n", "\r")):
        return new
    for ending in ("\r\n", "\n", "\r"):
        if old.endswith(ending):
            return new + ending
    return new


def read_bytes(path: Path) -> tuple[bytes, os.stat_result]:
    with path.open("rb") as handle:
        st = os.fstat(handle.fileno())
        return handle.read(), st


def decode(path: Path, raw: bytes, st: os.stat_result) -> Source:
    """Decode as Python does; raises ``SyntaxError`` for a bad cookie, ``UnicodeDecodeError`` for bad bytes."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    return Source(path, raw, raw.decode(encoding), encoding, Snapshot.of(raw, st))


def write_atomic(path: Path, data: bytes, expected: Snapshot) -> None:
    """Replace the contents of ``path`` by ``data``, keeping the file what it was.

    * A symbolic link stays a link: its target is written (once; the caller
      deduplicates links to one file).
    * Owner, group and mode stay: the new file gets them before it replaces the
      old one; where they cannot be given (the file belongs to another user),
      the file is written in place instead.
    * A file with several hard links is written in place (the proof already
      passed), so every name keeps seeing the same file.
    * Otherwise the new bytes go to a temporary file in the same folder that
      then replaces the old one in one step (``os.replace``), so a crash leaves
      the old file or the new, never half of one.

    Raises :class:`FileChanged` when the file is no longer what was read,
    :class:`ReadOnly` when its mode has no write bit, ``OSError`` otherwise.
    """
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    current, st = read_bytes(target)
    if Snapshot.of(current, st) != expected:
        raise FileChanged(str(path))
    if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise ReadOnly(str(path))
    if st.st_nlink > 1 or not _can_own(st):
        _write_in_place(target, data, expected)
        return
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if hasattr(os, "chown") and (st.st_uid, st.st_gid) != _owner(temp):
            os.chown(temp, st.st_uid, st.st_gid)
        os.chmod(temp, stat.S_IMODE(st.st_mode))
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


def _owner(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_uid, st.st_gid


def _can_own(st: os.stat_result) -> bool:
    """Whether a new file of ours can be given ``st``'s owner and group (root can; others only their own)."""
    if not hasattr(os, "geteuid"):
        return True  # no owners to keep (Windows)
    if os.geteuid() == 0:
        return True
    return st.st_uid == os.geteuid() and (st.st_gid == os.getegid() or st.st_gid in os.getgroups())


def _write_in_place(path: Path, data: bytes, expected: Snapshot) -> None:
    """Overwrite the file's contents through its existing inode (owner, group, mode and links untouched)."""
    flags = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "r+b") as handle:
        current = handle.read()
        if Snapshot.of(current, os.fstat(handle.fileno())) != expected:
            raise FileChanged(str(path))
        handle.seek(0)
        handle.write(data)
        handle.truncate()
        handle.flush()
        os.fsync(handle.fileno())
