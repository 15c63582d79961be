#pragma once
// [k8s.duplicate]: two definitions of one object (same API group, kind,
// namespace and name) anywhere in the tree, in two files or in one. Applying
// the tree would let one silently replace the other.
//
// The finding is at the later definition (in path order, then line) and
// names the first as a related place. It is reported only when one of the
// two files is changed, so a push is not blamed for what it did not touch.
//
// Namespaces, for identity: a cluster-scoped kind (k8s_kinds.hpp) has none,
// whatever metadata.namespace says; any other object without
// metadata.namespace counts as being in "default", where kubectl puts it
// when no namespace is given on its command line.

#include <vector>

#include "core/finding.hpp"
#include "validators/validator.hpp"

namespace pushgate {

class DuplicateObjects final : public TreeValidator {
 public:
  void check(const ObjectIndex& index, std::vector<Finding>& out) const override;
};

}  // namespace pushgate
