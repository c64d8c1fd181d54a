"""Every doctest case of the "concurrency" suite carries CTest's `concurrency` label, which is how
`make test` picks what runs under ThreadSanitizer. doctest's CMake discovery looks a case's suite
up with the case's name as a filter, unescaped: a name with a ',' matches no case, gets no label,
and would silently never run under TSan.

    python3 concurrency_labels.py BUILD_DIR UNIT_EXECUTABLE...
"""

import subprocess
import sys


def doctest_cases(executable):
    listed = subprocess.run([executable, "--test-suite=concurrency", "--list-test-cases"],
                            capture_output=True, text=True, check=True).stdout
    return {line for line in listed.splitlines()
            if line and not line.startswith(("[doctest]", "===="))}


def labelled(build_dir, executable_name):
    listed = subprocess.run(["ctest", "--test-dir", build_dir, "-N", "-L", "^concurrency$"],
                            capture_output=True, text=True, check=True).stdout
    prefix = executable_name + "."
    names = set()
    for line in listed.splitlines():
        _, _, name = line.partition(": ")
        if line.strip().startswith("Test") and name.startswith(prefix):
            names.add(name[len(prefix):])
    return names


def main(build_dir, executables):
    missing = []
    for executable in executables:
        name = executable.rsplit("/", 1)[-1]
        for case in sorted(doctest_cases(executable) - labelled(build_dir, name)):
            missing.append(f"{name}: {case!r}")
    if missing:
        sys.exit("concurrency cases without the CTest label (a ',' in the name?):\n  " +
                 "\n  ".join(missing))
    print("every concurrency case is labelled")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
