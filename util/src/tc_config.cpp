#include "util/tc_config.h"

#include <cerrno>
#include <fstream>
#include <sstream>

#include "util/tc_common.h"
#include "util/tc_config_line_index.h"
#include "util/tc_file.h"

namespace tars {

// ---------------------------------------------------------------- Domain

const TC_Config::Domain* TC_Config::Domain::child(const std::string& childName) const {
    for (const Domain& d : children) {
        if (d.name == childName) return &d;
    }
    return nullptr;
}

TC_Config::Domain* TC_Config::Domain::child(const std::string& childName) {
    for (Domain& d : children) {
        if (d.name == childName) return &d;
    }
    return nullptr;
}

const std::string* TC_Config::Domain::param(const std::string& key) const {
    for (const auto& [k, v] : params) {
        if (k == key) return &v;
    }
    return nullptr;
}

void TC_Config::Domain::setParam(const std::string& key, const std::string& value) {
    for (auto& [k, v] : params) {
        if (k == key) {
            v = value;
            return;
        }
    }
    params.emplace_back(key, value);
}

// ---------------------------------------------------------------- parsing

std::string tcConfigUnescape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) {
            char c = s[i + 1];
            switch (c) {
                case '\\':
                    out.push_back('\\');
                    ++i;
                    continue;
                case 'r':
                    out.push_back('\r');
                    ++i;
                    continue;
                case 'n':
                    out.push_back('\n');
                    ++i;
                    continue;
                case 't':
                    out.push_back('\t');
                    ++i;
                    continue;
                case '=':
                    out.push_back('=');
                    ++i;
                    continue;
                default: break;  // unknown escape: kept as written
            }
        }
        out.push_back(s[i]);
    }
    return out;
}

namespace {

std::string escape(std::string_view s, bool isKey) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '\\': out += "\\\\"; break;
            case '\r': out += "\\r"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '=':
                if (isKey)
                    out += "\\=";
                else
                    out.push_back(c);
                break;
            default: out.push_back(c);
        }
    }
    return out;
}

struct OpenSection {
    TC_Config::Domain* domain;
    int line;
};

class Parser {
public:
    explicit Parser(std::string source) : _source(std::move(source)) {}

    TC_Config::Domain parse(const std::string& text) {
        TC_Config::Domain root;
        std::vector<OpenSection> stack{{&root, 0}};
        size_t lineStart = 0;
        int lineNo = 0;
        while (lineStart <= text.size()) {
            size_t lineEnd = text.find('\n', lineStart);
            if (lineEnd == std::string::npos) lineEnd = text.size();
            ++lineNo;
            parseLine(std::string_view(text).substr(lineStart, lineEnd - lineStart), lineNo, stack);
            lineStart = lineEnd + 1;
        }
        if (stack.size() > 1) {
            const OpenSection& open = stack.back();
            fail(open.line,
                 "section <" + open.domain->name + "> is never closed (missing </" + open.domain->name + ">)");
        }
        return root;
    }

private:
    [[noreturn]] void fail(int line, const std::string& problem) const {
        throw TC_Config_Exception("TC_Config: " + _source + ":" + std::to_string(line) + ": " + problem);
    }

    void parseLine(std::string_view line, int lineNo, std::vector<OpenSection>& stack) {
        size_t pos = 0;
        while (true) {
            pos = line.find_first_not_of(TC_Common::kSpaces, pos);
            if (pos == std::string_view::npos) return;
            if (line[pos] == '#') return;  // comment to the end of the line
            if (line[pos] == '<') {
                size_t close = line.find('>', pos);
                if (close == std::string_view::npos)
                    fail(lineNo, "unterminated tag (no '>'): " + std::string(line.substr(pos)));
                handleTag(line.substr(pos + 1, close - pos - 1), lineNo, stack);
                pos = close + 1;
                continue;
            }
            size_t end = line.find('<', pos);
            if (end == std::string_view::npos) end = line.size();
            handleParam(line.substr(pos, end - pos), lineNo, *stack.back().domain);
            pos = end;
        }
    }

    void handleTag(std::string_view inner, int lineNo, std::vector<OpenSection>& stack) {
        bool closing = !inner.empty() && inner.front() == '/';
        bool selfClosing = !closing && !inner.empty() && inner.back() == '/';
        if (closing) inner.remove_prefix(1);
        if (selfClosing) inner.remove_suffix(1);
        std::string name = TC_Common::trim(inner);
        if (name.empty()) fail(lineNo, std::string("empty section name in <") + (closing ? "/" : "") + ">");
        if (name.find_first_of("/<") != std::string::npos) fail(lineNo, "bad section name '" + name + "'");
        if (closing) {
            if (stack.size() <= 1) fail(lineNo, "closing tag </" + name + "> without an open section");
            const OpenSection& open = stack.back();
            if (open.domain->name != name) {
                fail(lineNo, "closing tag </" + name + "> does not match <" + open.domain->name + "> opened at line " +
                                 std::to_string(open.line));
            }
            stack.pop_back();
            return;
        }
        TC_Config::Domain* parent = stack.back().domain;
        TC_Config::Domain* d = parent->child(name);
        if (d == nullptr) {
            parent->children.push_back(TC_Config::Domain{name, {}, {}});
            // The push_back may move parent's children, but none of them is on the stack
            // (parent is its top), so the open-section pointers stay valid.
            d = &parent->children.back();
        }
        if (!selfClosing) stack.push_back({d, lineNo});
    }

    void handleParam(std::string_view text, int lineNo, TC_Config::Domain& domain) {
        size_t eq = std::string_view::npos;
        for (size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '\\') {
                ++i;
            } else if (text[i] == '=') {
                eq = i;
                break;
            }
        }
        std::string key = tcConfigUnescape(TC_Common::trim(text.substr(0, eq)));
        std::string value =
            eq == std::string_view::npos ? std::string() : tcConfigUnescape(TC_Common::trim(text.substr(eq + 1)));
        if (key.empty()) fail(lineNo, "empty key before '='");
        domain.setParam(key, value);
    }

    std::string _source;
};

void splitPath(const std::string& path, std::vector<std::string>& domains, std::string* key, bool* hasKey) {
    size_t lt = path.find('<');
    std::string domainPart = path.substr(0, lt);
    if (hasKey) *hasKey = false;
    if (lt != std::string::npos && key) {
        size_t gt = path.find('>', lt);
        if (gt == std::string::npos || gt != path.size() - 1) {
            throw TC_Config_Exception("TC_Config: bad path '" + path + "' (expected /section/...<key>)");
        }
        *key = path.substr(lt + 1, gt - lt - 1);
        if (hasKey) *hasKey = true;
    }
    domains = TC_Common::sepstr(domainPart, "/");
    for (std::string& d : domains) d = TC_Common::trim(d);
}

}  // namespace

void TC_Config::parseFile(const std::string& path) {
    std::string text;
    try {
        text = TC_File::load2str(path);
    } catch (const TC_File_Exception& e) {
        throw TC_Config_Exception("TC_Config: cannot read config file '" + path + "'", e.getErrCode());
    }
    _root = Parser(path).parse(text);
}

void TC_Config::parseString(const std::string& text) { _root = Parser("<string>").parse(text); }

// ---------------------------------------------------------------- lookups

const TC_Config::Domain* TC_Config::findDomain(const std::string& path) const {
    std::vector<std::string> domains;
    splitPath(path, domains, nullptr, nullptr);
    const Domain* d = &_root;
    for (const std::string& name : domains) {
        d = d->child(name);
        if (d == nullptr) return nullptr;
    }
    return d;
}

TC_Config::Domain* TC_Config::findOrCreateDomain(const std::string& path, bool create) {
    std::vector<std::string> domains;
    splitPath(path, domains, nullptr, nullptr);
    Domain* d = &_root;
    for (const std::string& name : domains) {
        Domain* c = d->child(name);
        if (c == nullptr) {
            if (!create) throw TC_Config_Exception("TC_Config: section '" + path + "' does not exist");
            d->children.push_back(Domain{name, {}, {}});
            c = &d->children.back();
        }
        d = c;
    }
    return d;
}

std::string TC_Config::get(const std::string& path, const std::string& def) const {
    std::vector<std::string> domains;
    std::string key;
    bool hasKey = false;
    splitPath(path, domains, &key, &hasKey);
    if (!hasKey) return def;
    const Domain* d = findDomain(path.substr(0, path.find('<')));
    if (d == nullptr) return def;
    const std::string* v = d->param(key);
    return v ? *v : def;
}

std::string TC_Config::operator[](const std::string& path) const {
    std::vector<std::string> domains;
    std::string key;
    bool hasKey = false;
    splitPath(path, domains, &key, &hasKey);
    if (!hasKey) throw TC_ConfigNoParam_Exception("TC_Config: path '" + path + "' names no <key>");
    const Domain* d = findDomain(path.substr(0, path.find('<')));
    const std::string* v = d ? d->param(key) : nullptr;
    if (v == nullptr) throw TC_ConfigNoParam_Exception("TC_Config: no parameter '" + path + "'");
    return *v;
}

std::vector<std::string> TC_Config::getDomainVector(const std::string& path) const {
    std::vector<std::string> out;
    if (const Domain* d = findDomain(path)) {
        for (const Domain& c : d->children) out.push_back(c.name);
    }
    return out;
}

bool TC_Config::hasDomainVector(const std::string& path) const { return findDomain(path) != nullptr; }

std::map<std::string, std::string> TC_Config::getDomainMap(const std::string& path) const {
    std::map<std::string, std::string> out;
    if (const Domain* d = findDomain(path)) {
        for (const auto& [k, v] : d->params) out[k] = v;
    }
    return out;
}

std::vector<std::string> TC_Config::getDomainKey(const std::string& path) const {
    std::vector<std::string> out;
    if (const Domain* d = findDomain(path)) {
        for (const auto& kv : d->params) out.push_back(kv.first);
    }
    return out;
}

// ---------------------------------------------------------------- edits

void TC_Config::insertDomain(const std::string& path, const std::string& name, bool create) {
    Domain* d = findOrCreateDomain(path, create);
    if (d->child(name) == nullptr) d->children.push_back(Domain{name, {}, {}});
}

void TC_Config::insertDomainParam(const std::string& path, const std::map<std::string, std::string>& params,
                                  bool create) {
    Domain* d = findOrCreateDomain(path, create);
    for (const auto& [k, v] : params) d->setParam(k, v);
}

namespace {
void joinDomain(TC_Config::Domain& into, const TC_Config::Domain& from, bool update) {
    for (const auto& [k, v] : from.params) {
        if (into.param(k) == nullptr || update) into.setParam(k, v);
    }
    for (const TC_Config::Domain& c : from.children) {
        if (TC_Config::Domain* mine = into.child(c.name)) {
            joinDomain(*mine, c, update);
        } else {
            into.children.push_back(c);
        }
    }
}

void writeDomain(std::ostringstream& os, const TC_Config::Domain& d, int depth) {
    std::string indent(static_cast<size_t>(depth) * 2, ' ');
    for (const auto& [k, v] : d.params) {
        os << indent << escape(k, true);
        if (!v.empty()) os << '=' << escape(v, false);
        os << '\n';
    }
    for (const TC_Config::Domain& c : d.children) {
        os << indent << '<' << c.name << ">\n";
        writeDomain(os, c, depth + 1);
        os << indent << "</" << c.name << ">\n";
    }
}
}  // namespace

void TC_Config::joinConfig(const TC_Config& other, bool update) {
    if (&other == this) return;
    joinDomain(_root, other._root, update);
}

std::string TC_Config::tostr() const {
    std::ostringstream os;
    writeDomain(os, _root, 0);
    return os.str();
}

}  // namespace tars
