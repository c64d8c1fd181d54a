"""What the dist tests share: where `make dist` wrote its files, how a user's boto3 lists every
job, and which machine an ELF binary is for."""

import os
import subprocess

from botocore.config import Config
import boto3

# e_machine of the architectures dist ships, by every name they go by.
ELF_MACHINES = {"x86_64": 62, "amd64": 62, "x64": 62, "aarch64": 183, "arm64": 183}


def dist_dir():
    """dist/, which must exist: these tests check what `make dist` wrote."""
    path = os.environ.get("REKMOCK_DIST_DIR")
    if not path or not os.path.isdir(path):
        raise AssertionError(f"no dist folder at {path!r}: run `make dist` first")
    return path


def elf_machine(header):
    """The e_machine of an ELF file whose first 20 bytes are `header`."""
    if header[:4] != b"\x7fELF":
        raise AssertionError(f"not an ELF file: {header[:4]!r}")
    return int.from_bytes(header[18:20], "little")


def listed_job_ids(endpoint):
    """Every JobId a boto3 client lists at `endpoint`, following NextToken as users do."""
    client = boto3.client("rekognition", endpoint_url=endpoint, region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test",
                          config=Config(retries={"total_max_attempts": 1}))
    ids, token = [], None
    while True:
        page = client.list_media_analysis_jobs(**({"NextToken": token} if token else {}))
        ids += [job["JobId"] for job in page["MediaAnalysisJobs"]]
        token = page.get("NextToken")
        if not token:
            return ids


def podman_config(folder):
    """Variables that point podman at a private store and at what runs containers on this
    machine (runc and cgroupfs: crun refuses its hybrid cgroups; CNI, which Debian's podman
    brings; ulimits under its hard limits), so the blocks run as written and leave nothing in
    the machine's own store."""
    containers = os.path.join(folder, ".containers.conf")
    with open(containers, "w") as f:
        f.write('[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]\n'
                '[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\n'
                'events_logger = "none"\n[network]\nnetwork_backend = "cni"\n')
    storage = os.path.join(folder, ".storage.conf")
    with open(storage, "w") as f:
        f.write(f'[storage]\ndriver = "vfs"\ngraphroot = "{folder}/.podman-root"\n'
                f'runroot = "{folder}/.podman-run"\n')
    return {"CONTAINERS_CONF": containers, "CONTAINERS_STORAGE_CONF": storage}


def run(args, **kwargs):
    """Runs `args` to completion (5 minutes at most); an AssertionError with its output unless
    it exits 0."""
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)
    if done.returncode != 0:
        raise AssertionError(f"{args} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done
