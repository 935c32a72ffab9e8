#include "PasswordHash.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <charconv>
#include <stdexcept>
#include <vector>

namespace tars::web {

namespace {

constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
constexpr int kMinIterations = 1000;
constexpr int kMaxIterations = 10000000;

std::string toHex(const unsigned char* data, size_t size) {
    static const char* digits = "0123456789abcdef";
    std::string text;
    text.reserve(size * 2);
    for (size_t i = 0; i < size; ++i) {
        text += digits[data[i] >> 4];
        text += digits[data[i] & 0x0f];
    }
    return text;
}

bool fromHex(const std::string& text, std::vector<unsigned char>& out) {
    if (text.empty() || text.size() % 2 != 0) return false;
    out.clear();
    for (size_t i = 0; i < text.size(); i += 2) {
        unsigned value = 0;
        auto [end, error] = std::from_chars(text.data() + i, text.data() + i + 2, value, 16);
        if (error != std::errc() || end != text.data() + i + 2) return false;
        out.push_back(static_cast<unsigned char>(value));
    }
    return true;
}

std::vector<unsigned char> derive(const std::string& password, const std::vector<unsigned char>& salt, int iterations,
                                  size_t length) {
    std::vector<unsigned char> key(length);
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                          static_cast<int>(salt.size()), iterations, EVP_sha256(), static_cast<int>(length),
                          key.data()) != 1) {
        throw std::runtime_error("PBKDF2 failed");
    }
    return key;
}

std::string trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return "";
    size_t e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

}  // namespace

std::string randomToken(size_t bytes) {
    std::vector<unsigned char> data(bytes);
    if (RAND_bytes(data.data(), static_cast<int>(data.size())) != 1) throw std::runtime_error("RAND_bytes failed");
    return toHex(data.data(), data.size());
}

std::string hashPassword(const std::string& password, int iterations) {
    if (iterations < kMinIterations || iterations > kMaxIterations) {
        throw std::runtime_error("password hash iterations out of range");
    }
    std::vector<unsigned char> salt(kSaltBytes);
    if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) throw std::runtime_error("RAND_bytes failed");
    auto key = derive(password, salt, iterations, kHashBytes);
    return "pbkdf2-sha256$" + std::to_string(iterations) + "$" + toHex(salt.data(), salt.size()) + "$" +
           toHex(key.data(), key.size());
}

bool verifyPassword(const std::string& password, const std::string& stored) {
    // pbkdf2-sha256$ITER$SALT$HASH
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t pos; (pos = stored.find('$', start)) != std::string::npos; start = pos + 1) {
        parts.push_back(stored.substr(start, pos - start));
    }
    parts.push_back(stored.substr(start));
    if (parts.size() != 4 || parts[0] != "pbkdf2-sha256") return false;
    int iterations = 0;
    auto [end, error] = std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), iterations);
    if (error != std::errc() || end != parts[1].data() + parts[1].size()) return false;
    if (iterations < kMinIterations || iterations > kMaxIterations) return false;
    std::vector<unsigned char> salt;
    std::vector<unsigned char> expected;
    if (!fromHex(parts[2], salt) || !fromHex(parts[3], expected) || expected.size() < 16) return false;
    try {
        auto key = derive(password, salt, iterations, expected.size());
        return CRYPTO_memcmp(key.data(), expected.data(), expected.size()) == 0;
    } catch (const std::exception&) {
        return false;
    }
}

std::map<std::string, std::string> parsePasswordFile(const std::string& text) {
    std::map<std::string, std::string> users;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find('\n', start);
        std::string line = trim(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (!line.empty() && line[0] != '#') {
            size_t colon = line.find(':');
            if (colon != std::string::npos && colon > 0)
                users[trim(line.substr(0, colon))] = trim(line.substr(colon + 1));
        }
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return users;
}

std::string setPasswordLine(const std::string& text, const std::string& user, const std::string& hash) {
    std::string result;
    bool replaced = false;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
        std::string trimmed = trim(line);
        size_t colon = trimmed.find(':');
        if (!trimmed.empty() && trimmed[0] != '#' && colon != std::string::npos &&
            trim(trimmed.substr(0, colon)) == user) {
            if (!replaced) result += user + ":" + hash + "\n";
            replaced = true;
        } else {
            result += line + "\n";
        }
        if (end == std::string::npos) break;
        start = end + 1;
    }
    if (!replaced) {
        if (result.empty()) result = "# tarsweb console users: user:pbkdf2-sha256$iterations$salt$hash\n";
        result += user + ":" + hash + "\n";
    }
    return result;
}

}  // namespace tars::web
