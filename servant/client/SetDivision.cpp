#include "servant/SetDivision.h"

#include <vector>

#include "util/tc_common.h"

namespace tars {

namespace {

// Everything before the last '.' ("name.area" of "name.area.group").
std::string nameArea(const std::string& set) { return set.substr(0, set.rfind('.')); }
// Everything before the first '.'.
std::string nameOf(const std::string& set) { return set.substr(0, set.find('.')); }

}  // namespace

std::string SetDivision::invalidReason(const std::string& text) {
    std::vector<std::string> parts = TC_Common::sepstr(text, ".", true);
    if (parts.size() != 3) return "'" + text + "' is not name.area.group (three parts joined by '.')";
    for (const std::string& part : parts) {
        if (part.empty()) return "'" + text + "' has an empty part";
    }
    if (parts[0] == "*" || parts[1] == "*") return "'" + text + "': the set name and area cannot be '*'";
    return "";
}

std::string SetDivision::fromConfig(const std::string& enableSet, const std::string& setDivision, std::string& why) {
    why.clear();
    std::string enable = TC_Common::lower(TC_Common::trim(enableSet));
    if (enable != "y" && enable != "yes" && enable != "1" && enable != "true") return "";
    std::string set = TC_Common::trim(setDivision);
    if (set.empty() || set == "NULL") {
        why = "enableset is on but setdivision is empty";
        return "";
    }
    why = invalidReason(set);
    return why.empty() ? set : "";
}

bool SetDivision::acceptsCaller(const std::string& server, const std::string& caller) {
    if (caller == server) return true;
    if (nameArea(caller) == nameArea(server)) return true;
    return nameOf(caller) != nameOf(server);
}

}  // namespace tars
