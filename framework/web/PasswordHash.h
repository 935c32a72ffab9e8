// PasswordHash: the console's stored passwords, salted and slow (PBKDF2-HMAC-SHA256 from
// OpenSSL), and the password file that holds them.
//
// A stored hash is one line of text: `pbkdf2-sha256$ITERATIONS$SALT_HEX$HASH_HEX`. The
// password file (kept by the config service as tars.tarsweb's `tarsweb.passwd`, or a
// local file named in tarsweb's config) has one `user:hash` line per user; `#` lines and
// blank lines are ignored.
//
// Plain functions; thread-safe. verifyPassword compares in constant time and answers
// false for a malformed stored hash (never throws for it).
#pragma once

#include <map>
#include <string>

namespace tars::web {

constexpr int kPasswordIterations = 210000;  // OWASP's figure for PBKDF2-HMAC-SHA256
constexpr const char* kPasswordFileName = "tarsweb.passwd";

// A new salted hash of password (16 random bytes of salt). Throws std::runtime_error when
// OpenSSL fails.
std::string hashPassword(const std::string& password, int iterations = kPasswordIterations);

// Whether password matches stored (a hashPassword result).
bool verifyPassword(const std::string& password, const std::string& stored);

// user -> stored hash, from a password file's text; malformed lines are skipped.
std::map<std::string, std::string> parsePasswordFile(const std::string& text);

// The text with user's line set to hash (added when missing); other lines are kept.
std::string setPasswordLine(const std::string& text, const std::string& user, const std::string& hash);

// A random token of bytes random bytes, hex (session ids, CSRF tokens).
std::string randomToken(size_t bytes = 32);

}  // namespace tars::web
