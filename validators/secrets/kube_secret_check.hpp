#pragma once
// Kubernetes Secret objects committed with their values in plaintext:
// `data` (base64 is no encryption) and `stringData`. Files that SOPS
// encrypted (a top-level `sops:` with a `mac`, values as ENC[...]) and
// SealedSecrets (another kind) are fine.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace pushgate::secrets {

struct PlaintextSecret {
  int line = 0;         // of the key in data/stringData, 1-based
  int column = 0;
  std::string object;   // the Secret's metadata.name ("" when it has none)
  std::string key;      // e.g. "password"
  std::string value;    // the secret: for the fingerprint, never printed
};

struct KubeSecrets {
  std::vector<PlaintextSecret> plaintext;  // in file order
  // Lines of SealedSecret values (spec.encryptedData): ciphertext, high in
  // entropy and no secret.
  std::vector<int> sealed_lines;
};

// True when `path` is a file this check reads (.yaml, .yml, .json).
bool is_manifest_path(std::string_view path);

// The plaintext values of the Secret objects in `text` whose line
// `is_added(line)` holds, and the lines of sealed values. A file that is no
// valid YAML gives nothing (the YAML validators report it); empty values and
// placeholders (${VAR}, {{ .Values.x }}) are not secrets.
KubeSecrets kube_secrets(std::string_view text, const std::function<bool(int)>& is_added);

}  // namespace pushgate::secrets
