// HttpProtocol: HTTP/1.1 for servants (adapter `protocol=http`).
//
// HttpProtocol::parse cuts requests out of a connection's bytes: request line, headers,
// and a body given by Content-Length or chunked transfer coding (pipelined requests are
// cut one by one; replies go back in request order, see Servant::doRequest). The packet it
// hands the servant is normalized: a chunked body is joined and announced with
// Content-Length, so HttpRequest::decode never sees chunks. Limits (PACKET_ERR, the
// connection is closed): request line + headers over 64 KiB, a body over 16 MiB, a
// version other than HTTP/1.0 and HTTP/1.1, a malformed length or chunk size, or both
// Content-Length and Transfer-Encoding (a request-smuggling shape).
//
// HttpRequest / HttpResponse are plain values, one per request, used by one thread.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "servant/ProtocolParser.h"

namespace tars {

class HttpProtocol {
public:
    static constexpr size_t kMaxHeaderSize = 64 * 1024;
    static constexpr size_t kMaxBodySize = 16 * 1024 * 1024;

    static PACKET_TYPE parse(TC_NetWorkBuffer& in, std::vector<char>& out);
    // The reply to a request that finds the adapter's queue full (queuecap): 503 Service
    // Unavailable with Retry-After, after which the connection closes.
    static std::string overloadReply();
};

// Header names compare case-insensitively.
struct HttpHeaderLess {
    bool operator()(const std::string& a, const std::string& b) const;
};
using HttpHeaders = std::map<std::string, std::string, HttpHeaderLess>;

class HttpRequest {
public:
    // Decodes a packet made by HttpProtocol::parse; false if it is not one.
    bool decode(const std::vector<char>& packet);
    bool decode(const char* data, size_t length);

    const std::string& getMethod() const { return _method; }
    const std::string& getRequestUrl() const { return _url; }   // as sent: path and query
    std::string getPath() const;                                // the url without its query
    std::string getQuery() const;                               // after '?', "" if none
    const std::string& getVersion() const { return _version; }  // "HTTP/1.1"
    const HttpHeaders& getHeaders() const { return _headers; }
    std::string getHeader(const std::string& name) const;
    const std::string& getContent() const { return _body; }
    // HTTP/1.1 unless "Connection: close"; HTTP/1.0 only with "Connection: keep-alive".
    bool isKeepAlive() const;

private:
    std::string _method;
    std::string _url;
    std::string _version;
    HttpHeaders _headers;
    std::string _body;
};

class HttpResponse {
public:
    void setStatus(int status, const std::string& reason = "");
    void setHeader(const std::string& name, const std::string& value) { _headers[name] = value; }
    void setContent(const std::string& body) { _body = body; }
    // The whole response, with Content-Length (and HTTP/1.1, Date-less, Server: tars).
    std::string encode() const;
    void encode(std::vector<char>& out) const;

    int getStatus() const { return _status; }

private:
    int _status = 200;
    std::string _reason = "OK";
    HttpHeaders _headers;
    std::string _body;
};

}  // namespace tars
