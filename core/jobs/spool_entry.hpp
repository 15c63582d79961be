#pragma once
// Reading one entry of the spool, which every pusher can write: opened
// without blocking (a FIFO) and without following a link, checked with
// fstat before a byte is read, and read with a cap.

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <string>

#include "core/util/unique_fd.hpp"

namespace pushgate {

struct SpoolEntry {
  enum class State {
    read,        // `text` and `owner` hold the file
    gone,        // it was renamed or removed since it was listed
    not_a_job,   // not a regular file, or too big: `why` says which
    unreadable,  // a regular file that cannot be read (`why`: the error)
  };
  State state = State::gone;
  std::string text;
  uid_t owner = 0;  // the file's owner, from fstat of the open descriptor
  std::string why;
};

// Reads the regular file `path` of at most `cap` bytes. Never blocks and
// never follows a symbolic link (a link is `not_a_job`).
SpoolEntry read_spool_entry(const std::filesystem::path& path, std::size_t cap);

// Moves `path` into `bad_dir` under its own name, or that name with a
// ".N" suffix when it is taken (a folder cannot replace a file), so nothing
// is lost and a bad entry is met once. Returns where it went, or "" with
// errno set.
std::filesystem::path move_aside(const std::filesystem::path& path, const std::filesystem::path& bad_dir);

// Opens SPOOL/logs/<id>.log for appending, as pushgated. A pusher can make
// that name before the job runs: anything there that is not a regular file
// of this account (a FIFO would block the open, a link would have the daemon
// write through it, a planted file would put lines in the job's log) is moved
// to SPOOL/bad/ with one warning and a new log is made. An empty UniqueFd,
// errno set, when it cannot be opened.
UniqueFd open_job_log(const std::filesystem::path& path);

// Opens a job log for reading without blocking or following a link; empty
// when it is missing or not a regular file.
UniqueFd open_job_log_for_reading(const std::filesystem::path& path);

}  // namespace pushgate
