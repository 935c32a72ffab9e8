// What the files of tarsadmin's commands share: the exit statuses, the usage error, and
// the APP.SERVER argument.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace tars::admin {

// A mistake in the command line: status 2, nothing sent.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

constexpr int kOk = 0;
constexpr int kFailed = 1;
constexpr int kUsage = 2;

// "App.Server" -> {App, Server}; a UsageError for anything else.
std::pair<std::string, std::string> splitServer(const std::string& fullName);

}  // namespace tars::admin
