#include "validators/tree/tree_check.hpp"

#include "core/util/glob.hpp"
#include "validators/tree/git_tree_source.hpp"
#include "validators/tree/tree_diff.hpp"

namespace pushgate {

Report check_tree(git_repository* repo, const git_tree* tree, const ValidateSettings& settings,
                  std::shared_ptr<const schema::SchemaSet> schemas, const EngineOptions& options) {
  PathFilter filter(settings.include, settings.exclude);
  GitTreeSource source(repo, diff_trees(repo, nullptr, tree, filter).changed);
  return Engine(settings, std::move(schemas)).run(source, nullptr, options);
}

}  // namespace pushgate
