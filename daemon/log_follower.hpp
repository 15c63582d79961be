#pragma once
// The "follow" request: a job's log so far, then each line as it is written,
// then how the job ended.

#include <cstdint>
#include <string>

#include "core/jobs/spool.hpp"
#include "daemon/connection.hpp"
#include "daemon/log_board.hpp"

namespace pushgate::daemon {

// Streams job `job` of the spool with id `spool_id` to `client` as
// reply_line()s, with a reply_keepalive() after each second without news,
// and ends with reply_done() (when the job ended, or when it is deployed and
// only its record is pending), or with reply_error() when `spool` is not
// that spool, there is no such job or the daemon stops. Returns early when
// the client leaves. Waiting for a job that has not started yet is fine: it
// streams once the job runs.
void follow_job(const Spool& spool, LogBoard& board, const std::string& spool_id, std::uint64_t job,
                Connection& client);

}  // namespace pushgate::daemon
