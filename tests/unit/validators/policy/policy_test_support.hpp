#pragma once
// Workloads for the policy tests: one that every policy rule accepts, with
// places to add pod-level and container-level fields that break one rule.

#include <string>

#include "tests/unit/validators/test_support.hpp"

namespace pushgate::test {

// A Deployment `web` that passes every per-object policy rule. `pod` is
// inserted after the pod's securityContext.runAsNonRoot (line 14): with 8
// spaces of indent it adds to the pod's securityContext, with 6 to its spec.
// `container` is inserted after the container's
// securityContext.readOnlyRootFilesystem (line 23): 12 spaces add to the
// securityContext, 10 to the container. `image` is the container's image
// (line 17). The container's `- name: web` is on line 16.
inline std::string clean_deployment(const std::string& pod = "", const std::string& container = "",
                                    const std::string& image = "nginx:1.25") {
  return "apiVersion: apps/v1\n"
         "kind: Deployment\n"
         "metadata:\n"
         "  name: web\n"
         "spec:\n"
         "  selector:\n"
         "    matchLabels: {app: web}\n"
         "  template:\n"
         "    metadata:\n"
         "      labels: {app: web}\n"
         "    spec:\n"
         "      serviceAccountName: web\n"
         "      securityContext:\n"
         "        runAsNonRoot: true\n" +
         pod +
         "      containers:\n"
         "        - name: web\n"
         "          image: " + image + "\n"
         "          resources:\n"
         "            requests: {cpu: 100m, memory: 64Mi}\n"
         "            limits: {cpu: 500m, memory: 128Mi}\n"
         "          securityContext:\n"
         "            allowPrivilegeEscalation: false\n"
         "            readOnlyRootFilesystem: true\n" +
         container +
         "          readinessProbe: {httpGet: {path: /, port: 80}}\n"
         "          livenessProbe: {httpGet: {path: /, port: 80}}\n";
}

// `text` without its lines that contain `part`.
inline std::string without(const std::string& text, std::string_view part) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end + 1;
    std::string_view line(text.data() + start, end - start);
    if (line.find(part) == std::string_view::npos) out.append(line);
    start = end;
  }
  return out;
}

// The findings of `report` whose rule starts with "policy.".
inline std::vector<Finding> policy_findings(const Report& report) {
  std::vector<Finding> out;
  for (const Finding& f : report.findings)
    if (f.rule.starts_with("policy.")) out.push_back(f);
  return out;
}

}  // namespace pushgate::test
