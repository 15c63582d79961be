#pragma once
// The "follow" request: a job's log so far, then each line as it is written,
// then how the job ended.

#include <cstdint>

#include "core/spool.hpp"
#include "daemon/connection.hpp"
#include "daemon/log_board.hpp"

namespace pushgate::daemon {

// Streams job `job`'s log to `client` as reply_line()s and ends with
// reply_done(), or with reply_error() when there is no such job or the daemon
// stops. Returns early when the client leaves. Waiting for a job that has
// not started yet is fine: it streams once the job runs.
void follow_job(const Spool& spool, LogBoard& board, std::uint64_t job, Connection& client);

}  // namespace pushgate::daemon
