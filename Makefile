# Front door: `make run` builds and serves the default fixtures; `make test` builds and runs
# every test. Both first install whatever Debian 12 packages are missing (as root or via sudo).

PRESET    ?= release
BUILD_DIR := build/$(PRESET)
BINARY    := $(BUILD_DIR)/server/rekognition-mock
JOBS      ?= $(shell nproc)
ARGS      ?=
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# mbedTLS is the server's TLS and crypto; OpenSSL's headers only build a test's independent
# SigV4 signer.
BUILD_PACKAGES := cmake make g++ ccache libboost-dev nlohmann-json3-dev libsqlite3-dev \
                  libmbedtls-dev doctest-dev libssl-dev libcli11-dev

# Installs the packages in $(1) that dpkg does not list as installed.
define apt_install_missing
	@missing=""; \
	for p in $(1); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

FUZZ_DIR     := build/fuzz
FUZZ_TARGETS := fuzz_request_decoder fuzz_pagination_token fuzz_fixture_loader fuzz_http_router \
                fuzz_bulk_analysis

.PHONY: all deps test-deps dist-deps build run test check dist dist-check fuzz format clean

all: build

deps:
	$(call apt_install_missing,$(BUILD_PACKAGES))

# The test clients: python3 with boto3, pytest, jsonschema (the control plane's OpenAPI document)
# and pip (the helpers' offline install test), the AWS CLI and Node.js, Debian's Chromium (the
# browser view's tests drive it with playwright-core, which never downloads a browser of its
# own), and moto_server (a real S3 server for the object-store tests).
# A machine that already has them (from pip, pyenv or nodesource) keeps its own; only absent
# tools come from Debian.
test-deps: deps
	@need=""; \
	python3 -c 'import boto3' 2>/dev/null || need="$$need python3 python3-boto3"; \
	python3 -c 'import pytest' 2>/dev/null || [ -d /usr/lib/python3/dist-packages/_pytest ] || \
	  need="$$need python3-pytest"; \
	python3 -m pip --version >/dev/null 2>&1 || need="$$need python3-pip python3-venv"; \
	python3 -c 'import jsonschema' 2>/dev/null || need="$$need python3-jsonschema"; \
	command -v aws >/dev/null || need="$$need awscli"; \
	command -v node >/dev/null || need="$$need nodejs"; \
	command -v npm >/dev/null || need="$$need npm"; \
	command -v clang-format >/dev/null || need="$$need clang-format"; \
	command -v clang++ >/dev/null || need="$$need clang"; \
	dpkg-query -W -f='$${Status}' libclang-rt-14-dev 2>/dev/null | grep -q 'ok installed' || \
	  need="$$need libclang-rt-14-dev"; \
	command -v git >/dev/null || need="$$need git"; \
	command -v chromium >/dev/null || need="$$need chromium"; \
	command -v openssl >/dev/null || need="$$need openssl"; \
	if [ -n "$$need" ]; then \
	  echo "Installing test clients:$$need"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$need; \
	fi
	@# Debian 12's own boto3/awscli predate the media analysis operations (2023): upgrade them
	@# from PyPI when the installed botocore does not know StartMediaAnalysisJob.
	@python3 -c "import botocore.session as s; s.get_session().get_service_model('rekognition').operation_model('StartMediaAnalysisJob')" 2>/dev/null || { \
	  echo "botocore lacks the media analysis operations: installing current boto3 and awscli from PyPI"; \
	  command -v pip3 >/dev/null || $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip; \
	  $(SUDO) pip3 install --upgrade --break-system-packages boto3 awscli; }
	@# moto_server (a real S3 server the object-store tests run against) is not in Debian 12.
	@command -v moto_server >/dev/null || { \
	  echo "moto_server is missing: installing moto[server] from PyPI"; \
	  command -v pip3 >/dev/null || $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip; \
	  $(SUDO) pip3 install --break-system-packages 'moto[server]'; }
	cd tests/conformance/js && npm ci --no-audit --no-fund --loglevel=error
	cd clients/node && npm ci --no-audit --no-fund --loglevel=error
	cd clients/node/examples/jest && npm ci --no-audit --no-fund --loglevel=error
	cd clients/node/examples/vitest && npm ci --no-audit --no-fund --loglevel=error
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error

build: deps
	cmake --preset $(PRESET)
	cmake --build --preset $(PRESET) -j $(JOBS)

run: build
	exec $(BINARY) --fixtures fixtures/default-jobs.json $(ARGS)

# Every test on the release build, then what users install (dist-check: both architectures'
# binaries, the wheels, the npm packages and the image archive, each installed and run), every
# test again on an AddressSanitizer + UBSan build (a test double that crashes only under the
# sanitizers still crashes), the concurrency tests on a ThreadSanitizer build, and a minute of
# fuzzing per libFuzzer target.
test: check
	$(MAKE) dist-check
	$(MAKE) check PRESET=asan
	$(MAKE) check PRESET=tsan CTEST_ARGS="-L concurrency"
	$(MAKE) fuzz

# Every test on one build (PRESET=release by default): the quick loop while developing.
check: test-deps build
	ctest --preset $(PRESET) -j $(JOBS) -LE dist $(CTEST_ARGS)

# The cross toolchain for linux-aarch64 (Debian's, with the :arm64 -dev packages through dpkg
# multiarch) and qemu-user-static, which runs what it builds.
DIST_PACKAGES := crossbuild-essential-arm64 qemu-user-static libmbedtls-dev:arm64 libsqlite3-dev:arm64 \
                 podman runc
dist-deps: deps
	@dpkg --print-foreign-architectures | grep -qx arm64 || $(SUDO) dpkg --add-architecture arm64
	$(call apt_install_missing,$(DIST_PACKAGES))

# What users install (see packaging/README.md): static stripped binaries for linux-x86_64 and
# linux-aarch64 in tarballs, with SHA256SUMS, in dist/. Times come from the commit, so two runs
# from one commit write the same bytes.
DIST_ARCHES := x86_64 aarch64
dist: dist-deps
	$(foreach arch,$(DIST_ARCHES),cmake --preset dist-$(arch) && cmake --build --preset dist-$(arch) -j $(JOBS) &&) true
	rm -rf dist
	SOURCE_DATE_EPOCH=$$(git log -1 --format=%ct 2>/dev/null || echo 0) python3 packaging/make_dist.py \
	    $(foreach arch,$(DIST_ARCHES),--binary $(arch)=build/dist-$(arch)/server/rekognition-mock)

# The dist tests (tests/dist): each artifact installed and run as its users would.
dist-check: test-deps dist build
	cd tests/dist/testcontainers && npm ci --no-audit --no-fund --loglevel=error
	ctest --preset release -j $(JOBS) -L dist

# The libFuzzer targets (clang, their own build dir; see tests/fuzz/README.md), each fuzzing
# a copy of its committed corpus for REKMOCK_FUZZ_SECONDS (60 by default).
fuzz: test-deps
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DREKMOCK_FUZZ=ON -DREKMOCK_BUILD_TESTS=ON -DREKMOCK_WERROR=OFF
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target $(FUZZ_TARGETS)
	ctest --test-dir $(FUZZ_DIR) -L fuzz -j $(JOBS) --output-on-failure

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf build dist
