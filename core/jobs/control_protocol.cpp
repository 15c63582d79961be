#include "core/jobs/control_protocol.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace pushgate {

namespace {

using Json = nlohmann::json;

struct OpName {
  ControlOp op;
  const char* name;
};
constexpr OpName k_ops[] = {{ControlOp::ping, "ping"},
                            {ControlOp::status, "status"},
                            {ControlOp::deploy, "deploy"},
                            {ControlOp::rollback, "rollback"},
                            {ControlOp::follow, "follow"}};

const char* op_name(ControlOp op) {
  for (const auto& o : k_ops)
    if (o.op == op) return o.name;
  return "unknown";
}

// Log lines and paths come from the outside world and need not be UTF-8; a
// reply must still go out.
std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

Error bad(std::string_view why) {
  return Error{ErrorCode::input, fmt::format("bad control request: {}", why)};
}

// Reads member `key` into `out`: "" when absent; an error for other types or
// when `required` and empty.
std::optional<Error> read_string(const Json& j, const char* key, bool required, std::string& out) {
  auto it = j.find(key);
  if (it != j.end() && !it->is_string()) return bad(fmt::format("'{}' must be a string", key));
  if (it != j.end()) out = it->get<std::string>();
  if (required && out.empty()) return bad(fmt::format("'{}' is required", key));
  return std::nullopt;
}

std::string string_member(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Expected<ControlRequest> parse_control_request(std::string_view line) {
  Json j = Json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return bad("expected one JSON object per line");
  auto op = j.find("op");
  if (op == j.end() || !op->is_string()) return bad("'op' must be a string");
  ControlRequest request;
  bool known = false;
  for (const auto& o : k_ops) {
    if (*op == o.name) {
      request.op = o.op;
      known = true;
    }
  }
  if (!known) return bad(fmt::format("unknown op '{}'", op->get<std::string>()));

  bool needs_target = request.op == ControlOp::deploy || request.op == ControlOp::rollback;
  bool needs_repo = needs_target || request.op == ControlOp::status;
  for (auto error : {read_string(j, "repo", needs_repo, request.repo),
                     read_string(j, "env", needs_target, request.env),
                     read_string(j, "commit", request.op == ControlOp::deploy, request.commit),
                     read_string(j, "to", false, request.to),
                     read_string(j, "spool", request.op == ControlOp::follow, request.spool_id)})
    if (error) return *error;
  if (request.op == ControlOp::follow) {
    auto job = j.find("job");
    if (job == j.end() || !job->is_number_unsigned() || job->get<std::uint64_t>() == 0)
      return bad("'job' must be a positive whole number");
    request.job = job->get<std::uint64_t>();
  }
  return request;
}

std::string format_control_request(const ControlRequest& request) {
  Json j = {{"op", op_name(request.op)}};
  if (!request.repo.empty()) j["repo"] = request.repo;
  if (!request.env.empty()) j["env"] = request.env;
  if (!request.commit.empty()) j["commit"] = request.commit;
  if (!request.to.empty()) j["to"] = request.to;
  if (!request.spool_id.empty()) j["spool"] = request.spool_id;
  if (request.job != 0) j["job"] = request.job;
  return dump(j);
}

Expected<ControlReply> parse_control_reply(std::string_view line) {
  Json j = Json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return Error{ErrorCode::input, "pushgated sent something that is not a reply"};
  ControlReply reply;
  if (auto ok = j.find("ok"); ok != j.end() && ok->is_boolean()) reply.ok = ok->get<bool>();
  reply.error = string_member(j, "error");
  if (!reply.ok && reply.error.empty()) reply.error = "pushgated refused the request";
  reply.version = string_member(j, "version");
  reply.spool = string_member(j, "spool");
  reply.spool_id = string_member(j, "spool_id");
  if (auto k = j.find("keepalive"); k != j.end() && k->is_boolean()) reply.keepalive = k->get<bool>();
  if (auto job = j.find("job"); job != j.end() && job->is_number_unsigned())
    reply.job = job->get<std::uint64_t>();
  if (auto status = j.find("status"); status != j.end() && status->is_object())
    reply.status_json = dump(*status);
  if (auto l = j.find("line"); l != j.end() && l->is_string()) reply.line = l->get<std::string>();
  if (auto done = j.find("done"); done != j.end() && done->is_boolean() && done->get<bool>()) {
    JobOutcome outcome;
    outcome.status = string_member(j, "status");
    outcome.message = string_member(j, "message");
    outcome.release = string_member(j, "release");
    reply.done = std::move(outcome);
  }
  return reply;
}

std::string reply_error(std::string_view message) {
  return dump({{"ok", false}, {"error", message}});
}

std::string reply_pong(const Spool& spool) {
  return dump({{"ok", true}, {"version", k_pushgate_version}, {"spool", spool.dir().string()}, {"spool_id", spool.id()}});
}

std::string reply_keepalive() { return dump({{"keepalive", true}}); }

std::string reply_job(std::uint64_t job) { return dump({{"ok", true}, {"job", job}}); }

std::string reply_status(std::string_view status_json) {
  Json status = Json::parse(status_json, nullptr, false);
  if (status.is_discarded()) return reply_error("internal error: status is not JSON");
  return dump({{"ok", true}, {"status", std::move(status)}});
}

std::string reply_line(std::string_view line) { return dump({{"line", line}}); }

std::string reply_done(const JobOutcome& outcome) {
  return dump({{"done", true},
               {"status", outcome.status},
               {"message", outcome.message},
               {"release", outcome.release}});
}

}  // namespace pushgate
