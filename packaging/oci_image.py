"""An OCI image archive (image-spec 1.0 layout in a tar) of the static binaries, one image per
architecture under one index, each FROM scratch: what docker/Dockerfile builds, without building
anything inside an image. `docker load` and `podman load` take it; every byte is a function of
the binaries, the fixtures and SOURCE_DATE_EPOCH."""

import hashlib
import json
import time

from reproducible import Entry, gzipped, write_tar

# As docker/Dockerfile sets them: the "nonroot" uid of distroless images, the variables, the
# volume, the port and the self-probe. Kept equal by tests/dist/test_oci_image.py.
USER = "65532:65532"
ENV = [
    "REKOGNITION_MOCK_HOST=0.0.0.0",
    "REKOGNITION_MOCK_PORT=9595",
    "REKOGNITION_MOCK_DB=/data/rekognition-mock.sqlite",
    "REKOGNITION_MOCK_FIXTURES=/fixtures",
    "REKOGNITION_MOCK_S3_DIR=/data/s3",
]
HEALTHCHECK = {"Test": ["CMD", "/rekognition-mock", "--healthcheck"],
               "Interval": 5_000_000_000, "Timeout": 3_000_000_000,
               "StartPeriod": 1_000_000_000, "Retries": 3}
# OCI and Go name the architectures so.
OCI_ARCHES = {"x86_64": "amd64", "aarch64": "arm64"}

MEDIA_INDEX = "application/vnd.oci.image.index.v1+json"
MEDIA_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MEDIA_CONFIG = "application/vnd.oci.image.config.v1+json"
MEDIA_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"


class _Blobs:
    """The content-addressed blobs of the layout, by digest."""

    def __init__(self):
        self.blobs = {}

    def add(self, data, media_type, **extra):
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        self.blobs[digest] = data
        return {"mediaType": media_type, "digest": digest, "size": len(data), **extra}


def _json(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


def _layer(binary, fixtures, mtime):
    """The root file system: the binary, the default fixtures, /data owned by the user, /tmp."""
    uid = int(USER.split(":")[0])
    entries = [
        Entry("rekognition-mock", binary, executable=True),
        Entry("fixtures/default-jobs.json", fixtures),
    ]
    folders = [("data", 0o755, uid), ("data/s3", 0o755, uid), ("tmp", 0o1777, 0)]
    return write_tar(entries, mtime, folders=folders)


def image_archive(path, binaries, fixtures, version, revision, source, mtime):
    """Writes the archive at `path` for `binaries` ({arch: bytes}), labelled with the version,
    revision and source address, every time `mtime`."""
    created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(mtime))
    labels = {
        "org.opencontainers.image.title": "rekognition-mock",
        "org.opencontainers.image.description":
            "A local mock of Amazon Rekognition's media analysis jobs API",
        "org.opencontainers.image.version": version,
        "org.opencontainers.image.revision": revision,
        "org.opencontainers.image.source": source,
        "org.opencontainers.image.licenses": "Apache-2.0",
        "org.opencontainers.image.created": created,
    }
    blobs = _Blobs()
    manifests = []
    for arch in sorted(binaries):
        layer_tar = _layer(binaries[arch], fixtures, mtime)
        layer = blobs.add(gzipped(layer_tar), MEDIA_LAYER)
        config = blobs.add(_json({
            "created": created,
            "architecture": OCI_ARCHES[arch],
            "os": "linux",
            "config": {
                "User": USER,
                "Env": ENV,
                "Entrypoint": ["/rekognition-mock"],
                "ExposedPorts": {"9595/tcp": {}},
                "Volumes": {"/data": {}},
                "Labels": labels,
                "Healthcheck": HEALTHCHECK,
            },
            "rootfs": {"type": "layers",
                       "diff_ids": ["sha256:" + hashlib.sha256(layer_tar).hexdigest()]},
            "history": [{"created": created, "created_by": "packaging/oci_image.py"}],
        }), MEDIA_CONFIG)
        manifest = blobs.add(_json({"schemaVersion": 2, "mediaType": MEDIA_MANIFEST,
                                    "config": config, "layers": [layer],
                                    "annotations": labels}),
                             MEDIA_MANIFEST,
                             platform={"architecture": OCI_ARCHES[arch], "os": "linux"})
        manifests.append(manifest)
    # The layout's index names one image, itself an index of the two platforms (as buildx
    # exports one): loaders take the platform that fits, and refuse a layout naming two images.
    platforms = blobs.add(_json({"schemaVersion": 2, "mediaType": MEDIA_INDEX,
                                 "manifests": manifests, "annotations": labels}), MEDIA_INDEX,
                          annotations={"org.opencontainers.image.ref.name": version,
                                       "io.containerd.image.name":
                                           f"localhost/rekognition-mock:{version}"})
    index = {"schemaVersion": 2, "mediaType": MEDIA_INDEX, "manifests": [platforms]}
    entries = [Entry("oci-layout", _json({"imageLayoutVersion": "1.0.0"})),
               Entry("index.json", _json(index))]
    entries += [Entry(f"blobs/sha256/{digest.split(':')[1]}", data)
                for digest, data in blobs.blobs.items()]
    with open(path, "wb") as f:
        f.write(write_tar(entries, mtime))
