#include "StoreValues.h"

#include <ctime>

namespace tars {

std::string formatStoreTime(int64_t seconds) {
    time_t t = static_cast<time_t>(seconds);
    struct tm utc {};
    gmtime_r(&t, &utc);
    char text[32];
    strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S", &utc);
    return text;
}

int64_t parseStoreTime(const std::string& text) {
    if (text.size() < 19) return 0;
    struct tm utc {};
    const char* end = strptime(text.c_str(), "%Y-%m-%d %H:%M:%S", &utc);
    if (!end) return 0;
    return static_cast<int64_t>(timegm(&utc));
}

SqlValue storeTimeValue(int64_t seconds) {
    if (seconds <= 0) return nullptr;
    return formatStoreTime(seconds);
}

void checkStoreState(const std::string& state, std::initializer_list<const char*> allowed, std::string_view backend,
                     std::string_view operation) {
    for (const char* value : allowed) {
        if (state == value) return;
    }
    throw StoreError(backend, operation, "invalid state '" + state + "'");
}

}  // namespace tars
