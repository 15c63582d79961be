#include "deployers/kubernetes/kubectl.hpp"

#include <fmt/format.h>

#include <cctype>

#include <nlohmann/json.hpp>

namespace pushgate::kubernetes {

namespace {

// "32" or "32+" (vendor builds): the leading number.
std::optional<int> leading_number(const std::string& text) {
  int n = 0;
  std::size_t i = 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) n = n * 10 + (text[i] - '0');
  if (i == 0) return std::nullopt;
  return n;
}

}  // namespace

std::string KubectlResult::describe() const {
  std::string said;
  // The last few lines carry the error; earlier ones are progress.
  std::size_t from = errors.size() > 3 ? errors.size() - 3 : 0;
  for (std::size_t i = from; i < errors.size(); ++i) said += (said.empty() ? "" : "; ") + errors[i];
  if (said.empty()) return process.describe();
  return fmt::format("{} ({})", said, process.describe());
}

Kubectl::Kubectl(KubernetesDeployerSettings settings, ProcessRunner& runner, std::chrono::milliseconds timeout)
    : m_settings(std::move(settings)), m_runner(runner), m_timeout(timeout) {}

KubectlResult Kubectl::run(const std::vector<std::string>& args) const {
  return execute(args, m_timeout, Output::lines);
}

KubectlResult Kubectl::run(const std::vector<std::string>& args, std::chrono::milliseconds timeout) const {
  return execute(args, timeout, Output::lines);
}

KubectlResult Kubectl::fetch(const std::vector<std::string>& args) const {
  return execute(args, m_timeout, Output::raw);
}

KubectlResult Kubectl::execute(const std::vector<std::string>& args, std::chrono::milliseconds timeout,
                               Output output) const {
  ProcessSpec spec;
  spec.argv = {m_settings.kubectl, "--kubeconfig", m_settings.kubeconfig};
  if (!m_settings.context.empty()) spec.argv.insert(spec.argv.end(), {"--context", m_settings.context});
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  // kubectl 1.27-1.31 keep ApplySet behind this switch; later ones ignore it.
  spec.env = {{"KUBECTL_APPLYSET", "true"}};
  spec.timeout = timeout;
  KubectlResult r;
  spec.error_output = [&](std::string_view line) { r.errors.emplace_back(line); };
  spec.raw_output = output == Output::raw;
  r.process = m_runner.run(spec, [&](std::string_view piece) {
    r.out.append(piece);
    if (output == Output::lines) r.out.push_back('\n');
  });
  if (!r.process.error.empty()) r.errors.push_back(r.process.error);
  return r;
}

std::optional<std::string> Kubectl::check_version() const {
  KubectlResult r = run({"version", "--client", "-o", "json"});
  if (!r.ok()) return fmt::format("cannot run '{} version': {}", m_settings.kubectl, r.describe());
  auto json = nlohmann::json::parse(r.out, nullptr, false);
  auto part = [&](const char* key) {
    if (!json.is_object() || !json.contains("clientVersion") || !json["clientVersion"].is_object()) return std::string();
    const auto& client = json["clientVersion"];
    return client.contains(key) && client[key].is_string() ? client[key].get<std::string>() : std::string();
  };
  std::string major_text = part("major"), minor_text = part("minor");
  auto major = leading_number(major_text);
  auto minor = leading_number(minor_text);
  if (!major || !minor)
    return fmt::format("'{} version --client -o json' gave no client version", m_settings.kubectl);
  if (*major > 1 || *minor >= k_min_kubectl_minor) return std::nullopt;
  return fmt::format("{} is kubectl {}.{}; pushgate prunes with ApplySet, which needs kubectl 1.{} or later "
                     "(set deployer.kubectl to one)",
                     m_settings.kubectl, major_text, minor_text, k_min_kubectl_minor);
}

}  // namespace pushgate::kubernetes
