#pragma once
// `validate.signatures:` of REPO.git/pushgate.yaml: which refs must carry
// signed commits, and the administrator's files that say whose keys count.
// Part of parse_repo_config; read after `environments:`, which it names.

#include <string>
#include <vector>

#include "core/config/config_reader.hpp"
#include "core/config/repo_config.hpp"

namespace pushgate {

// Reads the list at `at` into `out`. Paths are made absolute from the folder
// of `file` (the config), as validate.schemas are. Every mistake (an entry
// that covers no ref or names no key file, an environment `environments`
// does not have, an unknown key) is recorded in `reader` at its line and
// column.
void read_signature_rules(ConfigReader& reader, yaml::NodeId at, const std::string& file,
                          const std::vector<Environment>& environments, std::vector<SignatureRule>& out);

// The entry of `rules` that covers `ref` (a full ref name), given the
// environments and their branches: the first one whose branch globs or
// environments match. Null when none does. The pointer is into `rules`.
const SignatureRule* signature_rule_for(const std::vector<SignatureRule>& rules,
                                        const std::vector<Environment>& environments, const std::string& ref);

}  // namespace pushgate
