#pragma once
// The commented pushgate.yaml that `pushgate install` writes when a
// repository has none.

#include <string_view>

namespace pushgate::cli {

inline constexpr std::string_view k_starter_config = R"(# pushgate.yaml: pushgate's settings for this repository. It lives on the
# server, outside any pushed tree; a mistake here is reported with its line
# and column, and pushes are refused until it is fixed.

validate:
  # Which pushed files are manifests (globs; ** spans folders).
  include: ["**/*.yaml", "**/*.yml", "**/*.json"]
  exclude: []
  # Hostile-input bounds: bigger files, deeper nesting, more alias expansion
  # or more documents per file are rejected with their own message.
  limits: {file_size: 1MiB, depth: 100, aliases: 1000, documents: 1000}
  # The hook rejects the push, saying so, when checking takes longer.
  time_budget: 10s
  # Findings shown to the pusher; the rest are counted.
  max_findings: 50
  # Per-rule overrides: off, warning or error. For example:
  # rules: {yaml.crlf: off, k8s.labels: warning}
  # Kubernetes schemas that objects are checked against: OpenAPI documents
  # (`kubectl get --raw /openapi/v2 > k8s.json`) and folders of CRDs, on this
  # server; never fetched from the network. For example:
  # schemas: [/etc/pushgate/k8s.json, /etc/pushgate/crds]
  # Every pushed commit is scanned for secrets. Accepted findings: their
  # fingerprints (printed with each) in a file beside this one, one a line,
  # or `pushgate:allow-secret` on the line itself. For example:
  # secrets: {allowlist: secrets-allow.txt, file_size: 4MiB}

# Environments that pushgated deploys (branch -> target). Commands are argv
# lists, never run through a shell; {release} is the new release's folder.
# environments:
#   production:
#     branch: main
#     path: deploy/prod            # the subtree to deploy (default: all)
#     deployer:
#       type: local                # local | command
#       dir: /srv/app/prod         # releases/<id>/ and current -> releases/<id>
#       keep_releases: 5
#       after: [["systemctl", "reload", "app"]]
#     health: {command: ["curl", "-fsS", "http://127.0.0.1:8080/health"], timeout: 30s, retries: 3}
#   staging:
#     branch: staging
#     deployer: {type: command, run: ["ansible-playbook", "-i", "staging", "{release}/site.yml"], timeout: 10m}
)";

}  // namespace pushgate::cli
