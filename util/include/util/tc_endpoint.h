// TC_Endpoint: one TARS endpoint string, parsed and formatted:
//
//   tcp|udp|ssl -h host -p port [-t timeout] [-g grid] [-q qos] [-w weight]
//               [-v weightType] [-e authType] [-s setId]
//   unix -h /path/of/the.sock [-t timeout] ...
//
// `unix` (not a TARS form) is a stream Unix-domain socket on this host: -h holds its file
// system path (no spaces, at most 107 bytes), -p is absent or 0. It has no EndpointF form
// (the registry does not publish it): it serves direct proxies ("Obj@unix -h /path") and
// server adapters.
//
// Defaults: -t 3000 ms; weight -1 ("not weighted"); when weightType != 0 a missing
// weight becomes 100 and any weight is capped at 100. "-h *" means 0.0.0.0; a host
// may be IPv6 ("-h ::1", brackets accepted and dropped); "localip" is kept as is (the
// server substitutes it). Unknown options are ignored (with their value, if any).
// toString() writes the canonical form that parses back to an equal endpoint.
//
// Lists of endpoints are joined by ':'; they are split before each protocol word
// (tcp/udp/ssl/unix), so the colons of IPv6 hosts survive. An object string is
// "App.Server.Obj@endpoint:endpoint..." ("#..." at the end is ignored); without '@' it
// names an object the registry resolves.
//
// TC_Endpoint is a plain value: copy it, compare it, share it read-only across
// threads. Parse errors throw TC_Endpoint_Exception naming the problem and the text.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/tc_ex.h"

namespace tars {

struct TC_Endpoint_Exception : TC_Exception {
    using TC_Exception::TC_Exception;
};

class TC_Endpoint {
public:
    // Values of EndpointF.istcp (UNIX has none there: it is never published).
    enum EType { UDP = 0, TCP = 1, SSL = 2, UNIX = 3 };
    enum AUTH_TYPE { AUTH_TYPENONE = 0, AUTH_TYPELOCAL = 1 };

    static constexpr int kDefaultTimeoutMs = 3000;

    TC_Endpoint() = default;
    TC_Endpoint(const std::string& host, int port, int timeout = kDefaultTimeoutMs, EType type = TCP);
    // Parses desc; throws TC_Endpoint_Exception.
    explicit TC_Endpoint(const std::string& desc) { parse(desc); }

    // Replaces every field by the ones described; throws TC_Endpoint_Exception (the
    // object is unchanged then).
    void parse(const std::string& desc);
    std::string toString() const;

    const std::string& getHost() const { return _host; }
    int getPort() const { return _port; }
    int getTimeout() const { return _timeout; }
    EType getType() const { return _type; }
    bool isTcp() const { return _type == TCP || _type == SSL; }  // stream transport over IP
    bool isUdp() const { return _type == UDP; }
    bool isUnix() const { return _type == UNIX; }  // stream Unix-domain socket; the host is its path
    bool isSSL() const { return _type == SSL; }
    bool isIPv6() const { return _type != UNIX && _host.find(':') != std::string::npos; }
    int getGrid() const { return _grid; }
    int getQos() const { return _qos; }
    int getWeight() const { return _weight; }
    int getWeightType() const { return _weightType; }
    int getAuthType() const { return _authType; }
    const std::string& getSetId() const { return _setId; }

    void setHost(const std::string& host) { _host = host; }
    void setPort(int port) { _port = port; }
    void setTimeout(int timeout) { _timeout = timeout; }
    void setType(EType type) { _type = type; }
    void setGrid(int grid) { _grid = grid; }
    void setQos(int qos) { _qos = qos; }
    // Applies the weight rules above.
    void setWeight(int weight, int weightType);
    void setAuthType(int authType) { _authType = authType; }
    void setSetId(const std::string& setId) { _setId = setId; }

    bool operator==(const TC_Endpoint& other) const = default;

    // "tcp -h a -p 1:udp -h ::1 -p 2" -> {"tcp -h a -p 1", "udp -h ::1 -p 2"} (trimmed,
    // empty pieces dropped). Never throws.
    static std::vector<std::string> sepEndpoint(const std::string& list);
    // sepEndpoint, then parse each; throws on the first bad one.
    static std::vector<TC_Endpoint> parseEndpoints(const std::string& list);

private:
    std::string _host;
    int _port = 0;
    int _timeout = kDefaultTimeoutMs;
    EType _type = TCP;
    int _grid = 0;
    int _qos = 0;
    int _weight = -1;
    int _weightType = 0;
    int _authType = AUTH_TYPENONE;
    std::string _setId;
};

// "App.Server.Obj@tcp -h ... -p ...:tcp -h ..." split into the object name and its
// endpoints. Without '@', endpoints is empty (resolve through the registry).
struct TC_ObjectEndpoints {
    std::string name;
    std::vector<TC_Endpoint> endpoints;

    // Throws TC_Endpoint_Exception on an empty name or a bad endpoint.
    static TC_ObjectEndpoints parse(const std::string& objectString);
};

}  // namespace tars
