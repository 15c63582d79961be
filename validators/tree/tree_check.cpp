#include "validators/tree/tree_check.hpp"

#include "validators/tree/git_tree_source.hpp"
#include "validators/tree/tree_diff.hpp"

namespace pushgate {

Report check_tree(git_repository* repo, const git_tree* tree, const ValidateSettings& settings,
                  std::shared_ptr<const schema::SchemaSet> schemas, const EngineOptions& options) {
  return check_tree(repo, tree, PathFilter(settings.include, settings.exclude), Engine(settings, std::move(schemas)),
                    options);
}

Report check_tree(git_repository* repo, const git_tree* tree, const PathFilter& filter, const Engine& engine,
                  EngineOptions options) {
  GitTreeSource source(repo, diff_trees(repo, nullptr, tree, filter).changed);
  options.rest = nullptr;
  return engine.run(source, nullptr, options);
}

}  // namespace pushgate
