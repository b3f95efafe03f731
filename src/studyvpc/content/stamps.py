"""The parsed-content cache's key without reading the content files that did not change.

The key (`studyvpc.content.cache.cache_key`) digests every content file's bytes (SHA-256,
framed by the file's path). Reading and hashing every file on every start was most of what
content cost a warm start, so each file's digest is remembered beside the cache, in a
*stamps* file, with what ``stat`` says of the file: size, modification and change times (ns),
inode and device. On the next start a file whose stat still matches its stamp is trusted
without being read; any other file is read and hashed. A file touched without a change gets
a new stamp and the same digest, so it is still a hit; an added, removed or renamed file
changes the key as before.

Racy stamps, as in git's index: a file could change again within the timestamp granularity
of the moment its stamp was taken and keep the stamp's size and times. So a stamp whose
file changed (mtime or ctime) less than `RACY_NS` before the stamps were taken is never
trusted: that file is hashed on every start until a later stamps file records it settled.
The stamps are only a shortcut to digests: a missing, damaged or foreign stamps file costs
hashing every file, never a wrong key; an unwritable cache folder costs the same.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
import zlib
from collections.abc import Sequence
from pathlib import Path

import msgspec

from studyvpc.content.results import MAX_FILE_BYTES

MAGIC = b"studyvpc-content-stamps 1\n"
"""The first line of a stamps file (the format's version is in it), then a CRC-32 of the
rest (4 bytes, little-endian), then the `Stamps`, MessagePack."""
RACY_NS = 3_000_000_000
"""A file changed this close to (or after) the time its stamp was taken is hashed anyway:
more than the coarsest timestamps of common filesystems (FAT's 2 s) and the lag of the
kernel's file-time clock behind the wall clock."""
clock = time.time_ns
"""The wall clock stamps are dated by (nanoseconds)."""
STAMP_BYTES = 128
"""The most one stamp takes in the file, besides its path: the read limit is built of it."""


class Stamp(msgspec.Struct, frozen=True, gc=False, array_like=True):
    """One content file as it was hashed: its path (as given), its stat, the bytes hashed."""

    name: bytes
    size: int
    mtime_ns: int
    ctime_ns: int
    ino: int
    dev: int
    length: int
    """How many bytes were hashed (the size; for an oversized file, its marker's length)."""
    digest: bytes
    """SHA-256 of those bytes."""

    def settled(self, taken_ns: int) -> bool:
        """Whether the file had stopped changing well before ``taken_ns`` (not racy)."""
        return max(self.mtime_ns, self.ctime_ns) < taken_ns - RACY_NS

    def matches(self, st: os.stat_result) -> bool:
        return (stat.S_ISREG(st.st_mode) and st.st_size == self.size
                and st.st_mtime_ns == self.mtime_ns and st.st_ctime_ns == self.ctime_ns
                and st.st_ino == self.ino and st.st_dev == self.dev)


class Stamps(msgspec.Struct, frozen=True, array_like=True):
    taken_ns: int
    """The wall clock once every stamp was taken (after the files were read)."""
    files: tuple[Stamp, ...]


_STAMPS = msgspec.msgpack.Decoder(Stamps)


class Fingerprint(msgspec.Struct, frozen=True):
    key: str
    size: int
    """The bytes hashed over all files (what the cache's read limit is built of)."""
    stamps: Stamps
    hashed: int
    """How many files were read and hashed (the others were trusted by their stamp)."""
    worth_saving: bool
    """Whether saving these stamps would spare the next start some reading."""


def names_of(files: Sequence[Path]) -> list[bytes]:
    """The content files' paths as the stamps hold them (and the key frames them)."""
    return [os.fsencode(f) for f in files]


def fingerprint(prefix: bytes, names: Sequence[bytes], known: Stamps | None) -> Fingerprint:
    """The key of the files ``names`` (`names_of`; after ``prefix``: what else the key
    depends on), reading only the files ``known`` has no settled, matching stamp of. Raises
    OSError if a file cannot be read (the loader then reports it, located)."""
    trusted = {} if known is None else {
        s.name: s for s in known.files if s.settled(known.taken_ns)}
    h = hashlib.sha256(prefix)
    update = h.update
    stamps = []
    read = []
    total = 0
    for name in names:
        s = trusted.get(name)
        if s is None or not s.matches(os.stat(name)):
            s = hash_file(name)
            read.append(s)
        stamps.append(s)
        total += s.length
        # Each file framed by its name and digest, so no two file sets hash alike.
        update(b"\0" + name + b"\0" + s.length.to_bytes(8, "little") + s.digest)
    taken = clock()
    fresh = Stamps(taken, tuple(stamps))
    # Saving helps if a file read now would be trusted next time: a loop of saves on every
    # start is impossible while the files stay as they are.
    worth = any(s.settled(taken) for s in read)
    return Fingerprint(h.hexdigest(), total, fresh, len(read), worth)


def hash_file(name: bytes) -> Stamp:
    """A content file's stamp, its bytes read and hashed; for one over `MAX_FILE_BYTES`
    (which the loader refuses without reading), its size and modification time stand for
    its bytes: never more than the limit in memory."""
    fd = os.open(name, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        st = os.fstat(fd)
        if st.st_size > MAX_FILE_BYTES:
            data = b"\xff oversized %d %d" % (st.st_size, st.st_mtime_ns)
        else:
            chunks = []
            left = MAX_FILE_BYTES + 1
            while left > 0 and (chunk := os.read(fd, min(1 << 16, left))):
                chunks.append(chunk)
                left -= len(chunk)
            data = b"".join(chunks)
            if len(data) > MAX_FILE_BYTES:  # grew while read, or not a regular file
                data = b"\xff oversized %d" % len(data)
    finally:
        os.close(fd)
    # Stamped with the stat taken before reading: a change while it was read shows next
    # time as another stat (or, within the same clock tick, as a racy stamp).
    return Stamp(name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev,
                 len(data), hashlib.sha256(data).digest())


def stamps_file(cache_file: Path, prefix: str) -> Path:
    """Where the stamps of a cache file go: its name with ``prefix`` for its own."""
    return cache_file.with_name(prefix + cache_file.name.split("-", 1)[1])


def read_limit(names: Sequence[bytes]) -> int:
    """The largest stamps file read for these files (`names_of`)."""
    return len(MAGIC) + 64 + sum(map(len, names)) + STAMP_BYTES * len(names)


def load(path: Path, limit: int) -> Stamps | None:
    """The stamps in ``path``; None if there are none, or they are damaged or foreign. Only
    a regular file no larger than ``limit`` is read (a FIFO is not waited for)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        chunks = []
        left = limit + 1
        while left > 0 and (chunk := os.read(fd, min(1 << 20, left))):
            chunks.append(chunk)
            left -= len(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    head = len(MAGIC) + 4
    if (len(data) > limit or not data.startswith(MAGIC) or len(data) < head
            or int.from_bytes(data[len(MAGIC):head], "little") != zlib.crc32(data[head:])):
        return None
    try:
        return _STAMPS.decode(data[head:])
    except ValueError:  # msgspec's errors are ValueErrors
        return None


def save(path: Path, stamps: Stamps) -> None:
    """Write ``stamps`` to ``path`` atomically (readers see the old file or the new one);
    a folder that cannot be written only costs the next start its reading."""
    body = msgspec.msgpack.encode(stamps)
    tmp = path.with_name(f".tmp-{os.getpid()}-{time.monotonic_ns()}-{path.name}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o600)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(MAGIC + zlib.crc32(body).to_bytes(4, "little") + body)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError:
        pass
