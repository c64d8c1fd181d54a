#!/usr/bin/env python3
"""Writes what `make dist` ships into dist/ from the built static binaries, reproducibly:

    dist/rekognition-mock-<version>-linux-<arch>.tar.gz   the binary, LICENSE, fixtures, README
    dist/rekognition_mock-<version>-py3-none-manylinux_2_17_<arch>.whl
                                                         the Python helpers with that binary
    dist/rekognition-mock-linux-<x64|arm64>-<version>.tgz an npm package holding that binary
    dist/rekognition-mock-<version>.tgz                   the npm helpers, which depend on those
    dist/rekognition-mock-<version>-oci.tar               an OCI image archive: linux/amd64 and
                                                         linux/arm64 images of the binaries
    dist/SHA256SUMS                                      sha256sum's format, every file above

    python3 packaging/make_dist.py --binary x86_64=PATH --binary aarch64=PATH [--out dist]

The version and the source address come from CMakeLists.txt's project(), the one place they are
set; SOURCE_DATE_EPOCH (the commit's time, from make dist) fixes every time stored.
"""

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

from oci_image import image_archive  # noqa: E402
from reproducible import Entry, source_date_epoch, write_tar_gz  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "clients", "python", "build_backend"))
import wheel_backend  # noqa: E402  (the helpers' own build backend writes their wheels)

ARCHES = ("x86_64", "aarch64")
# Node's names (process.arch) for them.
NODE_ARCHES = {"x86_64": "x64", "aarch64": "arm64"}
NODE_CLIENT = os.path.join(ROOT, "clients", "node")


def project():
    """(version, homepage) from CMakeLists.txt's project() call."""
    with open(os.path.join(ROOT, "CMakeLists.txt")) as f:
        text = f.read()
    call = re.search(r"project\(rekognition-mock\b([^)]*)\)", text)
    version = re.search(r"VERSION\s+(\d+\.\d+\.\d+)", call.group(1)) if call else None
    homepage = re.search(r'HOMEPAGE_URL\s+"([^"]+)"', call.group(1)) if call else None
    if not (version and homepage):
        raise SystemExit("CMakeLists.txt: project(rekognition-mock VERSION x.y.z HOMEPAGE_URL "
                         "\"...\") not found")
    return version.group(1), homepage.group(1)


def tarball(out, arch, binary, version, homepage):
    """Writes the binary's archive for `arch`; returns its file name."""
    stem = f"rekognition-mock-{version}-linux-{arch}"
    with open(os.path.join(HERE, "tarball-README.md")) as f:
        readme = (f.read().replace("@VERSION@", version).replace("@ARCH@", arch)
                  .replace("@SOURCE@", homepage))
    entries = [
        Entry.from_file(f"{stem}/rekognition-mock", binary, executable=True),
        Entry.from_file(f"{stem}/LICENSE", os.path.join(ROOT, "LICENSE")),
        Entry.from_file(f"{stem}/fixtures/default-jobs.json",
                        os.path.join(ROOT, "fixtures", "default-jobs.json")),
        Entry(f"{stem}/README.md", readme.encode()),
    ]
    name = f"{stem}.tar.gz"
    write_tar_gz(os.path.join(out, name), entries)
    return name


def wheel(out, arch, binary):
    """Writes the helpers' wheel carrying the binary for `arch`; returns its file name."""
    # The binary is static: it needs no glibc at all, so the oldest manylinux tag pip knows
    # for the architecture says "any Linux".
    return wheel_backend.build_binary_wheel(out, binary, f"manylinux_2_17_{arch}")


def npm_platform_package(out, arch, binary, version, homepage):
    """Writes the npm package that carries the binary for `arch` (installed by npm only on a
    machine whose os and cpu match); returns its file name."""
    name = f"rekognition-mock-linux-{NODE_ARCHES[arch]}"
    manifest = {
        "name": name,
        "version": version,
        "description": f"The rekognition-mock server for linux-{NODE_ARCHES[arch]} "
                       "(installed by the rekognition-mock package)",
        "license": "Apache-2.0",
        "homepage": homepage,
        "os": ["linux"],
        "cpu": [NODE_ARCHES[arch]],
        "files": ["bin/"],
        "preferUnplugged": True,
    }
    readme = (f"# {name}\n\nThe static `rekognition-mock` binary for linux-{NODE_ARCHES[arch]}. "
              "Install `rekognition-mock`, which depends on this package where it fits.\n")
    entries = [
        Entry("package/package.json", (json.dumps(manifest, indent=2) + "\n").encode()),
        Entry.from_file("package/bin/rekognition-mock", binary, executable=True),
        Entry.from_file("package/LICENSE", os.path.join(ROOT, "LICENSE")),
        Entry("package/README.md", readme.encode()),
    ]
    file_name = f"{name}-{version}.tgz"
    write_tar_gz(os.path.join(out, file_name), entries)
    return file_name


def npm_helper_package(out, version, homepage):
    """Writes the npm helpers' package: clients/node's files, its package.json with the version
    and, as optional dependencies, every platform package; returns its file name."""
    with open(os.path.join(NODE_CLIENT, "package.json")) as f:
        manifest = json.load(f)
    if manifest["version"] != version:
        raise SystemExit(f"clients/node/package.json says {manifest['version']}, "
                         f"CMakeLists.txt {version}")
    manifest.pop("devDependencies", None)
    manifest.pop("scripts", None)
    manifest["homepage"] = homepage
    manifest["optionalDependencies"] = {
        f"rekognition-mock-linux-{node_arch}": version for node_arch in NODE_ARCHES.values()}
    entries = [Entry("package/package.json", (json.dumps(manifest, indent=2) + "\n").encode()),
               Entry.from_file("package/LICENSE", os.path.join(ROOT, "LICENSE"))]
    for name in sorted(os.listdir(NODE_CLIENT)):
        if name.endswith(".mjs"):
            entries.append(Entry.from_file(f"package/{name}", os.path.join(NODE_CLIENT, name)))
    for name in sorted(os.listdir(os.path.join(NODE_CLIENT, "bin"))):
        entries.append(Entry.from_file(f"package/bin/{name}",
                                       os.path.join(NODE_CLIENT, "bin", name), executable=True))
    file_name = f"rekognition-mock-{version}.tgz"
    write_tar_gz(os.path.join(out, file_name), entries)
    return file_name


def revision():
    """The commit packed, as --version names it."""
    done = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short=12", "HEAD"],
                          capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else "unknown"


def oci_archive(out, binaries, version, homepage):
    """Writes the two-architecture image archive; returns its file name."""
    programs = {}
    for arch, path in binaries.items():
        with open(path, "rb") as f:
            programs[arch] = f.read()
    with open(os.path.join(ROOT, "fixtures", "default-jobs.json"), "rb") as f:
        fixtures = f.read()
    name = f"rekognition-mock-{version}-oci.tar"
    image_archive(os.path.join(out, name), programs, fixtures, version, revision(), homepage,
                  source_date_epoch())
    return name


def write_sums(out, names):
    lines = []
    for name in sorted(names):
        with open(os.path.join(out, name), "rb") as f:
            lines.append(f"{hashlib.sha256(f.read()).hexdigest()}  {name}\n")
    with open(os.path.join(out, "SHA256SUMS"), "w") as f:
        f.writelines(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--binary", action="append", default=[], metavar="ARCH=PATH",
                        help="a stripped static binary for ARCH (x86_64, aarch64)")
    parser.add_argument("--out", default=os.path.join(ROOT, "dist"))
    args = parser.parse_args()
    binaries = dict(item.split("=", 1) for item in args.binary)
    unknown = set(binaries) - set(ARCHES)
    if unknown or not binaries:
        raise SystemExit(f"--binary ARCH=PATH for ARCH in {ARCHES} (got {sorted(binaries)})")
    version, homepage = project()
    os.makedirs(args.out, exist_ok=True)
    written = []
    for arch in ARCHES:
        if arch in binaries:
            written.append(tarball(args.out, arch, binaries[arch], version, homepage))
            written.append(wheel(args.out, arch, binaries[arch]))
            written.append(npm_platform_package(args.out, arch, binaries[arch], version, homepage))
    written.append(npm_helper_package(args.out, version, homepage))
    written.append(oci_archive(args.out, binaries, version, homepage))
    write_sums(args.out, written)
    for name in written + ["SHA256SUMS"]:
        size = os.path.getsize(os.path.join(args.out, name))
        print(f"{os.path.join(args.out, name)}  {size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
