"""Reading and writing source files without changing what the user did not ask to change.

Owns: decoding (PEP 263 coding cookie, UTF-8 BOM) with newline style left
untouched, the snapshot (mtime, size, content hash) taken at read time, and
the atomic write that refuses to overwrite a file changed since that snapshot.
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


def read_bytes(path: Path) -> tuple[bytes, os.stat_result]:
    with path.open("rb") as handle:
        st = os.fstat(handle.fileno())
        return handle.read(), st


def decode(path: Path, raw: bytes, st: os.stat_result) -> Source:
    """Decode as Python does; raises ``SyntaxError`` for a bad cookie, ``UnicodeDecodeError`` for bad bytes."""
    encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    return Source(path, raw, raw.decode(encoding), encoding, Snapshot.of(raw, st))


def write_atomic(path: Path, data: bytes, expected: Snapshot) -> None:
    """Replace ``path`` by ``data`` in one step, keeping its mode.

    Raises :class:`FileChanged` when the file is no longer what was read,
    :class:`ReadOnly` when its mode has no write bit, ``OSError`` otherwise.
    The temporary file sits in the same folder so ``os.replace`` is atomic.
    """
    current, st = read_bytes(path)
    if Snapshot.of(current, st) != expected:
        raise FileChanged(str(path))
    if not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise ReadOnly(str(path))
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, stat.S_IMODE(st.st_mode))
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
