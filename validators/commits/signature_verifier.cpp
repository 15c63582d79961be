#include "validators/commits/signature_verifier.hpp"

#include <fcntl.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <variant>

#include "core/util/write_all.hpp"
#include "validators/commits/ssh_certificate.hpp"
#include "validators/commits/ssh_signature.hpp"
#include "validators/commits/sshsig_verify.hpp"

namespace pushgate {

namespace {

constexpr std::string_view k_gnupg_status = "[GNUPG:] ";

// The signature and the signed bytes as files for the tools; replaced when
// a slot is used again.
std::filesystem::path write_slot_file(const std::filesystem::path& path, std::string_view text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  bool ok = fd >= 0 && write_all(fd, text);
  if (fd >= 0) ::close(fd);
  if (!ok) throw Failure(ErrorCode::io, fmt::format("cannot write '{}': {}", path.string(), std::strerror(errno)));
  return path;
}

std::string day(std::time_t t) { return fmt::format("{:%Y-%m-%d %H:%M} UTC", fmt::gmtime(t)); }

// A certificate's validity bound as a day; bounds past year 9999 are shown as that.
std::string day(std::uint64_t t) { return day(static_cast<std::time_t>(std::min<std::uint64_t>(t, 253402300799))); }

// The entry of `candidates` that is valid now for namespace "git", else a
// verdict saying why none is (`unknown` when there is none at all).
std::variant<const AllowedSigner*, SignatureVerdict> usable_signer(
    const std::vector<const AllowedSigner*>& candidates, const std::string& file, std::string unknown) {
  std::time_t now = std::time(nullptr);
  std::string why;
  for (const AllowedSigner* s : candidates) {
    std::string where = fmt::format("{}:{}", file, s->line);
    if (!s->allows_namespace("git")) {
      why = fmt::format("the key of {} ({}) may sign only for namespaces {}, not git", s->principals, where,
                        fmt::join(s->namespaces, ","));
    } else if (s->valid_before && *s->valid_before < now) {
      return SignatureVerdict{SignatureStatus::expired_key,
                              fmt::format("the key of {} ({}) expired on {} (valid-before)", s->principals, where,
                                          day(*s->valid_before))};
    } else if (s->valid_after && *s->valid_after > now) {
      return SignatureVerdict{SignatureStatus::expired_key,
                              fmt::format("the key of {} ({}) is valid only from {} (valid-after)", s->principals,
                                          where, day(*s->valid_after))};
    } else {
      return s;
    }
  }
  return SignatureVerdict{SignatureStatus::unknown_key, why.empty() ? std::move(unknown) : why};
}

// The last line a tool wrote: its reason, for the pusher.
std::string last_line(const std::vector<std::string>& lines) {
  for (auto it = lines.rbegin(); it != lines.rend(); ++it)
    if (!it->empty() && !it->starts_with(k_gnupg_status)) return *it;
  return "";
}

}  // namespace

ProcessResult SignatureVerifier::run(std::vector<std::string> argv, const ToolFolder::Paths& tools,
                                     const std::filesystem::path& input, std::vector<std::string>& lines) const {
  ProcessSpec spec;
  spec.argv = std::move(argv);
  spec.timeout = m_timeout;
  // The tools must not read the pusher's or the daemon's own key settings.
  spec.env = {{"GNUPGHOME", tools.gnupg_home.string()}, {"LC_ALL", "C"}};
  ProcessResult result = m_runner.run_with_input(spec, input.empty() ? "/dev/null" : input, [&](std::string_view line) {
    if (lines.size() < 200) lines.emplace_back(line);
  });
  if (!result.error.empty() || result.timed_out || result.signal != 0)
    throw Failure(ErrorCode::internal,
                  fmt::format("cannot verify a commit signature: {} {}", spec.argv[0], result.describe()));
  return result;
}

SignatureVerdict SignatureVerifier::verify(const CommitSignature& signature, std::size_t slot) const {
  switch (signature.format) {
    case SignatureFormat::none: return {SignatureStatus::unsigned_commit, ""};
    case SignatureFormat::ssh: return verify_ssh(signature, slot);
    case SignatureFormat::openpgp: return verify_openpgp(signature, slot);
    case SignatureFormat::x509:
    case SignatureFormat::unknown: break;
  }
  return {SignatureStatus::unknown_key,
          fmt::format("it carries {} signature, which pushgate does not accept: sign with an SSH key "
                      "(gpg.format=ssh) or OpenPGP",
                      describe(signature.format))};
}

SignatureVerdict SignatureVerifier::verify_ssh(const CommitSignature& signature, std::size_t slot) const {
  const AllowedSigners* signers = m_keys.ssh();
  if (!signers)
    return {SignatureStatus::unknown_key,
            "it carries an SSH signature, and only OpenPGP keys (validate.signatures keyring) may sign here"};
  auto info = parse_ssh_signature(signature.signature);
  if (!info) return {SignatureStatus::bad, info.error().message};
  if (info->name_space != "git")
    return {SignatureStatus::bad, fmt::format("it was signed for namespace '{}', not for git", info->name_space)};
  if (is_ssh_certificate(info->key_type)) return verify_ssh_certificate(signature, *info, *signers, slot);
  auto usable = usable_signer(
      signers->find(info->public_key), signers->path(),
      fmt::format("{} is not in the allowed signers ({})", describe_ssh_key(info->public_key), signers->path()));
  if (auto* verdict = std::get_if<SignatureVerdict>(&usable)) return *verdict;
  const AllowedSigner* signer = std::get<const AllowedSigner*>(usable);
  SshsigVerdict checked = verify_sshsig(*info, "git", signature.signed_data);
  switch (checked.result) {
    case SshsigResult::good: return {SignatureStatus::good, signer->principal()};
    case SshsigResult::bad: return {SignatureStatus::bad, checked.why};
    case SshsigResult::unsupported: break;
  }
  // A key type left to ssh-keygen (sk-* FIDO keys, ...), on the private copy
  // of the allowed signers that was checked above.
  SshKeygenSlot files = ssh_keygen_slot(signature, slot);
  return ssh_keygen_verify(files, signer->principal());
}

SignatureVerifier::SshKeygenSlot SignatureVerifier::ssh_keygen_slot(const CommitSignature& signature,
                                                                    std::size_t slot) const {
  const ToolFolder::Paths& tools = m_keys.tools().paths();
  auto base = tools.folder / fmt::format("{}", slot);
  return {tools, write_slot_file(base.string() + ".sig", signature.signature),
          write_slot_file(base.string() + ".data", signature.signed_data)};
}

SignatureVerdict SignatureVerifier::ssh_keygen_verify(const SshKeygenSlot& files, const std::string& principal) const {
  std::vector<std::string> lines;
  ProcessResult result = run({"ssh-keygen", "-Y", "verify", "-f", files.tools.allowed_signers.string(), "-I",
                              principal, "-n", "git", "-s", files.sig.string()},
                             files.tools, files.data, lines);
  if (result.exit_code == 0) return {SignatureStatus::good, principal};
  return {SignatureStatus::bad, fmt::format("ssh-keygen -Y verify: {}", last_line(lines))};
}

// Which part of a certificate does not count is told here, for the pusher;
// whether it counts is ssh-keygen's to decide (it checks the CA's signature
// too), as git asks it: find-principals, then verify as the principal found.
SignatureVerdict SignatureVerifier::verify_ssh_certificate(const CommitSignature& signature,
                                                           const SshSignatureInfo& info,
                                                           const AllowedSigners& signers, std::size_t slot) const {
  auto cert = read_ssh_certificate(info.public_key);
  if (!cert) return {SignatureStatus::bad, fmt::format("its SSH certificate ({}) is malformed", info.key_type)};
  std::string what = fmt::format("its SSH certificate '{}' (principals: {})", cert->key_id,
                                 cert->principals.empty() ? "none" : fmt::format("{}", fmt::join(cert->principals, ",")));
  if (!cert->user) return {SignatureStatus::bad, what + " is a host certificate, not a user certificate"};
  auto usable = usable_signer(signers.find(cert->ca_key, true), signers.path(),
                              fmt::format("{} was issued by CA {}, which is no cert-authority line of {}", what,
                                          describe_ssh_key(cert->ca_key), signers.path()));
  if (auto* verdict = std::get_if<SignatureVerdict>(&usable)) return *verdict;
  const AllowedSigner* authority = std::get<const AllowedSigner*>(usable);
  auto now = static_cast<std::uint64_t>(std::time(nullptr));
  if (now >= cert->valid_before)
    return {SignatureStatus::expired_key, fmt::format("{} expired on {}", what, day(cert->valid_before))};
  if (now < cert->valid_after)
    return {SignatureStatus::expired_key, fmt::format("{} is valid only from {}", what, day(cert->valid_after))};

  SshKeygenSlot files = ssh_keygen_slot(signature, slot);
  std::vector<std::string> lines;
  run({"ssh-keygen", "-Y", "find-principals", "-f", files.tools.allowed_signers.string(), "-s", files.sig.string()},
      files.tools, "", lines);
  // Its output mixes stdout and stderr: a principal is a line the certificate names.
  for (const std::string& line : lines)
    if (std::find(cert->principals.begin(), cert->principals.end(), line) != cert->principals.end())
      return ssh_keygen_verify(files, line);
  return {SignatureStatus::unknown_key,
          fmt::format("{} names no principal that {}:{} allows ({})", what, signers.path(), authority->line,
                      authority->principals)};
}

SignatureVerdict SignatureVerifier::verify_openpgp(const CommitSignature& signature, std::size_t slot) const {
  if (!m_keys.has_keyring())
    return {SignatureStatus::unknown_key,
            "it carries an OpenPGP signature, and only SSH keys (validate.signatures allowed_signers) may sign here"};
  const ToolFolder::Paths& tools = m_keys.tools().paths();
  auto base = tools.folder / fmt::format("{}", slot);
  auto sig = write_slot_file(base.string() + ".asc", signature.signature);
  auto data = write_slot_file(base.string() + ".data", signature.signed_data);
  std::vector<std::string> lines;
  ProcessResult result = run({"gpgv", "--homedir", tools.gnupg_home.string(), "--keyring", tools.keyring.string(),
                              "--status-fd", "1", sig.string(), data.string()},
                             tools, "", lines);
  // gpgv's machine-readable status lines (doc/DETAILS of GnuPG).
  std::string good, problem;
  int signatures = 0;
  bool valid = false;
  SignatureStatus status = SignatureStatus::bad;
  for (const std::string& line : lines) {
    if (!line.starts_with(k_gnupg_status)) continue;
    std::string_view rest = std::string_view(line).substr(k_gnupg_status.size());
    std::string_view word = rest.substr(0, rest.find(' '));
    std::string_view args = rest.size() > word.size() ? rest.substr(word.size() + 1) : std::string_view();
    std::string_view user = args.find(' ') == std::string_view::npos ? "" : args.substr(args.find(' ') + 1);
    if (word == "NEWSIG") ++signatures;
    else if (word == "GOODSIG") good = user;
    else if (word == "VALIDSIG") valid = true;
    else if (word == "BADSIG") problem = fmt::format("the signature of {} does not match the commit", user);
    else if (word == "EXPKEYSIG") {
      status = SignatureStatus::expired_key;
      problem = fmt::format("the key of {} has expired", user);
    } else if (word == "REVKEYSIG") {
      status = SignatureStatus::expired_key;
      problem = fmt::format("the key of {} has been revoked", user);
    } else if (word == "EXPSIG") {
      status = SignatureStatus::expired_key;
      problem = "the signature has expired";
    } else if (word == "NO_PUBKEY") {
      status = SignatureStatus::unknown_key;
      problem = fmt::format("OpenPGP key {} is not in the keyring ({})", args, m_keys.rule().keyring);
    }
  }
  if (result.exit_code == 0 && signatures == 1 && valid && !good.empty() && problem.empty())
    return {SignatureStatus::good, good};
  if (problem.empty()) problem = fmt::format("gpgv: {}", last_line(lines));
  return {status, problem};
}

}  // namespace pushgate
