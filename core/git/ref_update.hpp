#pragma once
// The `<old> <new> <ref>` lines git gives pre-receive and post-receive.

#include <string>
#include <string_view>
#include <vector>

#include "core/util/error.hpp"

namespace pushgate {

enum class RefChange { create, update, remove };

struct RefUpdate {
  std::string old_oid;  // hex; all zeros on creation
  std::string new_oid;  // hex; all zeros on deletion
  std::string ref;      // full name, e.g. refs/heads/main

  RefChange change() const;
  bool is_branch() const;  // refs/heads/*
  bool is_tag() const;     // refs/tags/*
  std::string branch() const;  // "main" for refs/heads/main; "" if not a branch
};

// True for an all-zero object id of SHA-1 (40) or SHA-256 (64) length.
bool is_zero_oid(std::string_view hex);

// Parses hook input. Errors name the offending line number and its text.
Expected<std::vector<RefUpdate>> parse_ref_updates(std::string_view input);

}  // namespace pushgate
