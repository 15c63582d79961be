#include "validators/yaml/yaml_rules.hpp"

#include <fmt/format.h>

#include "validators/file_findings.hpp"

namespace pushgate {

namespace {

using yaml::ProblemKind;

const char* rule_of(ProblemKind kind) {
  switch (kind) {
    case ProblemKind::syntax: return "yaml.syntax";
    case ProblemKind::depth: return "yaml.depth";
    case ProblemKind::aliases: return "yaml.aliases";
    case ProblemKind::documents: return "yaml.documents";
    case ProblemKind::recursive_alias: return "yaml.recursive-alias";
    case ProblemKind::duplicate_key: return "yaml.duplicate-key";
  }
  return "yaml.syntax";
}

std::string message_of(const yaml::Problem& problem) {
  switch (problem.kind) {
    case ProblemKind::syntax:
      return fmt::format("YAML syntax error: {}", problem.message);
    case ProblemKind::duplicate_key:
      return fmt::format("{}: tools disagree on which value wins, remove or rename one of them",
                         problem.message);
    default:
      return problem.message;
  }
}

}  // namespace

void YamlRules::check(const ManifestFile& file, std::vector<Finding>& out) const {
  if (!file.yaml) return;
  FileFindings findings(file.path(), out);
  for (const yaml::Problem& problem : file.yaml->problems) {
    Finding& f = findings.add(rule_of(problem.kind), Severity::error, problem.mark, message_of(problem));
    if (problem.kind == ProblemKind::duplicate_key)
      f.related.push_back({file.path(), problem.other.line, problem.other.column});
  }
  // When parsing stopped early, even the last document read had more after it.
  const auto& documents = file.yaml->documents;
  std::size_t followed = file.yaml->complete && !documents.empty() ? documents.size() - 1 : documents.size();
  for (std::size_t i = 0; i < followed; ++i) {
    if (documents[i].empty()) {
      findings.add("yaml.empty-document", Severity::warning, documents[i].start(),
                   "empty document (two '---' separators with nothing between them): remove one "
                   "of the separators");
    }
  }
}

}  // namespace pushgate
