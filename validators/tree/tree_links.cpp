#include "validators/tree/tree_links.hpp"

#include <fmt/format.h>

#include <deque>
#include <vector>

#include "core/git/git.hpp"

namespace pushgate {

namespace {

constexpr int k_max_links = 40;            // what Linux follows in one lookup
constexpr std::size_t k_max_target = 4096; // PATH_MAX: no real link is longer

Expected<std::string> link_text(git_repository* repo, const git_oid& blob, const std::string& path) {
  git_blob* raw = nullptr;
  if (git_blob_lookup(&raw, repo, &blob) < 0) return git::git_failure(fmt::format("cannot read the link '{}'", path));
  git::BlobPtr owner(raw);
  auto size = static_cast<std::size_t>(git_blob_rawsize(raw));
  if (size > k_max_target)
    return Error{ErrorCode::input, fmt::format("the symbolic link holds {} bytes, more than any path: commit the "
                                               "file itself instead", size)};
  return std::string(static_cast<const char*>(git_blob_rawcontent(raw)), size);
}

// Walks the tree a name at a time, as the kernel resolves a path.
class Resolver {
 public:
  Resolver(git_repository* repo, const git_tree* root, const std::string& path)
      : m_repo(repo), m_root(root), m_first_link(path) {}

  Expected<LinkTarget> run(const git_oid& link_blob) {
    // Start in the link's folder (its path came from this tree, so each
    // step is a folder).
    std::string_view folder(m_first_link);
    folder = folder.substr(0, folder.rfind('/') == std::string_view::npos ? 0 : folder.rfind('/'));
    if (!folder.empty())
      for (const std::string& name : split(folder))
        if (auto entered = enter(name); !entered) return entered.error();
    if (auto followed = follow(m_first_link, link_blob); !followed) return followed.error();
    while (!m_pending.empty()) {
      std::string name = std::move(m_pending.front());
      m_pending.pop_front();
      if (name.empty() || name == ".") continue;
      if (name == "..") {
        if (m_names.empty())
          return problem("leaves the repository's tree through '..'", "point it at a file inside the repository");
        m_names.pop_back();
        m_trees.pop_back();
        continue;
      }
      const git_tree_entry* entry = git_tree_entry_byname(current(), name.c_str());
      if (!entry) return problem(fmt::format("leads to '{}', which is not in this commit", here(name)),
                                 "commit the file it points to, or remove the link");
      git_oid id = *git_tree_entry_id(entry);
      switch (git_tree_entry_filemode(entry)) {
        case GIT_FILEMODE_LINK:
          if (auto followed = follow(here(name), id); !followed) return followed.error();
          break;
        case GIT_FILEMODE_TREE:
          if (auto entered = enter(name); !entered) return entered.error();
          break;
        case GIT_FILEMODE_COMMIT:
          return problem(fmt::format("leads into the submodule '{}', which is not deployed", here(name)),
                         "point it at a file of this repository");
        default:
          if (!m_pending.empty())
            return problem(fmt::format("goes through '{}', which is a file, not a folder", here(name)),
                           "point it at a file");
          return LinkTarget{here(name), id};
      }
    }
    return problem(fmt::format("leads to the folder '{}', not to a file", m_names.empty() ? "." : joined()),
                   "point it at a file, or leave it out with validate.exclude");
  }

 private:
  static std::vector<std::string> split(std::string_view text) {
    std::vector<std::string> names;
    while (true) {
      auto slash = text.find('/');
      names.emplace_back(text.substr(0, slash));
      if (slash == std::string_view::npos) return names;
      text.remove_prefix(slash + 1);
    }
  }

  const git_tree* current() const { return m_trees.empty() ? m_root : m_trees.back().get(); }

  std::string joined() const { return fmt::format("{}", fmt::join(m_names, "/")); }
  std::string here(const std::string& name) const { return m_names.empty() ? name : joined() + "/" + name; }

  Expected<bool> enter(const std::string& name) {
    const git_tree_entry* entry = git_tree_entry_byname(current(), name.c_str());
    git_tree* raw = nullptr;
    if (!entry || git_tree_lookup(&raw, m_repo, git_tree_entry_id(entry)) < 0)
      return git::git_failure(fmt::format("cannot read the folder '{}'", here(name)));
    m_trees.emplace_back(raw);
    m_names.push_back(name);
    return true;
  }

  // Puts the names of the link at `path` (in the current folder) before the
  // ones still to walk.
  Expected<bool> follow(const std::string& path, const git_oid& blob) {
    if (++m_links > k_max_links)
      return problem(fmt::format("goes through more than {} links (a loop?)", k_max_links),
                     "point it at a file, not at itself or at a link back to it");
    auto text = link_text(m_repo, blob, path);
    if (!text) return text.error();
    if (m_links == 1) m_first_text = *text;
    if (text->empty()) return problem("is empty", "point it at a file");
    if (text->front() == '/')
      return problem(fmt::format("{}is an absolute path, outside the repository: the server would deploy "
                                 "whatever that path holds there",
                                 path == m_first_link ? "" : fmt::format("goes through '{}', which ", path)),
                     "commit the file itself, or a relative link to a file inside the repository");
    std::vector<std::string> names = split(*text);
    m_pending.insert(m_pending.begin(), names.begin(), names.end());
    return true;
  }

  Error problem(const std::string& what, std::string_view fix) const {
    return Error{ErrorCode::input,
                 fmt::format("the symbolic link (to '{}') {}; {}", m_first_text, what, fix)};
  }

  git_repository* m_repo;
  const git_tree* m_root;
  std::string m_first_link;
  std::string m_first_text;
  std::vector<std::string> m_names;   // the current folder, from the root
  std::vector<git::TreePtr> m_trees;  // the trees of m_names
  std::deque<std::string> m_pending;  // names still to walk
  int m_links = 0;
};

}  // namespace

Expected<LinkTarget> resolve_link(git_repository* repo, const git_tree* root, const std::string& path,
                                  const git_oid& link_blob) {
  return Resolver(repo, root, path).run(link_blob);
}

ManifestEntry link_entry(git_repository* repo, const git_tree* root, std::string path, const git_oid& link_blob) {
  ManifestEntry entry{std::move(path), 0, ""};
  auto target = resolve_link(repo, root, entry.path, link_blob);
  if (target) {
    entry.key = git::to_hex(target->blob);
    entry.link = std::move(target->path);
  } else {
    entry.problem = target.error().message;
  }
  return entry;
}

}  // namespace pushgate
