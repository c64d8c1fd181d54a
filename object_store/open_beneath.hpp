#pragma once

// Opening a path beneath a folder without leaving it: the folder store's guard against a bucket,
// a prefix folder or a key that is a symbolic link (to /etc/passwd, to another bucket, to a
// folder outside --s3-dir). No symbolic link is followed anywhere on the path, not even one that
// stays inside the folder: the simplest rule that leaves nothing to judge.
//
// Linux's openat2(2) with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS does it in one call, free of
// races; where the kernel lacks it (before 5.6, qemu-user, a seccomp filter that answers ENOSYS
// or EPERM) a walk opens one segment at a time with O_NOFOLLOW.

#include <sys/types.h>

#include <string_view>

namespace rekmock::objects {

// How open_beneath resolves: Kernel tries openat2 and walks only when it is unavailable; Walk
// always walks (for tests of the fallback).
enum class BeneathResolution { Kernel, Walk };

// Opens `relative` (segments joined by '/', none empty, "." or "..") beneath the folder
// `dirfd` with open(2)'s `flags` and `mode`, O_CLOEXEC added; returns the descriptor, or -1 with
// errno set: ELOOP when a segment is a symbolic link, as open(2) reports O_NOFOLLOW's refusal.
int open_beneath(int dirfd, std::string_view relative, int flags, mode_t mode = 0,
                 BeneathResolution how = BeneathResolution::Kernel);

}  // namespace rekmock::objects
