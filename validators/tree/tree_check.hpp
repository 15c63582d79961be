#pragma once
// Every manifest of one tree, validated whole: what `pushgate validate --rev`
// prints, and what pushgated re-checks before it deploys a commit from a
// repository whose hooks other accounts could have bypassed.

#include <git2.h>

#include "core/config/repo_config.hpp"
#include "core/util/glob.hpp"
#include "validators/engine.hpp"

namespace pushgate {

// Validates the manifests `settings` selects in `tree` (symbolic links
// followed as the hook follows them), objects against `schemas` and the
// tree's own CRDs.
Report check_tree(git_repository* repo, const git_tree* tree, const ValidateSettings& settings,
                  std::shared_ptr<const schema::SchemaSet> schemas, const EngineOptions& options);

// The same with an engine and filter the caller has built already (the
// hook's). `options.rest` is not used: the whole tree is read.
Report check_tree(git_repository* repo, const git_tree* tree, const PathFilter& filter, const Engine& engine,
                  EngineOptions options);

}  // namespace pushgate
