// SetDivision: TARS set routing's `name.area.group` (TARS-FACTS 1.7, 3, 4.2).
//
// A process is in a set when /tars/application<enableset> is y and <setdivision> is three
// non-empty parts joined by '.', the first two never '*'. A client in a set resolves
// objects with QueryF.findObjectByIdInSameSet and marks its calls with message type 0x80
// (TARSMESSAGETYPESETNAME) and the status STATUS_SETNAME_VALUE = its set division; a server
// in a set with `checkset` on checks such calls with acceptsCaller().
// Pure functions of their arguments: thread-safe.
#pragma once

#include <string>

namespace tars {

struct SetDivision {
    // The status key of a call made in a set: the caller's set division.
    static constexpr const char* kStatusKey = "STATUS_SETNAME_VALUE";

    // "" when text is a valid set division, else why it is not.
    static std::string invalidReason(const std::string& text);

    // The set division a process works in: "" when enableSet is not y (or 1, true) or
    // setDivision is "" or "NULL"; "" with why set when setDivision is malformed.
    static std::string fromConfig(const std::string& enableSet, const std::string& setDivision, std::string& why);

    // TarsCpp's checkset rule for a server in set server: a call from the same set, from
    // the same name.area, or from a set of another name is accepted; one from the same
    // name with another area is refused (-11).
    static bool acceptsCaller(const std::string& server, const std::string& caller);
};

}  // namespace tars
