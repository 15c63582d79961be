#include "deployers/kubernetes/cluster_schema.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/util/durable.hpp"
#include "core/util/unique_fd.hpp"
#include "core/util/write_all.hpp"

namespace pushgate::kubernetes {

namespace fs = std::filesystem;

std::filesystem::path cluster_schema_file(const fs::path& git_dir, std::string_view env) {
  return git_dir / "pushgate-schemas" / fmt::format("{}.openapi-v2.json", env);
}

Expected<std::uintmax_t> save_cluster_schema(const Kubectl& kubectl, const fs::path& file) {
  KubectlResult r = kubectl.fetch({"get", "--raw", "/openapi/v2"});
  if (!r.ok()) return Error{ErrorCode::io, fmt::format("cannot fetch the cluster's /openapi/v2: {}", r.describe())};
  // Only the top is looked at: the validators read the whole of it later.
  auto doc = nlohmann::json::parse(r.out, nullptr, false);
  if (!doc.is_object() || doc.value("swagger", "") != "2.0" || !doc.contains("definitions"))
    return Error{ErrorCode::io, "the cluster's /openapi/v2 is not a Swagger 2.0 document with definitions"};

  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  if (ec) return Error{ErrorCode::io, fmt::format("cannot create {}: {}", file.parent_path().string(), ec.message())};
  fs::path temp = file;
  temp += fmt::format(".{}.tmp", ::getpid());
  auto failed = [&](std::string_view what, const fs::path& path) {
    Error e{ErrorCode::io, fmt::format("cannot {} {}: {}", what, path.string(), std::strerror(errno))};
    fs::remove(temp, ec);
    return e;
  };
  {
    UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644));
    if (!fd) return failed("create", temp);
    if (!write_all(fd.get(), r.out) || ::fsync(fd.get()) != 0) return failed("write", temp);
  }
  if (::rename(temp.c_str(), file.c_str()) != 0) return failed("rename into place", file);
  if (auto synced = sync_dir(file.parent_path()); !synced) return synced.error();
  return r.out.size();
}

}  // namespace pushgate::kubernetes
