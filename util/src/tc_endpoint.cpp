#include "util/tc_endpoint.h"

#include <algorithm>

#include "util/tc_common.h"

namespace tars {

TC_Endpoint::TC_Endpoint(const std::string& host, int port, int timeout, EType type)
    : _host(host), _port(port), _timeout(timeout), _type(type) {}

void TC_Endpoint::setWeight(int weight, int weightType) {
    _weightType = weightType;
    _weight = weight;
    if (_weightType != 0) {
        if (_weight == -1) _weight = 100;
        _weight = std::min(_weight, 100);
    }
}

namespace {

[[noreturn]] void fail(const std::string& problem, const std::string& desc) {
    throw TC_Endpoint_Exception("endpoint '" + desc + "': " + problem);
}

int toInt(const std::string& option, const std::string& value, const std::string& desc) {
    auto v = TC_Common::tryStrto<int>(value);
    if (!v) fail("option " + option + " needs an integer, got '" + value + "'", desc);
    return *v;
}

bool isProtocolWord(std::string_view word) {
    std::string w = TC_Common::lower(word);
    return w == "tcp" || w == "udp" || w == "ssl" || w == "unix";
}

constexpr size_t kMaxUnixPath = 107;  // what sockaddr_un.sun_path holds, less the NUL

}  // namespace

void TC_Endpoint::parse(const std::string& desc) {
    std::vector<std::string> tokens = TC_Common::sepstr(desc, " \t\r\n");
    if (tokens.empty()) fail("empty endpoint", desc);

    TC_Endpoint ep;
    std::string proto = TC_Common::lower(tokens[0]);
    if (proto == "tcp")
        ep._type = TCP;
    else if (proto == "udp")
        ep._type = UDP;
    else if (proto == "ssl")
        ep._type = SSL;
    else if (proto == "unix")
        ep._type = UNIX;
    else
        fail("protocol must be tcp, udp, ssl or unix, got '" + tokens[0] + "'", desc);

    bool hasHost = false;
    bool hasPort = false;
    int weight = -1;
    int weightType = 0;
    for (size_t i = 1; i < tokens.size(); ++i) {
        const std::string& opt = tokens[i];
        if (opt.size() < 2 || opt[0] != '-') fail("expected an option like -h, got '" + opt + "'", desc);
        bool known = opt.size() == 2 && std::string_view("hptgqwves").find(opt[1]) != std::string_view::npos;
        if (!known) {
            // Unknown option: skip its value too, if one follows.
            if (i + 1 < tokens.size() && tokens[i + 1][0] != '-') ++i;
            continue;
        }
        if (i + 1 >= tokens.size()) fail("option " + opt + " has no value", desc);
        const std::string& value = tokens[++i];
        switch (opt[1]) {
            case 'h': {
                std::string host = value;
                if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
                    host = host.substr(1, host.size() - 2);
                if (host.empty()) fail("empty host", desc);
                if (ep._type == UNIX) {
                    if (host.size() > kMaxUnixPath) {
                        fail("unix socket path is " + std::to_string(host.size()) + " bytes, more than " +
                                 std::to_string(kMaxUnixPath),
                             desc);
                    }
                    ep._host = host;
                    hasHost = true;
                    break;
                }
                ep._host = host == "*" ? "0.0.0.0" : host;
                hasHost = true;
                break;
            }
            case 'p': {
                int port = toInt(opt, value, desc);
                if (port < 0 || port > 65535) fail("port " + value + " is out of range 0..65535", desc);
                ep._port = port;
                hasPort = true;
                break;
            }
            case 't': {
                int timeout = toInt(opt, value, desc);
                if (timeout < 0) fail("timeout -t must not be negative", desc);
                ep._timeout = timeout;
                break;
            }
            case 'g': ep._grid = toInt(opt, value, desc); break;
            case 'q': ep._qos = toInt(opt, value, desc); break;
            case 'w': weight = toInt(opt, value, desc); break;
            case 'v': weightType = toInt(opt, value, desc); break;
            case 'e': ep._authType = toInt(opt, value, desc); break;
            case 's': ep._setId = value; break;
        }
    }
    if (ep._type == UNIX) {
        if (!hasHost) fail("missing -h with the socket's path", desc);
        if (ep._port != 0) fail("a unix endpoint has no port (-p must be absent or 0)", desc);
    } else {
        if (!hasHost) fail("missing -h host", desc);
        if (!hasPort) fail("missing -p port", desc);
    }
    ep.setWeight(weight, weightType);
    *this = std::move(ep);
}

std::string TC_Endpoint::toString() const {
    std::string out = _type == TCP ? "tcp" : _type == UDP ? "udp" : _type == SSL ? "ssl" : "unix";
    out += " -h " + _host;
    if (_type != UNIX) out += " -p " + std::to_string(_port);
    out += " -t " + std::to_string(_timeout);
    if (_grid != 0) out += " -g " + std::to_string(_grid);
    if (_qos != 0) out += " -q " + std::to_string(_qos);
    if (_weight != -1) out += " -w " + std::to_string(_weight);
    if (_weightType != 0) out += " -v " + std::to_string(_weightType);
    if (_authType != 0) out += " -e " + std::to_string(_authType);
    if (!_setId.empty()) out += " -s " + _setId;
    return out;
}

std::vector<std::string> TC_Endpoint::sepEndpoint(const std::string& list) {
    // A ':' separates two endpoints only when the next word is a protocol word.
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t i = 0; i <= list.size(); ++i) {
        bool cut = i == list.size();
        if (!cut && list[i] == ':') {
            size_t w = list.find_first_not_of(" \t\r\n", i + 1);
            if (w != std::string::npos) {
                size_t end = list.find_first_of(" \t\r\n", w);
                if (end == std::string::npos) end = list.size();
                if (isProtocolWord(std::string_view(list).substr(w, end - w))) cut = true;
            }
        }
        if (cut) {
            std::string piece = TC_Common::trim(std::string_view(list).substr(start, i - start));
            if (!piece.empty()) out.push_back(std::move(piece));
            start = i + 1;
        }
    }
    return out;
}

std::vector<TC_Endpoint> TC_Endpoint::parseEndpoints(const std::string& list) {
    std::vector<TC_Endpoint> out;
    for (const std::string& s : sepEndpoint(list)) out.emplace_back(s);
    return out;
}

TC_ObjectEndpoints TC_ObjectEndpoints::parse(const std::string& objectString) {
    std::string s = objectString.substr(0, objectString.find('#'));
    TC_ObjectEndpoints out;
    size_t at = s.find('@');
    out.name = TC_Common::trim(std::string_view(s).substr(0, at));
    if (out.name.empty()) throw TC_Endpoint_Exception("object '" + objectString + "': empty object name");
    if (at != std::string::npos) {
        out.endpoints = TC_Endpoint::parseEndpoints(s.substr(at + 1));
        if (out.endpoints.empty()) {
            throw TC_Endpoint_Exception("object '" + objectString + "': no endpoint after '@'");
        }
    }
    return out;
}

}  // namespace tars
