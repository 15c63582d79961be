#include "validators/engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <unordered_map>
#include <unordered_set>

#include "core/util/parallel_for.hpp"
#include "validators/k8s/duplicate_objects.hpp"
#include "validators/yaml/encoding_rules.hpp"
#include "validators/file_findings.hpp"
#include "validators/k8s/k8s_rules.hpp"
#include "validators/policy/dangling_references.hpp"
#include "validators/policy/exemptions.hpp"
#include "validators/policy/policy_rules.hpp"
#include "validators/rule_catalog.hpp"
#include "validators/schema/schema_pass.hpp"
#include "validators/secrets/secret_check.hpp"
#include "validators/yaml/yaml_rules.hpp"

namespace pushgate {

namespace {

// What few entries produce.
struct EntryExtras {
  std::vector<schema::PendingObject> pending;  // for the schema check's second step
  std::vector<ObjectExemptions> exemptions;   // pushgate.dev/ignore of its objects
  secrets::SecretReport secrets;              // when the scan has more than counts
};

// What one entry of the source produced. Each worker writes only the
// results of the entries it took, so they need no lock. Every result lives
// to the end of the run: what most lack is kept apart, so each is small.
struct EntryResult {
  bool done = false;       // reached before the deadline
  bool checked = false;    // validated, not only indexed
  bool unreadable = false; // so its objects are unknown
  std::vector<Finding> findings;
  std::vector<ObjectRef> objects;
  std::size_t secret_files = 0;    // the secret scan's counts, when they are all it has
  std::uint64_t secret_bytes = 0;
  std::unique_ptr<EntryExtras> extras;  // null when there are none

  EntryExtras& extra() {
    if (!extras) extras = std::make_unique<EntryExtras>();
    return *extras;
  }
};

// Keeps what the secret scan of one entry reported: for most files, counts.
void keep_secrets(secrets::SecretReport&& found, EntryResult& result) {
  if (found.findings.empty() && found.exempted.empty() && found.skipped.empty() && found.commits == 0 &&
      found.errors == 0 && found.warnings == 0) {
    result.secret_files = found.files;
    result.secret_bytes = found.bytes;
    return;
  }
  result.extra().secrets = std::move(found);
}

// Adds the secret scan's report of one entry to `into`.
void merge_secrets(secrets::SecretReport& into, EntryResult& result) {
  into.files += result.secret_files;
  into.bytes += result.secret_bytes;
  if (result.extras) secrets::merge(into, std::move(result.extras->secrets));
}

// Scans the bytes of `read` for secrets, or notes a file too large to scan.
void scan(const secrets::SecretCheck& secrets, const ManifestEntry& entry, const BoundedRead& read,
          EntryResult& result) {
  secrets::SecretReport found;
  if (!read.bytes || read.size > secrets.max_file_size()) secrets.too_large(entry.path, read.size, "", found);
  else secrets.check(entry.path, *read.bytes, nullptr, "", found);
  keep_secrets(std::move(found), result);
}

// A file that cannot be read is a [file.read] finding; its objects are unknown.
void unreadable(const ManifestEntry& entry, const Error& error, std::vector<Finding>& findings, EntryResult& result) {
  result.unreadable = true;
  FileFindings(entry.path, findings).add("file.read", Severity::error, {}, error.message);
}

// Reads, checks and parses one entry, and scans it for secrets when
// `secrets` is not null. Entries that are only indexed go through the same
// steps, so a file counts as parsed in the index exactly when it would pass
// the byte and syntax checks; their findings are dropped, and they are not
// scanned.
void process(const ManifestSource& source, const ManifestEntry& entry, bool check,
             const ValidateSettings& settings,
             const std::vector<std::unique_ptr<FileValidator>>& validators, schema::SchemaPass& schemas,
             const secrets::SecretCheck* secrets, EntryResult& result) {
  result.checked = check;
  result.done = true;
  std::vector<Finding> dropped;
  std::vector<Finding>& findings = check ? result.findings : dropped;
  if (!entry.problem.empty()) {
    FileFindings(entry.path, findings).add("file.symlink", Severity::error, {}, entry.problem);
    return;
  }
  if (!check || !entry.link.empty()) secrets = nullptr;
  // Read once, for the secret scan as for the manifest checks; a file over
  // the limits of both is only sized.
  std::uint64_t limit = secrets ? std::max(settings.file_size, secrets->max_file_size()) : settings.file_size;
  Expected<BoundedRead> read = source.read_within(entry, limit);
  if (!read) return unreadable(entry, read.error(), findings, result);
  bool fits = check_size(entry, read->size, settings.file_size, findings);
  if (secrets) scan(*secrets, entry, *read, result);
  if (!read->bytes) return;
  const std::string& bytes = *read->bytes;
  if (!fits || !check_bytes(entry, bytes, findings)) return;
  yaml::LoadResult loaded = yaml::load(bytes, settings.limits, yaml::TextUse::view);
  if (check) {
    ManifestFile file{&entry, bytes, &loaded};
    for (const auto& validator : validators) validator->check(file, findings);
    if (auto exemptions = read_exemptions(file, findings); !exemptions.empty())
      result.extra().exemptions = std::move(exemptions);
  }
  if (!loaded.complete) return;  // a file that does not parse defines no objects
  std::vector<schema::PendingObject> pending;
  schemas.first(ManifestFile{&entry, bytes, &loaded}, check, findings, pending);
  if (!pending.empty()) result.extra().pending = std::move(pending);
  for (const yaml::Document& doc : loaded.documents) {
    std::vector<ObjectRef> objects = objects_of(doc);
    if (result.objects.empty()) result.objects = std::move(objects);  // most files: one document
    else std::move(objects.begin(), objects.end(), std::back_inserter(result.objects));
  }
}

// A file that is no manifest, read only to be scanned for secrets.
void scan_only(const ManifestSource& source, const ManifestEntry& entry, const secrets::SecretCheck& secrets,
               EntryResult& result) {
  result.done = true;
  Expected<BoundedRead> read = source.read_within(entry, secrets.max_file_size());
  if (!read) return unreadable(entry, read.error(), result.findings, result);
  scan(secrets, entry, *read, result);
}

void apply_rule_settings(const ValidateSettings& settings, std::vector<Finding>& findings) {
  if (settings.rules.empty()) return;
  std::erase_if(findings, [&](Finding& f) {
    auto severity = rule_severity(settings, f.rule, f.severity);
    if (severity) f.severity = *severity;
    return !severity;
  });
}

// The schema check's second step, for the files that hold custom resources
// of the tree's own CRDs: they are read and parsed again.
void check_pending(const ManifestSource& source, const std::vector<ManifestEntry>& entries,
                   const ValidateSettings& settings, const schema::SchemaPass& schemas,
                   std::vector<EntryResult>& results) {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    EntryResult& r = results[i];
    if (!r.extras || r.extras->pending.empty()) continue;
    const std::vector<schema::PendingObject>& pending = r.extras->pending;
    if (!schemas.needs_second(pending)) {
      schemas.unknown(entries[i].path, pending, r.findings);
      continue;
    }
    Expected<std::string> bytes = source.read(entries[i]);
    if (!bytes) continue;  // read a moment ago; a failure now is reported by the next push
    yaml::LoadResult loaded = yaml::load(*bytes, settings.limits, yaml::TextUse::view);
    schemas.second(ManifestFile{&entries[i], *bytes, &loaded}, pending, r.findings);
  }
}

using Exemptions = std::unordered_map<std::string_view, const std::vector<ObjectExemptions>*>;

// What the tree-wide checks read: the objects of every entry (moved out of
// `results`), and the exemptions of each file, by path.
void index_objects(const std::vector<ManifestEntry>& entries, std::vector<EntryResult>& results, Report& report,
                   Exemptions& exemptions) {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    EntryResult& r = results[i];
    if (!r.done || r.unreadable) report.objects.mark_incomplete();
    if (!r.done) continue;
    if (r.checked) ++report.files_checked;
    if (r.extras && !r.extras->exemptions.empty()) exemptions.emplace(entries[i].path, &r.extras->exemptions);
    report.objects.add(entries[i].path, std::move(r.objects), r.checked);
    if (!entries[i].link.empty() || !entries[i].problem.empty()) report.objects.mark_link(entries[i].path);
  }
}

// Sorts the findings of each manifest, where merge_findings takes them, and
// moves those of the files only scanned for secrets to `across`; the
// secrets of all into report.secrets, by path.
void gather_findings(const std::vector<ManifestEntry>& entries, std::vector<EntryResult>& results, Report& report,
                     std::vector<Finding>& across) {
  for (std::size_t i = 0; i < entries.size(); ++i) {
    EntryResult& r = results[i];
    if (!r.done) continue;
    // Reported under the link's name, which is what is deployed; the line
    // and column are the target's.
    if (!entries[i].link.empty())
      for (Finding& f : r.findings) f.message += fmt::format(" (in '{}', where the symbolic link points)", entries[i].link);
    // Sorted file by file: the files come in path order, so together they are sorted.
    std::sort(r.findings.begin(), r.findings.end());
    merge_secrets(report.secrets, r);
  }
  for (std::size_t i = entries.size(); i < results.size(); ++i) {
    std::move(results[i].findings.begin(), results[i].findings.end(), std::back_inserter(across));
    merge_secrets(report.secrets, results[i]);
  }
  secrets::sort_by_path(report.secrets);
}

// The findings of the first `manifests` results, sorted file by file, and
// those of `others` (sorted here, each list apart), merged in one pass into
// a list of the exact size: a full sort of every finding of a large tree
// costs more than the checks that made them, and a list that grows, a merge
// buffer or a list joining the others would hold them twice.
std::vector<Finding> merge_findings(std::vector<EntryResult>& results, std::size_t manifests,
                                    std::vector<std::vector<Finding>>& others) {
  struct Rest {
    std::vector<Finding>::iterator next, end;
  };
  std::vector<Rest> rests;
  std::size_t total = 0;
  for (std::vector<Finding>& list : others) {
    std::sort(list.begin(), list.end());
    rests.push_back({list.begin(), list.end()});
    total += list.size();
  }
  for (std::size_t i = 0; i < manifests; ++i) total += results[i].findings.size();
  // The rest whose next finding comes first; null when all are taken.
  auto least = [&]() -> Rest* {
    Rest* first = nullptr;
    for (Rest& r : rests)
      if (r.next != r.end && (!first || *r.next < *first->next)) first = &r;
    return first;
  };
  std::vector<Finding> merged;
  merged.reserve(total);
  Rest* low = least();
  for (std::size_t i = 0; i < manifests; ++i) {
    for (Finding& f : results[i].findings) {
      for (; low && *low->next < f; low = least()) merged.push_back(std::move(*low->next++));
      merged.push_back(std::move(f));
    }
    results[i].findings = {};
  }
  for (; low; low = least()) merged.push_back(std::move(*low->next++));
  // Only a validator's finding outside its own file could break the order.
  if (!std::is_sorted(merged.begin(), merged.end())) std::stable_sort(merged.begin(), merged.end());
  return merged;
}

}  // namespace

Engine::Engine(const ValidateSettings& settings, std::shared_ptr<const schema::SchemaSet> schemas)
    : m_settings(settings), m_schemas(std::move(schemas)) {
  m_file_validators.push_back(std::make_unique<YamlRules>());
  m_file_validators.push_back(std::make_unique<K8sRules>());
  m_file_validators.push_back(std::make_unique<PolicyRules>());
  m_tree_validators.push_back(std::make_unique<DuplicateObjects>());
  m_tree_validators.push_back(std::make_unique<DanglingReferences>());
}

Engine::~Engine() = default;

Report Engine::run(const ManifestSource& source, const std::vector<std::string>* changed,
                   const EngineOptions& options) const {
  const std::vector<ManifestEntry>& entries = source.entries();
  std::unordered_set<std::string_view> changed_paths;
  if (changed) changed_paths.insert(changed->begin(), changed->end());

  static const std::vector<ManifestEntry> k_none;
  const std::vector<ManifestEntry>& scan_only_entries =
      options.secrets && options.secrets_only ? *options.secrets_only : k_none;
  // The manifests, then the files only scanned for secrets.
  std::vector<EntryResult> results(entries.size() + scan_only_entries.size());
  std::atomic<bool> timed_out{false};
  schema::SchemaPass schemas(m_schemas);
  parallel_for(results.size(), options.threads, [&](std::size_t i) {
    if (options.deadline && std::chrono::steady_clock::now() >= *options.deadline) {
      timed_out = true;
      return false;
    }
    if (i >= entries.size()) {
      scan_only(source, scan_only_entries[i - entries.size()], *options.secrets, results[i]);
      return true;
    }
    bool check = !changed || changed_paths.contains(entries[i].path);
    process(source, entries[i], check, m_settings, m_file_validators, schemas, options.secrets, results[i]);
    return true;
  });
  check_pending(source, entries, m_settings, schemas, results);

  Report report;
  report.objects = ObjectIndex(options.rest);
  Exemptions exemptions;
  index_objects(entries, results, report, exemptions);
  report.files_indexed = report.objects.file_count();
  report.crds_checked = schemas.checked_crd_count();
  // The tree-wide checks are independent of each other and of gathering the
  // files' findings: each runs on a thread of its own, that last.
  // Findings not of one manifest: each tree check's, and the last, those of
  // the files only scanned for secrets.
  std::vector<std::vector<Finding>> across(m_tree_validators.size() + 1);
  parallel_for(m_tree_validators.size() + 1, options.threads, [&](std::size_t i) {
    if (i < m_tree_validators.size()) m_tree_validators[i]->check(report.objects, across[i]);
    else gather_findings(entries, results, report, across[i]);
    return true;
  });
  report.findings = merge_findings(results, entries.size(), across);

  apply_rule_settings(m_settings, report.findings);
  apply_exemptions(report.findings, exemptions);
  for (const Finding& f : report.findings)
    ++(f.severity == Severity::error ? report.errors : f.severity == Severity::warning ? report.warnings : report.notes);
  report.timed_out = timed_out;
  return report;
}

}  // namespace pushgate
