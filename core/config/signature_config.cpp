#include "core/config/signature_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "core/util/glob.hpp"

namespace pushgate {

using yaml::NodeId;

namespace {

constexpr std::string_view k_heads = "refs/heads/";

// A key file of the administrator, absolute; relative entries are taken from
// the config's folder, so the hook and `pushgate validate` read the same file.
std::string key_file(ConfigReader& r, NodeId at, const std::string& file, const std::string& what) {
  auto text = r.string(at, what);
  if (!text) return "";
  if (text->empty()) {
    r.error(at, fmt::format("{} is empty; give the path of the file on the server", what));
    return "";
  }
  std::error_code ec;
  std::filesystem::path folder = std::filesystem::absolute(file, ec).parent_path();
  return (folder / *text).lexically_normal().string();
}

void read_rule(ConfigReader& r, NodeId at, const std::string& what, const std::string& file,
               const std::vector<Environment>& environments, SignatureRule& rule) {
  r.only_keys(at, what, {"branches", "environments", "allowed_signers", "keyring"});
  rule.at = r.location(at);
  if (NodeId n = r.find(at, "branches"); n != yaml::k_no_node)
    if (auto l = r.string_list(n, what + ".branches")) rule.branches = *l;
  if (NodeId n = r.find(at, "environments"); n != yaml::k_no_node) {
    if (auto l = r.string_list(n, what + ".environments")) rule.environments = *l;
    for (const std::string& name : rule.environments)
      if (std::none_of(environments.begin(), environments.end(), [&](const Environment& e) { return e.name == name; }))
        r.error(n, fmt::format("{}.environments names '{}', which is not in environments:", what, name));
  }
  if (rule.branches.empty() && rule.environments.empty())
    r.error(at, fmt::format("{} covers no ref: give branches: (e.g. [main, \"release/*\"]) or environments: "
                            "(e.g. [production])", what));
  if (NodeId n = r.find(at, "allowed_signers"); n != yaml::k_no_node)
    rule.allowed_signers = key_file(r, n, file, what + ".allowed_signers");
  if (NodeId n = r.find(at, "keyring"); n != yaml::k_no_node) rule.keyring = key_file(r, n, file, what + ".keyring");
  if (r.find(at, "allowed_signers") == yaml::k_no_node && r.find(at, "keyring") == yaml::k_no_node)
    r.error(at, fmt::format("{} names no keys: give allowed_signers: (an ssh allowed-signers file, for "
                            "gpg.format=ssh) or keyring: (an OpenPGP keyring, `gpg --export KEY... > FILE`)",
                            what));
}

}  // namespace

void read_signature_rules(ConfigReader& r, NodeId at, const std::string& file,
                          const std::vector<Environment>& environments, std::vector<SignatureRule>& out) {
  if (r.node(at).kind != yaml::NodeKind::sequence) {
    r.error(at, "validate.signatures must be a list of entries like "
                "{branches: [main], allowed_signers: /etc/pushgate/allowed_signers}");
    return;
  }
  const auto& items = r.node(at).children;
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string what = fmt::format("validate.signatures[{}]", i);
    if (!r.mapping(items[i], what)) continue;
    SignatureRule rule;
    read_rule(r, items[i], what, file, environments, rule);
    out.push_back(std::move(rule));
  }
}

const SignatureRule* signature_rule_for(const std::vector<SignatureRule>& rules,
                                        const std::vector<Environment>& environments, const std::string& ref) {
  bool branch = ref.starts_with(k_heads);
  std::string_view name = branch ? std::string_view(ref).substr(k_heads.size()) : std::string_view(ref);
  for (const SignatureRule& rule : rules) {
    for (const std::string& pattern : rule.branches)
      if (Glob(pattern).matches(pattern.starts_with("refs/") ? std::string_view(ref) : name) &&
          (branch || pattern.starts_with("refs/")))
        return &rule;
    if (!branch) continue;
    for (const Environment& env : environments)
      if (env.branch == name &&
          std::find(rule.environments.begin(), rule.environments.end(), env.name) != rule.environments.end())
        return &rule;
  }
  return nullptr;
}

}  // namespace pushgate
