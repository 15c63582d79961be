#pragma once
// [k8s.duplicate]: two definitions of one object (same API group, kind,
// namespace and name) anywhere in the tree, in two files or in one. Applying
// the tree would let one silently replace the other.
//
// Findings are reported only on files the push changes, so a push is not
// blamed for what it did not touch: at each later definition (in path order,
// then line), naming the first as a related place; and at the first one when
// it is the only one changed, naming the next. Identity is identity_of().

#include <vector>

#include "core/util/finding.hpp"
#include "validators/validator.hpp"

namespace pushgate {

class DuplicateObjects final : public TreeValidator {
 public:
  void check(const ObjectIndex& index, std::vector<Finding>& out) const override;
};

}  // namespace pushgate
