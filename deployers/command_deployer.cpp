#include "deployers/command_deployer.hpp"

#include <fmt/format.h>

#include <boost/uuid/detail/sha1.hpp>

namespace pushgate {

namespace {

std::string sha1_hex(const std::string& text) {
  boost::uuids::detail::sha1 hash;
  hash.process_bytes(text.data(), text.size());
  boost::uuids::detail::sha1::digest_type digest;
  hash.get_digest(digest);
  std::string hex;
  constexpr int k_width = 2 * sizeof(digest[0]);  // the digest's element type changed in later Boost
  for (auto part : digest) hex += fmt::format("{:0{}x}", part, k_width);
  return hex;
}

}  // namespace

CommandDeployer::CommandDeployer(Environment env, const std::string& repo, const std::filesystem::path& state_dir,
                                 ProcessRunner& runner)
    : LocalDeployer(env, release_root(repo, env.name, state_dir), runner) {}

std::filesystem::path CommandDeployer::release_root(const std::string& repo, const std::string& env,
                                                    const std::filesystem::path& state_dir) {
  // One folder per repository whatever its path looks like; the hash keeps
  // names short and free of separators.
  return state_dir / "releases" / sha1_hex(repo).substr(0, 12) / env;
}

std::optional<std::string> CommandDeployer::activate(const StepRunner& steps, const StepContext& context) {
  return steps.run("run", environment().deployer.run, context, environment().deployer.timeout);
}

Expected<Drift> CommandDeployer::drift(const DeployRequest& request) { return Deployer::drift(request); }

}  // namespace pushgate
