#include "validators/policy/container_rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <unordered_map>
#include <vector>

#include "validators/k8s/k8s_object.hpp"
#include "validators/policy/field_values.hpp"
#include "validators/policy/image_reference.hpp"

namespace pushgate {

namespace {

using yaml::k_no_node;
using yaml::NodeId;
using yaml::NodeKind;

// The capabilities the Pod Security Standards' baseline profile lets a
// container add; any other is reported.
constexpr std::array<std::string_view, 13> k_baseline_capabilities = {
    "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER",     "FSETID", "KILL",      "MKNOD",
    "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"};

class ContainerCheck {
 public:
  ContainerCheck(const PodCheck& check, NodeId container, ContainerKind kind)
      : m_check(check), m_doc(check.doc()), m_container(container), m_kind(kind),
        m_security(m_doc.find(container, "securityContext")),
        m_name(quoted(scalar_text(m_doc, m_doc.find(container, "name")))) {}

  void run() {
    check_image();
    if (m_kind != ContainerKind::ephemeral) check_resources();
    check_privileged();
    check_privilege_escalation();
    check_capabilities();
    check_root_filesystem();
    check_run_as_root();
    if (m_kind == ContainerKind::regular && !m_check.pod.runs_to_completion) check_probes();
    check_env();
  }

 private:
  NodeId security_field(std::string_view field) const { return m_doc.find(m_security, field); }
  // The field where it is set, or the securityContext, or the container.
  NodeId where(NodeId field) const {
    return field != k_no_node ? field : m_security != k_no_node ? m_security : m_container;
  }
  // "container 'NAME' MESSAGE", built in one string: about three
  // findings of four on a typical tree are about a container.
  Finding& report(RuleId rule, NodeId at, std::string_view message) const {
    constexpr std::string_view k_container = "container ";
    std::string text;
    text.reserve(k_container.size() + m_name.size() + 1 + message.size());
    text.append(k_container).append(m_name).append(1, ' ').append(message);
    return m_check.report(rule, at, std::move(text));
  }

  void check_image() {
    NodeId image = m_doc.find(m_container, "image");
    if (image == k_no_node || m_doc.node(image).kind != NodeKind::scalar) return;
    std::string_view text = m_doc.node(image).value;
    switch (image_pin(text)) {
      case ImagePin::digest:
      case ImagePin::tag: return;
      case ImagePin::latest:
        report("policy.latest-tag", image,
               fmt::format("runs image {}, and :latest moves, so what runs depends on when a node pulls it: "
                           "pin a version tag or a digest (@sha256:...)",
                           quoted(text)));
        return;
      case ImagePin::untagged:
        report("policy.latest-tag", image,
               fmt::format("runs image {} without a tag, which means :latest, so what runs depends on when a "
                           "node pulls it: pin a version tag or a digest (@sha256:...)",
                           quoted(text)));
        return;
    }
  }

  void check_resources() {
    NodeId resources = m_doc.find(m_container, "resources");
    NodeId requests = m_doc.find(resources, "requests");
    NodeId limits = m_doc.find(resources, "limits");
    std::vector<std::string> missing;
    for (std::string_view resource : {"cpu", "memory"}) {
      // Kubernetes takes a limit without a request as the request too.
      bool limit = m_doc.find(limits, resource) != k_no_node;
      if (!limit && m_doc.find(requests, resource) == k_no_node) missing.push_back(fmt::format("requests.{}", resource));
      if (!limit) missing.push_back(fmt::format("limits.{}", resource));
    }
    if (missing.empty()) return;
    report("policy.resources", resources != k_no_node ? resources : m_container,
           fmt::format("sets no {}: give it CPU and memory requests (so the scheduler can place it) and limits "
                       "(so it cannot starve its neighbours)",
                       fmt::join(missing, ", ")));
  }

  void check_privileged() {
    NodeId privileged = security_field("privileged");
    if (boolean_at(m_doc, privileged) == true)
      report("policy.privileged", privileged,
             "is privileged, which gives it every device and capability of the node: remove "
             "securityContext.privileged, and add only the capability it needs");
  }

  void check_privilege_escalation() {
    NodeId field = security_field("allowPrivilegeEscalation");
    if (boolean_at(m_doc, field) == false) return;
    report("policy.privilege-escalation", where(field),
           "may gain more privileges than it started with (through setuid binaries): set "
           "securityContext.allowPrivilegeEscalation: false");
  }

  void check_capabilities() {
    NodeId add = m_doc.find(security_field("capabilities"), "add");
    if (add == k_no_node || m_doc.node(add).kind != NodeKind::sequence) return;
    for (NodeId capability : m_doc.node(add).children) {
      std::string name(scalar_text(m_doc, capability));
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::toupper(c); });
      if (name.starts_with("CAP_")) name.erase(0, 4);
      if (name.empty() || std::find(k_baseline_capabilities.begin(), k_baseline_capabilities.end(), name) !=
                              k_baseline_capabilities.end())
        continue;
      report("policy.capabilities", capability,
             fmt::format("adds capability {}, which the Pod Security Standards' baseline profile forbids: "
                         "remove it (the baseline allows {})",
                         name, fmt::join(k_baseline_capabilities, ", ")));
    }
  }

  void check_root_filesystem() {
    NodeId field = security_field("readOnlyRootFilesystem");
    if (boolean_at(m_doc, field) == true) return;
    report("policy.writable-root-fs", where(field),
           "can write to its root filesystem: set securityContext.readOnlyRootFilesystem: true, and mount an "
           "emptyDir where it must write");
  }

  // The container's setting overrides the pod's.
  NodeId effective(std::string_view field, bool& from_pod) const {
    NodeId own = security_field(field);
    from_pod = own == k_no_node;
    return from_pod ? m_doc.find(m_check.security, field) : own;
  }

  void check_run_as_root() {
    bool user_from_pod = false, non_root_from_pod = false;
    NodeId user = effective("runAsUser", user_from_pod);
    NodeId non_root = effective("runAsNonRoot", non_root_from_pod);
    std::optional<std::int64_t> uid = integer_at(m_doc, user);
    if (uid && *uid > 0) return;
    if (!uid && boolean_at(m_doc, non_root) == true) return;
    // Reported where it is set: once for the pod when it comes from there.
    NodeId at = uid ? user : boolean_at(m_doc, non_root) == false ? non_root : k_no_node;
    bool from_pod = uid ? user_from_pod : non_root_from_pod;
    if (at != k_no_node && from_pod) {
      if (m_check.pod_root_reported) return;
      m_check.pod_root_reported = true;
      m_check.report("policy.run-as-root", at,
                     uid ? "the pod runs its containers as root (runAsUser: 0): use a non-root user id"
                         : "the pod lets its containers run as root (runAsNonRoot: false): set it to true and "
                           "give the image a non-root USER");
      return;
    }
    if (uid) {
      report("policy.run-as-root", at, "runs as root (runAsUser: 0): use a non-root user id");
      return;
    }
    report("policy.run-as-root", at != k_no_node ? at : where(k_no_node),
           "may run as root: set securityContext.runAsNonRoot: true (for the pod or the container) and give "
           "the image a non-root USER, or set runAsUser above 0");
  }

  void check_probes() {
    bool readiness = m_doc.find(m_container, "readinessProbe") != k_no_node;
    bool liveness = m_doc.find(m_container, "livenessProbe") != k_no_node;
    if (readiness && liveness) return;
    std::string_view missing = !readiness && !liveness ? "readinessProbe or livenessProbe"
                               : readiness             ? "livenessProbe"
                                                       : "readinessProbe";
    report("policy.probes", m_container,
           fmt::format("has no {}: a readinessProbe holds traffic back until it is ready, a livenessProbe "
                       "restarts it when it hangs",
                       missing));
  }

  void check_env() {
    NodeId env = m_doc.find(m_container, "env");
    if (env == k_no_node || m_doc.node(env).kind != NodeKind::sequence) return;
    std::unordered_map<std::string_view, NodeId> seen;
    for (NodeId var : m_doc.node(env).children) {
      NodeId name = m_doc.find(var, "name");
      std::string_view text = scalar_text(m_doc, name);
      if (text.empty()) continue;
      auto [first, inserted] = seen.emplace(text, name);
      if (inserted) continue;
      const yaml::Mark& mark = m_doc.node(first->second).mark;
      report("policy.duplicate-env", name,
             fmt::format("sets environment variable {} twice (first on line {}): the later value silently "
                         "wins; remove one",
                         quoted(text), mark.line))
          .related.push_back(Location{m_check.checker.findings().path(), mark.line, mark.column});
    }
  }

  const PodCheck& m_check;
  const yaml::Document& m_doc;
  NodeId m_container;
  ContainerKind m_kind;
  NodeId m_security;
  std::string m_name;
};

}  // namespace

void check_container(const PodCheck& check, NodeId container, ContainerKind kind) {
  ContainerCheck(check, container, kind).run();
}

}  // namespace pushgate
