"""Object stores for the bulk analysis suites: where a test puts images and manifests and finds a
job's outputs, behind one small interface so that every flow runs on each backend the mock
supports (`--s3-dir` here; an S3 server in s3_lab.py).

A lab knows the flags that point the mock at it (`server_args()`), makes buckets, puts and gets
objects, and says whether an object exists."""

import os

IMAGES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "images")


def image_bytes(name):
    """The bytes of a test image in tests/data/images."""
    with open(os.path.join(IMAGES_DIR, name), "rb") as f:
        return f.read()


def manifest(*lines):
    """A JSON Lines manifest: each line as given (str) or a source-ref (tuple bucket, key)."""
    out = []
    for line in lines:
        if isinstance(line, tuple):
            out.append('{"source-ref": "s3://%s/%s"}' % line)
        else:
            out.append(line)
    return ("\n".join(out) + "\n").encode()


class FolderLab:
    """The embedded backend: DIR/<bucket>/<key> files (--s3-dir DIR)."""

    kind = "folder"
    versioned = False

    def __init__(self, root):
        self.root = root

    def server_args(self):
        return ("--s3-dir", self.root)

    def make_bucket(self, bucket, versioned=False):
        if versioned:
            raise AssertionError("the folder backend has no versions")
        os.makedirs(os.path.join(self.root, bucket), exist_ok=True)

    def _path(self, bucket, key):
        return os.path.join(self.root, bucket, *key.split("/"))

    def put(self, bucket, key, data):
        path = self._path(bucket, key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)

    def get(self, bucket, key, version=None):
        if version is not None:
            raise AssertionError("the folder backend has no versions")
        with open(self._path(bucket, key), "rb") as f:
            return f.read()

    def exists(self, bucket, key):
        return os.path.isfile(self._path(bucket, key))

    def identity(self, bucket, key):
        """Something that changes whenever the object is written again (inode, mtime)."""
        st = os.stat(self._path(bucket, key))
        return (st.st_ino, st.st_mtime_ns)
