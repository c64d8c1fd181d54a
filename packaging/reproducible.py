"""Archives whose bytes depend only on what goes in them: entries sorted, owners root, modes
0644 or 0755, every time SOURCE_DATE_EPOCH (reproducible-builds.org/specs/source-date-epoch),
gzip headers without a name or time. Two `make dist` runs from one commit give identical files."""

import gzip
import io
import os
import tarfile


def source_date_epoch():
    """SOURCE_DATE_EPOCH from the environment (make dist sets it to the commit's time)."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None:
        raise RuntimeError("SOURCE_DATE_EPOCH is not set (make dist sets it from the commit)")
    return int(value)


class Entry:
    """A file to archive: its path inside the archive, its bytes, and whether it is a program."""

    def __init__(self, path, data, executable=False):
        self.path = path
        self.data = data
        self.executable = executable

    @classmethod
    def from_file(cls, path, source, executable=None):
        with open(source, "rb") as f:
            data = f.read()
        if executable is None:
            executable = os.access(source, os.X_OK)
        return cls(path, data, executable)


def _folders(entries):
    """Every folder the entries sit in, parents first."""
    folders = set()
    for entry in entries:
        parts = entry.path.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            folders.add("/".join(parts[:depth]))
    return sorted(folders)


def write_tar(entries, mtime, folders=()):
    """The bytes of a tar (ustar) of `entries` and their folders, in path order. `folders` adds
    or overrides folders as (path, mode, uid), for a file system image's own."""
    special = {path: (mode, uid) for path, mode, uid in folders}
    names = sorted(set(_folders(entries)) | set(special))
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for folder in names:
            info = tarfile.TarInfo(folder)
            info.type = tarfile.DIRTYPE
            mode, uid = special.get(folder, (0o755, 0))
            info.mode = mode
            _own(info, mtime, uid)
            tar.addfile(info)
        for entry in sorted(entries, key=lambda e: e.path):
            info = tarfile.TarInfo(entry.path)
            info.size = len(entry.data)
            info.mode = 0o755 if entry.executable else 0o644
            _own(info, mtime)
            tar.addfile(info, io.BytesIO(entry.data))
    return buffer.getvalue()


def gzipped(data):
    """`data` gzip-compressed with no file name or time in the header: only what it holds counts."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(data)
    return buffer.getvalue()


def write_tar_gz(path, entries, mtime=None):
    """A gzip-compressed tar of `entries` (write_tar) at `path`."""
    with open(path, "wb") as out:
        out.write(gzipped(write_tar(entries, source_date_epoch() if mtime is None else mtime)))


def _own(info, mtime, uid=0):
    info.mtime = mtime
    info.uid = info.gid = uid
    info.uname = info.gname = "root" if uid == 0 else ""
