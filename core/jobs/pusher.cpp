#include "core/jobs/pusher.hpp"

#include <unistd.h>

#include "core/util/trusted_file.hpp"

namespace pushgate {

std::string pusher_identity(const std::string& identity_var, const EnvLookup& lookup) {
  if (!identity_var.empty()) {
    const char* value = lookup(identity_var.c_str());
    if (value && *value) return value;
  }
  return account_name(::geteuid());
}

}  // namespace pushgate
