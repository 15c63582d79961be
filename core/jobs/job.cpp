#include "core/jobs/job.hpp"

#include <fmt/format.h>

#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

namespace pushgate {

std::string repo_identity(const std::string& git_dir) {
  std::error_code ec;
  std::filesystem::path path = std::filesystem::weakly_canonical(std::filesystem::absolute(git_dir), ec);
  if (ec) path = std::filesystem::absolute(git_dir).lexically_normal();
  std::string text = path.string();
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  return text;
}

namespace {

using Json = nlohmann::json;

constexpr JobKind k_kinds[] = {JobKind::push, JobKind::deploy, JobKind::rollback};

// A string member of `object`: "" when absent, nullopt when of another type.
std::optional<std::string> optional_string(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return std::string();
  if (!it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

}  // namespace

const char* to_string(JobKind kind) {
  switch (kind) {
    case JobKind::push: return "push";
    case JobKind::deploy: return "deploy";
    case JobKind::rollback: return "rollback";
    case JobKind::drift: return "drift";
  }
  return "unknown";
}

std::string abbreviate(std::string_view commit) { return std::string(commit.substr(0, 7)); }

std::string describe_job(const Job& job) {
  std::string commit = abbreviate(job.commit);
  if (job.kind == JobKind::drift) return fmt::format("drift check of {}", job.env);
  if (job.kind != JobKind::rollback) return fmt::format("deploy of {} to {}", commit, job.env);
  return fmt::format("rollback of {} to {}", job.env,
                     commit.empty() ? std::string("the previous successful release") : commit);
}

std::string job_to_json(const Job& job) {
  Json j = {{"id", job.id},         {"kind", to_string(job.kind)},
            {"repo", job.repo},     {"env", job.env},
            {"ref", job.ref},       {"commit", job.commit},
            {"pusher", job.pusher}, {"enqueued_at", job.enqueued_at}};
  // A repository path or pusher name that is not UTF-8 must not stop a push
  // from being queued; the odd bytes become U+FFFD in the stored job.
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Expected<Job> job_from_json(std::string_view text, const std::string& origin) {
  auto fail = [&](std::string_view why) {
    return Error{ErrorCode::input, fmt::format("{}: not a pushgate job: {}", origin, why)};
  };
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded()) return fail("invalid JSON");
  if (!j.is_object()) return fail("expected a JSON object");

  Job job;
  auto id = j.find("id");
  if (id == j.end() || !id->is_number_unsigned() || id->get<std::uint64_t>() == 0)
    return fail("'id' must be a positive whole number");
  job.id = id->get<std::uint64_t>();

  auto kind = j.find("kind");
  if (kind == j.end() || !kind->is_string()) return fail("'kind' must be a string");
  bool known = false;
  for (JobKind k : k_kinds) {
    if (*kind == to_string(k)) {
      job.kind = k;
      known = true;
    }
  }
  if (!known) return fail(fmt::format("unknown kind '{}'", kind->get<std::string>()));

  struct Member {
    const char* key;
    std::string Job::*field;
  };
  static constexpr Member members[] = {{"repo", &Job::repo},     {"env", &Job::env},
                                       {"ref", &Job::ref},       {"commit", &Job::commit},
                                       {"pusher", &Job::pusher}, {"enqueued_at", &Job::enqueued_at}};
  for (const auto& m : members) {
    auto value = optional_string(j, m.key);
    if (!value) return fail(fmt::format("'{}' must be a string", m.key));
    job.*m.field = std::move(*value);
  }
  if (job.repo.empty() || job.env.empty()) return fail("'repo' and 'env' are required");
  return job;
}

std::string utc_now() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace pushgate
