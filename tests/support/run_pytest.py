"""Runs pytest (argv as pytest's) under this python3, the one with current boto3.

Debian's python3-pytest serves Debian's /usr/bin/python3; when this interpreter is another one
(pyenv, a venv) with no pytest of its own, Debian's dist-packages are appended to the path, so
this interpreter's own packages still win and only pytest and its few pure-Python dependencies
come from Debian. No pytest at all fails loudly: run `make test-deps`.
"""

import sys

DEBIAN_DIST_PACKAGES = "/usr/lib/python3/dist-packages"

try:
    import pytest
except ImportError:
    sys.path.append(DEBIAN_DIST_PACKAGES)
    try:
        import pytest
    except ImportError:
        sys.exit("pytest is not installed for this python3 nor as Debian's python3-pytest: "
                 "run make test-deps")

sys.exit(pytest.main(sys.argv[1:]))
