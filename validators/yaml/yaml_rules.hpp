#pragma once
// [yaml.*] rules found by parsing: yaml.syntax, yaml.depth, yaml.aliases,
// yaml.documents, yaml.recursive-alias, yaml.duplicate-key (errors) and
// yaml.empty-document (a warning for an empty document before another one;
// a trailing `---` is harmless). JSON manifests are YAML and get the same
// rules.

#include <vector>

#include "core/util/finding.hpp"
#include "validators/validator.hpp"

namespace pushgate {

class YamlRules final : public FileValidator {
 public:
  void check(const ManifestFile& file, std::vector<Finding>& out) const override;
};

}  // namespace pushgate
