#include "deployers/kubernetes/kubernetes_deployer.hpp"

#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <chrono>
#include <set>
#include <sstream>
#include <thread>

#include "core/util/trusted_file.hpp"
#include "deployers/kubernetes/cluster_drift.hpp"
#include "deployers/kubernetes/cluster_schema.hpp"
#include "deployers/kubernetes/inventory.hpp"
#include "deployers/kubernetes/manifest_objects.hpp"
#include "deployers/kubernetes/readiness.hpp"
#include "deployers/release_tree.hpp"

namespace pushgate::kubernetes {

namespace fs = std::filesystem;
using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {

constexpr milliseconds k_first_poll{200};
constexpr milliseconds k_max_poll{2'000};
// A status read is quick; a slow one must not eat the whole readiness budget.
constexpr milliseconds k_read_timeout{30'000};

std::string short_id(const std::string& commit) { return commit.substr(0, 12); }

// The first words of each line of `text` (`kubectl get -o name`).
std::set<std::string> names_in(const std::string& text) {
  std::set<std::string> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line))
    if (!line.empty()) out.insert(line.substr(0, line.find(' ')));
  return out;
}

// The items of what `kubectl get -f FILE -o json` printed: a List, or the
// one object itself.
std::vector<json> items_of(const json& answer) {
  if (answer.is_object() && answer.value("kind", "") == "List" && answer.contains("items") &&
      answer["items"].is_array())
    return answer["items"].get<std::vector<json>>();
  if (answer.is_object()) return {answer};
  return {};
}

// The message after a failure `why` and the attempt to restore `commit`.
std::string restored_message(const std::string& why, const std::string& commit,
                             const std::optional<std::string>& failed) {
  if (failed) return fmt::format("{}; applying {} again failed too: {}", why, short_id(commit), *failed);
  return fmt::format("{}; {} is live again", why, short_id(commit));
}

}  // namespace

KubernetesDeployer::KubernetesDeployer(Environment env, fs::path git_dir, fs::path staging, ProcessRunner& runner)
    : m_env(std::move(env)),
      m_git_dir(std::move(git_dir)),
      m_staging(std::move(staging)),
      m_kubectl(m_env.deployer.kubernetes, runner, m_env.deployer.timeout) {}

DeployOutcome KubernetesDeployer::outcome(DeployStatus status, const std::string& release, std::string message) const {
  const KubernetesDeployerSettings& k = m_env.deployer.kubernetes;
  DeployOutcome o;
  o.status = status;
  o.release = release;
  o.target = fmt::format("kubernetes:{}/{}", k.context.empty() ? k.kubeconfig : k.context, k.namespace_name);
  o.message = std::move(message);
  return o;
}

std::vector<std::string> KubernetesDeployer::server_side_apply(const std::string& file) const {
  return {"apply", "--server-side", "--field-manager=pushgate", "--force-conflicts",
          "-n", m_env.deployer.kubernetes.namespace_name, "-f", file};
}

std::vector<std::string> KubernetesDeployer::applyset_apply(const std::string& file) const {
  auto args = server_side_apply(file);
  args.insert(args.end(), {fmt::format("--applyset=configmaps/{}", inventory_name(m_env.name)), "--prune"});
  return args;
}

KubernetesDeployer::Staged KubernetesDeployer::stage(const DeployRequest& request, const std::string& commit,
                                                     const std::string& release) const {
  Staged out;
  out.dir = m_staging / fmt::format("kubernetes-{}-{}", m_env.name, release);
  std::error_code ec;
  fs::remove_all(out.dir, ec);
  fs::create_directories(out.dir, ec);
  if (ec) {
    out.error = fmt::format("cannot create {}: {}", out.dir.string(), ec.message());
    return out;
  }
  auto copy = materialize_tree(request.repo, commit, m_env.path, out.dir / "tree",
                               {m_env.deployer.max_file_size, m_env.deployer.max_release_size});
  if (!copy) {
    out.error = copy.error().message;
    return out;
  }
  // kubectl reads the files itself, so the objects are what it would apply.
  if (copy->files > 0) {
    KubectlResult read = m_kubectl.run({"label", "--local", "--recursive", "-o", "json", "-f",
                                        (out.dir / "tree").string(),
                                        fmt::format("{}={}", k_environment_label, m_env.name)});
    if (!read.ok()) {
      out.error = fmt::format("kubectl cannot read the manifests: {}", read.describe());
      return out;
    }
    auto parsed = parse_object_stream(read.out);
    if (!parsed) {
      out.error = parsed.error().message;
      return out;
    }
    out.objects = std::move(*parsed);
  }
  if (auto w = write_object_list(out.objects, out.dir / "objects.json"); !w) out.error = w.error().message;
  return out;
}

KubernetesDeployer::Applied KubernetesDeployer::apply(const DeployRequest& request, const std::string& commit,
                                                      const std::string& release) const {
  const std::string& ns = m_env.deployer.kubernetes.namespace_name;
  Staged staged = stage(request, commit, release);
  if (staged.error) return {staged.error, staged.dir};
  const fs::path& dir = staged.dir;
  const std::vector<json>& objects = staged.objects;
  Applied out{std::nullopt, dir};
  const fs::path objects_file = dir / "objects.json";
  std::vector<json> first;
  std::copy_if(objects.begin(), objects.end(), std::back_inserter(first), applied_first);
  std::set<std::string> existed;

  if (!first.empty()) {
    fs::path file = dir / "first.json";
    if (auto w = write_object_list(first, file); !w) return {w.error().message, dir};
    existed = names_in(m_kubectl.run({"get", "--ignore-not-found", "-o", "name", "-f", file.string()}).out);
    if (KubectlResult r = m_kubectl.run(server_side_apply(file.string())); !r.ok())
      return {fmt::format("applying the CustomResourceDefinitions and Namespaces failed: {}", r.describe()), dir};
    std::vector<std::string> wait = {"wait", "--for=condition=Established",
                                     fmt::format("--timeout={}s", std::max<long>(1, m_env.deployer.timeout.count() / 1000))};
    for (const auto& o : first)
      if (o["kind"] == "CustomResourceDefinition") wait.push_back(kubectl_name(o));
    if (wait.size() > 3)
      if (KubectlResult r = m_kubectl.run(wait); !r.ok())
        return {fmt::format("the CustomResourceDefinitions were not Established: {}", r.describe()), dir};
  }

  if (!objects.empty()) {
    std::set<std::string> first_names;
    for (const auto& o : first) first_names.insert(kubectl_name(o));
    for (const auto& name : names_in(m_kubectl.run({"get", "--ignore-not-found", "-n", ns, "-o", "name", "-f",
                                                    objects_file.string()}).out))
      if (!first_names.contains(name)) existed.insert(name);
  }
  KubectlResult r = m_kubectl.run(applyset_apply(objects_file.string()));
  for (const auto& line : r.errors) request.log(fmt::format("kubectl: {}", line));
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    auto space = line.find(' ');
    std::string name = line.substr(0, space);
    std::string verb = space == std::string::npos ? "" : line.substr(space + 1);
    if (verb == "serverside-applied") verb = existed.contains(name) ? "configured" : "created";
    request.log(fmt::format("pushgate: {} {}", verb, name));
  }
  if (!r.ok()) out.error = fmt::format("kubectl apply failed: {}", r.describe());
  return out;
}

std::optional<std::string> KubernetesDeployer::wait_ready(const fs::path& objects, const LineSink& log) const {
  const auto start = steady_clock::now();
  const auto deadline = start + m_env.deployer.timeout;
  milliseconds poll = k_first_poll;
  std::vector<std::string> waiting;
  for (;;) {
    KubectlResult r = m_kubectl.run({"get", "-n", m_env.deployer.kubernetes.namespace_name, "-o", "json", "-f",
                                     objects.string()},
                                    k_read_timeout);
    waiting.clear();
    if (!r.ok()) {
      waiting.push_back(fmt::format("cannot read the objects: {}", r.describe()));
    } else {
      std::vector<json> items = items_of(json::parse(r.out, nullptr, false));
      for (const auto& item : items) {
        Readiness ready = readiness_of(item);
        if (ready.state == Readiness::State::failed)
          return fmt::format("{} will not become ready: {}", describe_object(item), ready.reason);
        if (ready.state == Readiness::State::waiting)
          waiting.push_back(fmt::format("{}: {}", describe_object(item), ready.reason));
      }
      if (waiting.empty()) {
        log(fmt::format("pushgate: {} objects ready after {} ms", items.size(),
                        std::chrono::duration_cast<milliseconds>(steady_clock::now() - start).count()));
        return std::nullopt;
      }
    }
    auto now = steady_clock::now();
    if (now >= deadline) break;
    std::this_thread::sleep_for(std::min<steady_clock::duration>(poll, deadline - now));
    poll = std::min(poll * 2, k_max_poll);
  }
  std::string list;
  for (const auto& w : waiting) {
    log(fmt::format("pushgate: not ready: {}", w));
    list += (list.empty() ? "" : "; ") + w;
  }
  return fmt::format("not ready within {} s: {}", m_env.deployer.timeout.count() / 1000, list);
}

std::optional<std::string> KubernetesDeployer::make_live(const DeployRequest& request, const std::string& commit,
                                                         const std::string& release) {
  request.log(fmt::format("pushgate: applying {} to {} (namespace {}, ApplySet {})", short_id(commit),
                          m_env.deployer.kubernetes.context.empty() ? m_env.deployer.kubernetes.kubeconfig
                                                                    : m_env.deployer.kubernetes.context,
                          m_env.deployer.kubernetes.namespace_name, inventory_name(m_env.name)));
  m_recorded.reset();
  Applied applied = apply(request, commit, release);
  std::optional<std::string> why = applied.error;
  if (!why) why = wait_ready(applied.dir / "objects.json", request.log);
  std::error_code ec;
  if (!applied.dir.empty()) fs::remove_all(applied.dir, ec);
  return why;
}

std::optional<std::string> KubernetesDeployer::restore(const DeployRequest& request, const std::string& why,
                                                       const std::string& commit) {
  request.log(fmt::format("pushgate: {}; applying {} again", why, short_id(commit)));
  auto earlier = releases();
  std::string release = !earlier.empty() && earlier.front().commit == commit ? earlier.front().release
                                                                             : request.release_id + "-restore";
  return make_live(request, commit, release);
}


std::optional<std::string> KubernetesDeployer::record_live(const LiveRelease& live) {
  std::vector<LiveRelease> earlier = releases();
  m_recorded.reset();
  std::vector<std::string> args = {"annotate", "--overwrite", "-n", m_env.deployer.kubernetes.namespace_name,
                                   "configmap", inventory_name(m_env.name)};
  for (auto& a : record_arguments(live, earlier, m_env.deployer.keep_releases)) args.push_back(std::move(a));
  if (KubectlResult r = m_kubectl.run(args); !r.ok())
    return fmt::format("cannot record the live commit on configmap {}: {}", inventory_name(m_env.name), r.describe());
  return std::nullopt;
}

void KubernetesDeployer::refresh_schema(const LineSink& log) const {
  fs::path file = cluster_schema_file(m_git_dir, m_env.name);
  if (auto saved = save_cluster_schema(m_kubectl, file))
    log(fmt::format("pushgate: saved the cluster's schemas ({} bytes) to {}", *saved, file.string()));
  else
    log(fmt::format("pushgate: cannot refresh the cluster's schemas: {}", saved.error().message));
}

std::string KubernetesDeployer::live_message(const std::string& commit) const {
  return fmt::format("{} is applied and ready in namespace {}, ApplySet {}", short_id(commit),
                     m_env.deployer.kubernetes.namespace_name, inventory_name(m_env.name));
}

std::optional<std::string> KubernetesDeployer::preflight() const {
  if (auto old = m_kubectl.check_version()) return old;
  if (auto trusted = check_trusted(m_env.deployer.kubernetes.kubeconfig, {::geteuid()}); !trusted)
    return trusted.error().message;
  return std::nullopt;
}

DeployOutcome KubernetesDeployer::deploy(const DeployRequest& request) {
  const std::string& release = request.release_id;
  if (auto unusable = preflight()) return outcome(DeployStatus::failed, release, *unusable);
  if (auto why = make_live(request, request.commit, release)) {
    if (request.previous_commit.empty())
      return outcome(DeployStatus::failed, release,
                     fmt::format("{}; nothing was live before, so what was applied stays as it is", *why));
    auto failed = restore(request, *why, request.previous_commit);
    return outcome(failed ? DeployStatus::failed : DeployStatus::rolled_back, release,
                   restored_message(*why, request.previous_commit, failed));
  }
  if (auto why = record_live({release, request.commit})) return outcome(DeployStatus::failed, release, *why);
  refresh_schema(request.log);
  return outcome(DeployStatus::succeeded, release, live_message(request.commit));
}

DeployOutcome KubernetesDeployer::rollback(const DeployRequest& request, const std::string& to_commit) {
  const std::string& release = request.release_id;
  if (auto unusable = preflight()) return outcome(DeployStatus::failed, release, *unusable);
  std::vector<LiveRelease> kept = releases();
  std::string target = to_commit;
  if (target.empty()) {
    if (kept.size() < 2)
      return outcome(DeployStatus::failed, release, "the cluster records no release before the live one");
    target = kept[1].commit;
  }
  if (auto why = make_live(request, target, release)) {
    if (kept.empty()) return outcome(DeployStatus::failed, release, *why);
    return outcome(DeployStatus::failed, release,
                   restored_message(*why, kept.front().commit, restore(request, *why, kept.front().commit)));
  }
  if (auto why = record_live({release, target})) return outcome(DeployStatus::failed, release, *why);
  refresh_schema(request.log);
  return outcome(DeployStatus::succeeded, release, live_message(target));
}

Expected<Drift> KubernetesDeployer::drift(const DeployRequest& request) {
  if (auto unusable = preflight()) return Error{ErrorCode::io, *unusable};
  Drift drift;
  auto kept = releases();
  if (kept.empty() || kept.front().commit != request.commit)
    drift.note(&Drift::elsewhere, fmt::format("current -> {}", kept.empty() ? "" : kept.front().release));
  // Per process: `pushgate diff` may check while the daemon does.
  Staged staged = stage(request, request.commit, fmt::format("drift-{}", ::getpid()));
  std::error_code ec;
  auto cleanup = [&] { fs::remove_all(staged.dir, ec); };
  if (staged.error) {
    cleanup();
    return Error{ErrorCode::io, *staged.error};
  }
  const std::string file = (staged.dir / "objects.json").string();
  std::string diff_file = file;
  // Applied objects carry the ApplySet's membership label, which kubectl
  // diff knows nothing of: without it every object would differ. The prune
  // dry run below takes the objects without it (kubectl refuses them with).
  if (auto id = applyset_id()) {
    for (auto& object : staged.objects) object["metadata"]["labels"][std::string(k_part_of_label)] = *id;
    diff_file = (staged.dir / "labelled-objects.json").string();
    if (auto w = write_object_list(staged.objects, diff_file); !w) {
      cleanup();
      return w.error();
    }
  }
  // Exit 1 means "differs"; more is an error.
  auto diff_args = server_side_apply(diff_file);
  diff_args.front() = "diff";
  KubectlResult diff = m_kubectl.run(diff_args);
  if (!diff.process.error.empty() || diff.process.timed_out || diff.process.signal != 0 ||
      diff.process.exit_code > 1) {
    cleanup();
    return Error{ErrorCode::io, fmt::format("kubectl diff failed: {}", diff.describe())};
  }
  read_kubectl_diff(diff.out, drift);
  auto prune = applyset_apply(file);
  prune.push_back("--dry-run=server");
  KubectlResult dry = m_kubectl.run(prune);
  cleanup();
  if (!dry.ok()) drift.unchecked.push_back(fmt::format("objects to prune: {}", dry.describe()));
  else read_dry_run_prune(dry.out, drift);
  if (request.log) request.log(fmt::format("pushgate: {}", describe_drift(drift)));
  return drift;
}

std::optional<std::string> KubernetesDeployer::applyset_id() const {
  auto inventory = read_inventory();
  if (!inventory || !inventory->is_object() || !inventory->contains("metadata")) return std::nullopt;
  const json labels = (*inventory)["metadata"].value("labels", json::object());
  auto it = labels.find(std::string(k_applyset_id_label));
  if (it == labels.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<json> KubernetesDeployer::read_inventory() const {
  KubectlResult r = m_kubectl.run({"get", "--ignore-not-found", "-n", m_env.deployer.kubernetes.namespace_name,
                                   "-o", "json", "configmap", inventory_name(m_env.name)},
                                  k_read_timeout);
  if (!r.ok()) return std::nullopt;
  return json::parse(r.out, nullptr, false);
}

std::vector<LiveRelease> KubernetesDeployer::releases() const {
  if (!m_recorded) {
    auto inventory = read_inventory();
    if (!inventory) return {};
    m_recorded = recorded_releases(*inventory);
  }
  return *m_recorded;
}

std::optional<LiveRelease> KubernetesDeployer::live() const {
  auto kept = releases();
  if (kept.empty()) return std::nullopt;
  return kept.front();
}

Expected<bool> KubernetesDeployer::discard(const std::string& release) {
  if (auto now = live(); now && now->release == release)
    return Error{ErrorCode::usage, fmt::format("release {} is live in {}; it cannot be removed", release, m_env.name)};
  return true;
}

}  // namespace pushgate::kubernetes
