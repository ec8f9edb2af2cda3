// passline: the key that signs the decision log's checkpoints, kept as two files: FILE, the
// Ed25519 private key (PKCS#8 PEM, mode 0600), and FILE.pub, its note verifier key
// (`<name>+<hash>+<key>`, whose name part is the log's origin). Thread-safe functions.
#pragma once

#include <string>

#include "passline/result.h"

namespace passline::sql {

struct LogKey {
  std::string private_pem;
  std::string name;          ///< the log origin the key signs for
  std::string verifier_key;  ///< the contents of FILE.pub, without its newline
};

/// A fresh origin for a new log: `<host>/passline/<16 hex digits>`, the host name as
/// gethostname() gives it (letters, digits, '.', '-' kept, lower case; "localhost" when empty),
/// the digits random, so two deployments never share an origin. Thread-safe.
std::string default_log_origin();

/// Reads FILE and FILE.pub. Error `unreadable_file` naming the file and the system's reason.
Result<LogKey> read_log_key(const std::string& path);

/// Makes a new key named `name` and writes FILE (0600) and FILE.pub; never replaces either
/// (error `key_exists`). Returns the key.
Result<LogKey> create_log_key(const std::string& path, const std::string& name);

}  // namespace passline::sql
