"""A PEP 517 / PEP 660 build backend in the standard library, so `pip install ./clients/python`
works offline on any machine with pip.

Why not setuptools: pip's default build isolation downloads the backend from PyPI, and without
isolation setuptools < 70.1 still needs the separate `wheel` package (Debian 12's setuptools 66
and pyenv's 65 have no wheel). A pure-Python wheel is a zip of the package plus three metadata
files, written here from pyproject.toml's [project] table: no download, no build step.
"""

import base64
import hashlib
import io
import os
import tarfile
import time
import zipfile

try:
    import tomllib
except ImportError:  # Python < 3.11
    try:
        import tomli as tomllib
    except ImportError:
        tomllib = None

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = "rekognition_mock"
# The project's license, two folders up in a checkout; absent from an sdist built elsewhere.
LICENSE = os.path.join(os.path.dirname(os.path.dirname(ROOT)), "LICENSE")


def _project():
    if tomllib is None:
        raise RuntimeError("installing rekognition-mock's helpers needs Python >= 3.11 (tomllib); "
                           "on older Pythons put clients/python on PYTHONPATH instead")
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
        return tomllib.load(f)["project"]


def _metadata(project):
    lines = ["Metadata-Version: 2.1", f"Name: {project['name']}", f"Version: {project['version']}",
             f"Summary: {project['description']}", f"License: {project['license']['text']}",
             f"Requires-Python: {project['requires-python']}"]
    for requirement in project.get("dependencies", []):
        lines.append(f"Requires-Dist: {requirement}")
    for extra, requirements in project.get("optional-dependencies", {}).items():
        lines.append(f"Provides-Extra: {extra}")
        lines.extend(f'Requires-Dist: {r}; extra == "{extra}"' for r in requirements)
    return "\n".join(lines) + "\n"


def _package_files():
    """(path in the wheel, bytes) of every module of the package, in a stable order."""
    directory = os.path.join(ROOT, PACKAGE)
    for name in sorted(os.listdir(directory)):
        if name.endswith(".py"):
            with open(os.path.join(directory, name), "rb") as f:
                yield f"{PACKAGE}/{name}", f.read()


def _zip_time():
    """Every entry's time: SOURCE_DATE_EPOCH when set (make dist sets the commit's), else 1980, so
    a wheel's bytes depend only on what is in it."""
    seconds = max(int(os.environ.get("SOURCE_DATE_EPOCH", "0")), 315532800)  # zip starts in 1980
    return time.gmtime(seconds)[:6]


def _write_wheel(wheel_directory, contents, tag="py3-none-any", data=()):
    """Writes the wheel of `contents` (path, bytes) and `data` (path under the .data folder,
    bytes, executable); returns its file name."""
    project = _project()
    stem = f"{project['name'].replace('-', '_')}-{project['version']}"
    dist_info = f"{stem}.dist-info"
    # A wheel carrying a platform's program is platlib (Root-Is-Purelib false), as pip expects.
    purelib = "true" if not data else "false"
    files = [(path, body, False) for path, body in contents]
    files += [(f"{stem}.data/{path}", body, executable) for path, body, executable in data]
    files += [
        (f"{dist_info}/METADATA", _metadata(project).encode(), False),
        (f"{dist_info}/WHEEL", (f"Wheel-Version: 1.0\nGenerator: wheel_backend\n"
                                f"Root-Is-Purelib: {purelib}\nTag: {tag}\n").encode(), False),
    ]
    if os.path.isfile(LICENSE):
        with open(LICENSE, "rb") as f:
            files.append((f"{dist_info}/LICENSE", f.read(), False))
    record = io.StringIO()
    for path, body, _ in files:
        digest = base64.urlsafe_b64encode(hashlib.sha256(body).digest()).rstrip(b"=").decode()
        record.write(f"{path},sha256={digest},{len(body)}\n")
    record.write(f"{dist_info}/RECORD,,\n")
    files.append((f"{dist_info}/RECORD", record.getvalue().encode(), False))
    wheel_name = f"{stem}-{tag}.whl"
    with zipfile.ZipFile(os.path.join(wheel_directory, wheel_name), "w") as wheel:
        for path, body, executable in files:
            info = zipfile.ZipInfo(path, _zip_time())
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix: pip reads the mode below and keeps a program runnable
            info.external_attr = (0o100755 if executable else 0o100644) << 16
            wheel.writestr(info, body, compresslevel=9)
    return wheel_name


def build_binary_wheel(wheel_directory, binary, platform_tag):
    """Not PEP 517 (make dist calls it): the package plus the server `binary` built for
    `platform_tag` (manylinux_2_17_x86_64, ...), which pip installs as the environment's
    `rekognition-mock` program and find_binary() finds; returns the wheel's file name."""
    with open(binary, "rb") as f:
        program = f.read()
    return _write_wheel(wheel_directory, _package_files(), tag=f"py3-none-{platform_tag}",
                        data=[("scripts/rekognition-mock", program, True)])


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    """PEP 517: a wheel holding a copy of the package; returns its file name."""
    return _write_wheel(wheel_directory, _package_files())


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    """PEP 660 (`pip install -e`): a wheel whose .pth puts this checkout on sys.path."""
    return _write_wheel(wheel_directory, [(f"{PACKAGE}.pth", (ROOT + "\n").encode())])


def build_sdist(sdist_directory, config_settings=None):
    """PEP 517: a source archive of pyproject.toml, this backend and the package."""
    project = _project()
    stem = f"{project['name'].replace('-', '_')}-{project['version']}"
    name = f"{stem}.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as sdist:
        for relative in ("pyproject.toml", "build_backend/wheel_backend.py"):
            sdist.add(os.path.join(ROOT, relative), f"{stem}/{relative}")
        for path, data in _package_files():
            info = tarfile.TarInfo(f"{stem}/{path}")
            info.size = len(data)
            sdist.addfile(info, io.BytesIO(data))
        metadata = _metadata(project).encode()
        info = tarfile.TarInfo(f"{stem}/PKG-INFO")
        info.size = len(metadata)
        sdist.addfile(info, io.BytesIO(metadata))
    return name
