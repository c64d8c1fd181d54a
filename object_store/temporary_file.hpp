#pragma once

// The temporary file a folder-store write fills before renaming it over its key, named so that a
// later writer can tell one a live writer is filling from one a dead writer left (a SIGKILL, a
// crash, a power cut): ".rekmock-tmp-<slot>-<name>", held under flock(2) for as long as its
// writer lives. The kernel drops the lock when the process ends, however it ends and whatever
// pid namespace it ran in; a pid in the name could not tell a reused pid, or a server in another
// container on the same volume, from the writer that died.
//
// A writer of `name` takes the first of kTemporarySlots slots no live writer holds (a new file,
// or a dead writer's truncated), then removes every other slot of `name` that no live writer
// holds: work resumed after a crash writes the same keys again, so the leftovers go then. On a
// filesystem without flock, a random name stands in, and a crash's leftover stays.

#include <string>

#include "file_descriptor.hpp"

namespace rekmock::objects {

// How many writers of one key may write at once; one more fails with EAGAIN rather than wait.
inline constexpr int kTemporarySlots = 16;

struct TemporaryFile {
    FileDescriptor fd;  // open for writing, empty, locked while open
    std::string name;   // in the folder it was claimed in
};

// A temporary file for `name` in the open folder `folder`, leftovers of dead writers of `name`
// removed; throws std::system_error with the errno of the failure.
TemporaryFile claim_temporary(int folder, const std::string& name);

}  // namespace rekmock::objects
