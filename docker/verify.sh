#!/usr/bin/env bash
# Builds docker/Dockerfile and proves the image works, on a machine without a Docker engine:
# buildah (vfs storage, chroot isolation) builds and runs it; the debian:bookworm-slim base is
# bootstrapped from the Debian mirror apt uses, since no image registry is reachable.
#
#   docker/verify.sh        (as root; installs buildah and debootstrap if missing)
#
# Checks: the image builds; it starts healthy (its own --healthcheck says so); boto3 lists the 48
# default fixture jobs through it; it serves the browser view (GET /_mock/ui: 200 text/html); a
# job started through it survives a container restart on the same /data volume and writes its
# results and summary to a mounted folder object store (the image's default store is /data/s3);
# SIGTERM stops it with exit status 0 within a second. Then the image archive `make dist` wrote
# (dist/rekognition-mock-<version>-oci.tar, which must exist): buildah pulls its linux/amd64 and
# linux/arm64 images, each configured for its platform with a binary of that architecture, and
# the amd64 one answers --version with the project's version. Prints the image size and the
# time to healthy. Leaves no process, mount or container behind; keeps only the base
# tarball in build/docker-cache/ for the next run.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/^project(rekognition-mock VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
cache="$root/build/docker-cache"
work=$(mktemp -d /var/tmp/rekognition-mock-verify.XXXXXX)
image=localhost/rekognition-mock:verify
server_pid=""
containers=()

log() { printf '[verify] %s\n' "$*" >&2; }
fail() { log "FAIL: $*"; exit 1; }

cleanup() {
    set +e
    [ -n "$server_pid" ] && kill -KILL "$server_pid" 2>/dev/null
    pkill -KILL -f "$work/" 2>/dev/null
    for c in "${containers[@]}"; do
        buildah umount "$c" >/dev/null 2>&1
        buildah rm "$c" >/dev/null 2>&1
    done
    buildah rm --all >/dev/null 2>&1
    buildah rmi --all --force >/dev/null 2>&1
    # vfs leaves plain directories only; anything still mounted under the work dir goes first.
    grep -o " $work[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || fail "run as root (buildah's chroot isolation and debootstrap need it)"
missing=""
command -v buildah >/dev/null || missing="$missing buildah"
command -v debootstrap >/dev/null || missing="$missing debootstrap"
python3 -c 'import boto3' 2>/dev/null || missing="$missing python3-boto3"
if [ -n "$missing" ]; then
    log "installing:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# A private storage configuration: vfs needs no kernel overlay support.
export CONTAINERS_STORAGE_CONF="$work/storage.conf"
cat >"$CONTAINERS_STORAGE_CONF" <<EOF
[storage]
driver = "vfs"
runroot = "$work/run"
graphroot = "$work/graph"
EOF
export BUILDAH_ISOLATION=chroot
# buildah's own scratch files go under the work dir too, so cleanup removes them.
mkdir -p "$work/tmp"
export TMPDIR="$work/tmp"

# --- the base image, bootstrapped once and cached as a tarball ---------------------------------
mkdir -p "$cache"
base_tar="$cache/debian-bookworm-minbase.tar"
if [ ! -s "$base_tar" ]; then
    mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1)
    [ -n "$mirror" ] || mirror=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null)
    [ -n "$mirror" ] || fail "no Debian mirror in apt's configuration (/etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list): debootstrap needs one"
    log "bootstrapping debian bookworm (minbase) from $mirror"
    start=$(date +%s)
    debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
        || { tail -n 20 "$work/debootstrap.log" >&2; fail "debootstrap"; }
    rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
    tar -C "$work/rootfs" -cf "$base_tar.partial" .
    mv "$base_tar.partial" "$base_tar"
    rm -rf "$work/rootfs"
    log "bootstrap took $(( $(date +%s) - start )) s"
fi
log "importing the base as debian:bookworm-slim"
base=$(buildah from scratch)
containers+=("$base")
mnt=$(buildah mount "$base")
tar -C "$mnt" -xf "$base_tar"
buildah umount "$base" >/dev/null
buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$base"
buildah commit --quiet "$base" docker.io/library/debian:bookworm-slim >/dev/null
buildah rm "$base" >/dev/null

# --- the real Dockerfile ------------------------------------------------------------------------
log "building docker/Dockerfile"
start=$(date +%s)
revision=$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
buildah bud --pull=never --isolation chroot --layers=false -f "$root/docker/Dockerfile" \
    --build-arg "REKMOCK_REVISION=$revision" \
    -t "$image" "$root" >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log" >&2; fail "build"; }
log "image built in $(( $(date +%s) - start )) s"
size=$(buildah images --format '{{.Size}}' "$image" | head -n1)
probe=$(buildah from "$image")
containers+=("$probe")
bytes=$(du -sb "$(buildah mount "$probe")" | cut -f1)
buildah umount "$probe" >/dev/null

# --- run it: host network, the image's entrypoint and environment, a /data volume --------------
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
volume="$work/data"
mkdir -p "$volume"
# A host folder as the object store, as users mount one: an input bucket with a manifest and an
# image, an output bucket. It is mounted at /lab rather than over the image's /data/s3: buildah's
# chroot runs give the image's declared VOLUME /data precedence over a bind mount below it.
lab="$work/lab"
mkdir -p "$lab/verify-bucket" "$lab/verify-results"
cp "$root/tests/data/images/ok-120x90.png" "$lab/verify-bucket/image.png"
echo '{"source-ref": "s3://verify-bucket/image.png"}' >"$lab/verify-bucket/manifest.jsonl"
chown -R 65532:65532 "$volume" "$lab"
ctr=$(buildah from "$image")
containers+=("$ctr")
entrypoint=$(buildah inspect --format '{{.OCIv1.Config.Entrypoint}}' "$ctr")
[ "$entrypoint" = '[/rekognition-mock]' ] || fail "entrypoint is $entrypoint"
buildah inspect --format '{{.OCIv1.Config.Env}}' "$ctr" | grep -q 'REKOGNITION_MOCK_S3_DIR=/data/s3' ||
    fail "the image's object store is not /data/s3 by default"
printed=$(buildah run --isolation chroot "$ctr" /rekognition-mock --version)
[ "$printed" = "rekognition-mock $version ($revision)" ] ||
    fail "the image's --version prints '$printed'"
user=$(buildah inspect --format '{{.OCIv1.Config.User}}' "$ctr")
[ "$user" = "65532:65532" ] || fail "image user is '$user', not non-root 65532"

start_server() {
    buildah run --isolation chroot --network host --user 65532:65532 \
        --volume "$volume:/data" --volume "$lab:/lab" --env "REKOGNITION_MOCK_S3_DIR=/lab" \
        --env "REKOGNITION_MOCK_PORT=$port" \
        "$ctr" /rekognition-mock >"$work/server-$1.out" 2>"$work/server-$1.err" &
    server_pid=$!
}

# Polls the port from the host until the API answers; sets healthy_ms.
wait_healthy() {
    local t0 t1
    t0=$(date +%s%N)
    python3 - "$port" "$server_pid" <<'PY' || { cat "$work"/server-*.err >&2; fail "not healthy within 10 s"; }
import http.client, os, sys, time
port, pid = int(sys.argv[1]), int(sys.argv[2])
deadline = time.monotonic() + 10
while time.monotonic() < deadline:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        sys.exit("server exited")
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
        connection.request("POST", "/", body=b"{}",
                           headers={"X-Amz-Target": "RekognitionService.ListMediaAnalysisJobs"})
        if connection.getresponse().status == 200:
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.005)
sys.exit(1)
PY
    t1=$(date +%s%N)
    healthy_ms=$(( (t1 - t0) / 1000000 ))
}

# The image's own HEALTHCHECK command must agree.
check_healthcheck_command() {
    buildah run --isolation chroot --network host --env "REKOGNITION_MOCK_PORT=$port" \
        "$ctr" /rekognition-mock --healthcheck || fail "the HEALTHCHECK command reports unhealthy"
}

# SIGTERM goes to the server process itself (PID 1 in a real container), not to buildah; sets
# stop_ms. Not called in a subshell: it waits for the buildah run child.
stop_server() {
    local pid t0 t1 status
    # The newest: a server left by an earlier, failed run must not take this run's signal.
    pid=$(pgrep -n -f "^/rekognition-mock$" || true)
    [ -n "$pid" ] || fail "server process not found"
    t0=$(date +%s%N)
    kill -TERM "$pid"
    status=0
    wait "$server_pid" || status=$?
    t1=$(date +%s%N)
    server_pid=""
    [ "$status" = 0 ] || { cat "$work"/server-*.err >&2; fail "exit status $status after SIGTERM"; }
    stop_ms=$(( (t1 - t0) / 1000000 ))
    (( stop_ms < 1000 )) || fail "took ${stop_ms} ms to stop"
}

log "starting the container on port $port"
start_server 1
wait_healthy
log "answering after ${healthy_ms} ms (from launching buildah run, its own overhead included)"
check_healthcheck_command
log "the image's HEALTHCHECK command (/rekognition-mock --healthcheck) reports healthy"

job_id=$(python3 - "$port" <<'PY'
import sys
import boto3

client = boto3.client("rekognition", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}",
                      region_name="us-east-1", aws_access_key_id="test",
                      aws_secret_access_key="test")
jobs, token = [], None
while True:
    page = client.list_media_analysis_jobs(MaxResults=10, **({"NextToken": token} if token else {}))
    jobs += page["MediaAnalysisJobs"]
    token = page.get("NextToken")
    if not token:
        break
assert len(jobs) == 48, f"listed {len(jobs)} jobs, expected the 48 default fixtures"
started = client.start_media_analysis_job(
    OperationsConfig={"DetectModerationLabels": {"MinConfidence": 50}},
    Input={"S3Object": {"Bucket": "verify-bucket", "Name": "manifest.jsonl"}},
    OutputConfig={"S3Bucket": "verify-results"})
print(started["JobId"])
PY
) || fail "boto3 against the container"
log "boto3 listed 48 fixture jobs and started job $job_id"
python3 - "$port" <<'PY' || fail "the browser view is not served"
import sys
import urllib.request

base = f"http://127.0.0.1:{sys.argv[1]}"
with urllib.request.urlopen(base + "/_mock/ui", timeout=5) as page:
    assert page.status == 200, page.status
    assert page.headers["Content-Type"].startswith("text/html"), page.headers["Content-Type"]
    assert b"/_mock/ui/app.js" in page.read()
with urllib.request.urlopen(base + "/_mock/ui/app.js", timeout=5) as script:
    assert script.headers["Content-Type"].startswith("text/javascript")
PY
log "GET /_mock/ui answers 200 text/html and its script, from the binary alone"

stop_server
log "SIGTERM: exit 0 after ${stop_ms} ms"

log "restarting on the same /data volume"
start_server 2
wait_healthy
python3 - "$port" "$job_id" <<'PY' || fail "the started job did not survive the restart"
import sys
import boto3

client = boto3.client("rekognition", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}",
                      region_name="us-east-1", aws_access_key_id="test",
                      aws_secret_access_key="test")
job = client.get_media_analysis_job(JobId=sys.argv[2])
assert job["Status"] == "SUCCEEDED", (job["Status"], job.get("FailureDetails"))
assert job["Results"]["S3Object"]["Name"] == sys.argv[2] + "-results.jsonl", job["Results"]
count = 0
token = None
while True:
    page = client.list_media_analysis_jobs(**({"NextToken": token} if token else {}))
    count += len(page["MediaAnalysisJobs"])
    token = page.get("NextToken")
    if not token:
        break
assert count == 49, f"{count} jobs after restart: fixtures must be replaced, not duplicated"
PY
log "job $job_id and the 48 fixtures (not duplicated) survived the restart"
grep -q '"source-ref":"s3://verify-bucket/image.png"' \
    "$lab/verify-results/$job_id-results.jsonl" ||
    fail "the job's results are not in the mounted object store"
grep -q '"valid-json-lines":1' "$lab/verify-results/$job_id-manifest-summary.json" ||
    fail "the job's manifest summary is not in the mounted object store"
log "the job read its manifest from the mounted folder and wrote its results and summary there"
first_stop_ms=$stop_ms
stop_server
stop_ms=$(( stop_ms > first_stop_ms ? stop_ms : first_stop_ms ))

# --- the image archive `make dist` writes: both platforms, each its architecture's binary --------
archive="$root/dist/rekognition-mock-$version-oci.tar"
[ -s "$archive" ] || fail "$archive is missing: run make dist first"
for platform in amd64:62 arm64:183; do
    arch=${platform%%:*}
    ctr=$(buildah from --quiet --arch "$arch" --os linux "oci-archive:$archive" 2>"$work/from.err") ||
        { cat "$work/from.err" >&2; fail "buildah cannot take linux/$arch from $archive"; }
    containers+=("$ctr")
    declared=$(buildah inspect --format '{{.OCIv1.OS}}/{{.OCIv1.Architecture}}' "$ctr")
    [ "$declared" = "linux/$arch" ] || fail "the archive's linux/$arch image declares $declared"
    # e_machine, bytes 18-19 of the ELF header: 62 for x86-64, 183 for aarch64.
    machine=$(od -An -tu2 -j18 -N2 "$(buildah mount "$ctr")/rekognition-mock" | tr -d ' ')
    [ "$machine" = "${platform##*:}" ] || fail "linux/$arch holds a binary for machine $machine"
    buildah umount "$ctr" >/dev/null
    if [ "$arch" = amd64 ]; then
        printed=$(buildah run --isolation chroot "$ctr" /rekognition-mock --version)
        [ "$printed" = "rekognition-mock $version ($revision)" ] || fail "the archive's amd64 image prints '$printed'"
    fi
done
log "the image archive holds linux/amd64 and linux/arm64, each with its architecture's binary"

log "image size: $size ($bytes bytes unpacked); time to healthy: ${healthy_ms} ms"
echo "docker/verify.sh: image $size, healthy in ${healthy_ms} ms, stopped in ${stop_ms} ms: OK"
