// TC_Config: the TARS config file format.
//
//   # a comment line
//   <tars>
//     <application>
//       <server>
//         app=TestApp
//         netthread = 2          # not a comment: values run to the end of the line
//         closecout              # a bare key has the empty value
//       </server>
//     </application>
//   </tars>
//
// Sections nest; a parameter line is split at its first unescaped '='; key and value
// are trimmed; the escapes \\ \r \n \t \= are decoded in both. Values may not contain
// '<'. Lines whose first non-blank character is '#' are comments. A section opened twice
// under one parent is one section (later values win). Keys and sections keep the order
// of the file.
//
// Addresses: "/tars/application/server<netthread>" is the key netthread of section
// server; "/tars/application/server" is the section itself.
//
// Ownership and threads: a TC_Config is a value (copyable, movable). Concurrent reads
// are safe; any write (parse*, insert*, joinConfig) needs exclusive access.
// Errors: TC_Config_Exception; parse errors name the file (or "<string>") and line, e.g.
// "Server.conf:12: closing tag </server> does not match <application> opened at line 3".
// operator[] throws TC_ConfigNoParam_Exception (a TC_Config_Exception) when the key is
// missing.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "util/tc_ex.h"

namespace tars {

struct TC_Config_Exception : TC_Exception {
    using TC_Exception::TC_Exception;
};

struct TC_ConfigNoParam_Exception : TC_Config_Exception {
    using TC_Config_Exception::TC_Config_Exception;
};

class TC_Config {
public:
    // Replace the whole content; on error the content is unchanged.
    void parseFile(const std::string& path);
    void parseString(const std::string& text);

    // Value of "/a/b<key>", or def when the section or the key is missing.
    std::string get(const std::string& path, const std::string& def = "") const;
    // Value of "/a/b<key>"; throws TC_ConfigNoParam_Exception when missing.
    std::string operator[](const std::string& path) const;

    // Names of the sub-sections of "/a/b", in file order; empty if "/a/b" is missing.
    std::vector<std::string> getDomainVector(const std::string& path) const;
    // Whether section "/a/b" exists.
    bool hasDomainVector(const std::string& path) const;
    // Keys and values of "/a/b" (empty if missing).
    std::map<std::string, std::string> getDomainMap(const std::string& path) const;
    // Keys of "/a/b" in file order (empty if missing).
    std::vector<std::string> getDomainKey(const std::string& path) const;

    // Adds section name under path (creating path when create=true, else throwing
    // when path is missing). An existing section is kept as it is.
    void insertDomain(const std::string& path, const std::string& name, bool create);
    // Sets keys of section path (created when create=true, else throws when missing).
    void insertDomainParam(const std::string& path, const std::map<std::string, std::string>& params, bool create);

    // Merges other into this config: sections and keys missing here are added; keys
    // present in both take other's value when update=true, else keep ours.
    void joinConfig(const TC_Config& other, bool update);

    // The whole config in the file format; parseString(tostr()) gives it back.
    std::string tostr() const;

    // One section. Exposed for the implementation; use the path API above.
    struct Domain {
        std::string name;
        std::vector<std::pair<std::string, std::string>> params;
        std::vector<Domain> children;

        const Domain* child(const std::string& childName) const;
        Domain* child(const std::string& childName);
        const std::string* param(const std::string& key) const;
        void setParam(const std::string& key, const std::string& value);
    };

private:
    const Domain* findDomain(const std::string& path) const;
    Domain* findOrCreateDomain(const std::string& path, bool create);

    Domain _root;
};

}  // namespace tars
