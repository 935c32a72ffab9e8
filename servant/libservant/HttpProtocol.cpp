#include "servant/HttpProtocol.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string_view>

#include "util/tc_common.h"

namespace tars {

namespace {

constexpr std::string_view kCrlf = "\r\n";

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trimView(std::string_view s) {
    size_t b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) return {};
    size_t e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

bool isToken(std::string_view s) {
    if (s.empty()) return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) ||
               std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    });
}

struct Head {
    std::string_view requestLine;
    std::vector<std::pair<std::string_view, std::string_view>> headers;
};

// Parses the request line and headers of text (ending with the blank line); false if bad.
bool parseHead(std::string_view text, Head& head) {
    size_t eol = text.find(kCrlf);
    head.requestLine = text.substr(0, eol);
    // METHOD SP URL SP HTTP/1.x
    size_t s1 = head.requestLine.find(' ');
    size_t s2 = head.requestLine.rfind(' ');
    if (s1 == std::string_view::npos || s2 == s1) return false;
    if (!isToken(head.requestLine.substr(0, s1))) return false;
    std::string_view version = head.requestLine.substr(s2 + 1);
    if (version != "HTTP/1.1" && version != "HTTP/1.0") return false;
    if (trimView(head.requestLine.substr(s1 + 1, s2 - s1 - 1)).empty()) return false;
    size_t pos = eol + 2;
    while (pos < text.size()) {
        size_t end = text.find(kCrlf, pos);
        if (end == std::string_view::npos) return false;
        if (end == pos) break;  // the blank line
        std::string_view line = text.substr(pos, end - pos);
        size_t colon = line.find(':');
        if (colon == std::string_view::npos || !isToken(line.substr(0, colon))) return false;
        head.headers.emplace_back(line.substr(0, colon), trimView(line.substr(colon + 1)));
        pos = end + 2;
    }
    return true;
}

bool parseDecimal(std::string_view text, size_t& value) {
    if (text.empty()) return false;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && p == text.data() + text.size();
}

}  // namespace

std::string HttpProtocol::overloadReply() {
    static constexpr std::string_view body = "server overloaded, retry later\n";
    return "HTTP/1.1 503 Service Unavailable\r\nServer: tars\r\nContent-Type: text/plain\r\nRetry-After: 1\r\n"
           "Connection: close\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

PACKET_TYPE HttpProtocol::parse(TC_NetWorkBuffer& in, std::vector<char>& out) {
    size_t available = in.getBufferLength();
    if (available == 0) return PACKET_LESS;
    size_t headEnd;
    size_t length = 0;
    bool hasLength = false;
    bool chunked = false;
    {
        std::string_view first = in.peek(std::min(available, kMaxHeaderSize));
        headEnd = first.find("\r\n\r\n");
        if (headEnd == std::string_view::npos) return available >= kMaxHeaderSize ? PACKET_ERR : PACKET_LESS;
        headEnd += 4;
        Head head;
        if (!parseHead(first.substr(0, headEnd), head)) return PACKET_ERR;
        std::string_view contentLength;
        for (const auto& [name, value] : head.headers) {
            if (iequals(name, "Content-Length")) {
                if (hasLength && value != contentLength) return PACKET_ERR;
                hasLength = true;
                contentLength = value;
            } else if (iequals(name, "Transfer-Encoding")) {
                if (!iequals(value, "chunked")) return PACKET_ERR;  // other codings: not supported
                chunked = true;
            }
        }
        if (hasLength && chunked) return PACKET_ERR;
        if (hasLength && (!parseDecimal(contentLength, length) || length > kMaxBodySize)) return PACKET_ERR;
    }
    // Only look at (and join) the bytes of this request: a large body is not re-copied
    // each time a piece of it arrives.
    size_t wanted = headEnd;
    if (hasLength) {
        wanted = headEnd + length;
        if (available < wanted) return PACKET_LESS;
    } else if (chunked) {
        wanted = std::min(available, headEnd + kMaxBodySize + kMaxHeaderSize);
    }
    std::string_view data = in.peek(wanted);
    Head head;
    parseHead(data.substr(0, headEnd), head);

    std::string body;
    size_t consumed = headEnd;
    if (chunked) {
        size_t pos = headEnd;
        while (true) {
            size_t eol = data.find(kCrlf, pos);
            if (eol == std::string_view::npos) return data.size() - pos > 1024 ? PACKET_ERR : PACKET_LESS;
            std::string_view sizeText = trimView(data.substr(pos, eol - pos));
            sizeText = trimView(sizeText.substr(0, sizeText.find(';')));  // chunk extensions ignored
            size_t size = 0;
            auto [p, ec] = std::from_chars(sizeText.data(), sizeText.data() + sizeText.size(), size, 16);
            if (sizeText.empty() || ec != std::errc() || p != sizeText.data() + sizeText.size()) return PACKET_ERR;
            if (size > kMaxBodySize || body.size() + size > kMaxBodySize) return PACKET_ERR;
            pos = eol + 2;
            if (size == 0) {
                // Trailer fields until the blank line.
                while (true) {
                    size_t end = data.find(kCrlf, pos);
                    if (end == std::string_view::npos) {
                        return data.size() - pos > kMaxHeaderSize ? PACKET_ERR : PACKET_LESS;
                    }
                    bool blank = end == pos;
                    pos = end + 2;
                    if (blank) break;
                }
                break;
            }
            if (data.size() < pos + size + 2) return PACKET_LESS;
            if (data.substr(pos + size, 2) != kCrlf) return PACKET_ERR;
            body.append(data.substr(pos, size));
            pos += size + 2;
        }
        consumed = pos;
    } else if (hasLength) {
        body.assign(data.substr(headEnd, length));
        consumed = headEnd + length;
    }

    // The normalized packet: head without Transfer-Encoding / Content-Length, then ours.
    std::string packet;
    packet.reserve(headEnd + body.size() + 32);
    packet.append(head.requestLine).append(kCrlf);
    for (const auto& [name, value] : head.headers) {
        if (iequals(name, "Transfer-Encoding") || iequals(name, "Content-Length")) continue;
        packet.append(name).append(": ").append(value).append(kCrlf);
    }
    if (hasLength || chunked) packet.append("Content-Length: ").append(std::to_string(body.size())).append(kCrlf);
    packet.append(kCrlf).append(body);
    out.assign(packet.begin(), packet.end());
    in.moveHeader(consumed);
    return PACKET_FULL;
}

bool HttpHeaderLess::operator()(const std::string& a, const std::string& b) const {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) < std::tolower(static_cast<unsigned char>(y));
    });
}

bool HttpRequest::decode(const std::vector<char>& packet) { return decode(packet.data(), packet.size()); }

bool HttpRequest::decode(const char* data, size_t length) {
    std::string_view text(data, length);
    size_t headEnd = text.find("\r\n\r\n");
    if (headEnd == std::string_view::npos) return false;
    Head head;
    if (!parseHead(text.substr(0, headEnd + 4), head)) return false;
    size_t s1 = head.requestLine.find(' ');
    size_t s2 = head.requestLine.rfind(' ');
    _method = std::string(head.requestLine.substr(0, s1));
    _url = std::string(trimView(head.requestLine.substr(s1 + 1, s2 - s1 - 1)));
    _version = std::string(head.requestLine.substr(s2 + 1));
    _headers.clear();
    for (const auto& [name, value] : head.headers) _headers[std::string(name)] = std::string(value);
    _body = std::string(text.substr(headEnd + 4));
    return true;
}

std::string HttpRequest::getPath() const { return _url.substr(0, _url.find('?')); }

std::string HttpRequest::getQuery() const {
    size_t q = _url.find('?');
    return q == std::string::npos ? "" : _url.substr(q + 1);
}

std::string HttpRequest::getHeader(const std::string& name) const {
    auto it = _headers.find(name);
    return it == _headers.end() ? "" : it->second;
}

bool HttpRequest::isKeepAlive() const {
    std::string connection = TC_Common::lower(getHeader("Connection"));
    if (_version == "HTTP/1.0") return connection == "keep-alive";
    return connection != "close";
}

void HttpResponse::setStatus(int status, const std::string& reason) {
    _status = status;
    if (!reason.empty()) {
        _reason = reason;
        return;
    }
    switch (status) {
        case 200: _reason = "OK"; break;
        case 204: _reason = "No Content"; break;
        case 400: _reason = "Bad Request"; break;
        case 404: _reason = "Not Found"; break;
        case 405: _reason = "Method Not Allowed"; break;
        case 500: _reason = "Internal Server Error"; break;
        case 503: _reason = "Service Unavailable"; break;
        default: _reason = "Status"; break;
    }
}

std::string HttpResponse::encode() const {
    std::string out;
    out.reserve(128 + _body.size());
    out.append("HTTP/1.1 ").append(std::to_string(_status)).append(" ").append(_reason).append(kCrlf);
    bool hasServer = false;
    for (const auto& [name, value] : _headers) {
        if (iequals(name, "Content-Length")) continue;
        if (iequals(name, "Server")) hasServer = true;
        out.append(name).append(": ").append(value).append(kCrlf);
    }
    if (!hasServer) out.append("Server: tars").append(kCrlf);
    out.append("Content-Length: ").append(std::to_string(_body.size())).append(kCrlf).append(kCrlf).append(_body);
    return out;
}

void HttpResponse::encode(std::vector<char>& out) const {
    std::string text = encode();
    out.assign(text.begin(), text.end());
}

}  // namespace tars
