#pragma once
// pushgated's control socket protocol: one JSON object per line each way.
//
//   {"op":"ping"}             -> {"ok":true,"version":"0.1.0","spool":PATH,"spool_id":ID}
//   {"op":"status","repo":R,"env":E}                -> {"ok":true,"status":{...}}   (env optional)
//   {"op":"deploy","repo":R,"env":E,"commit":C}     -> {"ok":true,"job":17}
//   {"op":"rollback","repo":R,"env":E,"to":C}       -> {"ok":true,"job":18} (to optional)
//   {"op":"follow","spool":ID,"job":17}
//                             -> {"line":"..."} per log line, as the log grows, and
//                                {"keepalive":true} after every second of silence, then
//                                {"done":true,"status":"succeeded","message":"...","release":"..."}
//   any failure                                     -> {"ok":false,"error":"..."}
//
// Who asks is what the kernel says about the peer (SO_PEERCRED); a request
// field naming a pusher is ignored. Jobs are named by the spool's id and
// their number: numbers of two spools collide.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/util/error.hpp"
#include "core/jobs/spool.hpp"
#include "core/util/version.hpp"

namespace pushgate {

// Longest request or reply line either side accepts.
inline constexpr std::size_t k_max_control_line = 1 << 20;

enum class ControlOp { ping, status, deploy, rollback, follow };

struct ControlRequest {
  ControlOp op = ControlOp::ping;
  std::string repo;    // status, deploy, rollback
  std::string env;     // deploy, rollback; status: "" for all environments
  std::string commit;  // deploy: the commit to deploy
  std::string to;      // rollback: the target commit, "" for the previous good release
  std::string spool_id;   // follow: the id of the spool the job is in (Spool::id)
  std::uint64_t job = 0;  // follow
};

// One request line (without the newline). Errors (ErrorCode::input) say
// which field is missing or has the wrong type.
Expected<ControlRequest> parse_control_request(std::string_view line);
std::string format_control_request(const ControlRequest& request);

// What a reply line says; fields not in the line are left empty.
struct ControlReply {
  bool ok = true;              // false: `error` says why
  std::string error;
  std::string version;         // ping
  std::string spool;           // ping: the spool folder the daemon serves
  std::string spool_id;        // ping: its id
  bool keepalive = false;      // follow: nothing new, the daemon is alive
  std::uint64_t job = 0;       // deploy, rollback
  std::string status_json;     // status: the "status" object, as JSON text
  std::optional<std::string> line;     // follow: one log line
  std::optional<JobOutcome> done;      // follow: the job ended (finished_at stays empty)
};

// One reply line. Errors (ErrorCode::input) for text that is not a reply.
Expected<ControlReply> parse_control_reply(std::string_view line);

// Reply lines as the daemon sends them, each without the newline. Text that
// is not valid UTF-8 is sent with replacement characters.
std::string reply_error(std::string_view message);
std::string reply_pong(const Spool& spool);
std::string reply_keepalive();
std::string reply_job(std::uint64_t job);
// `status_json` must be a JSON object (core/records/deploy_status.hpp makes one).
std::string reply_status(std::string_view status_json);
std::string reply_line(std::string_view line);
std::string reply_done(const JobOutcome& outcome);

}  // namespace pushgate
