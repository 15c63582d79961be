#pragma once
// A spool's identity: 128 random bits, written once to SPOOL/id. Jobs are
// followed by (spool id, job id), so a job number from another spool (an
// old one after `spool:` changed) never names the wrong job.

#include <filesystem>
#include <string>

namespace pushgate {

// The id stored in `spool`/id, 32 lowercase hex digits, made first if the
// file does not exist. Creators race safely: each writes its own temporary
// file and link(2)s it into place, which never replaces an id; the losers
// read the winner's. Throws Failure naming the file when it cannot make or
// read one, or when what it holds is not an id.
std::string load_or_make_spool_id(const std::filesystem::path& spool);

}  // namespace pushgate
