#include "internal/HttpCompression.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <optional>
#include <stdexcept>

namespace tars::http {

namespace {

constexpr std::string_view kCrlf = "\r\n";

char lowerChar(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lowerChar(x) == lowerChar(y); });
}

bool istartsWith(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

bool iendsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && iequals(text.substr(text.size() - suffix.size()), suffix);
}

std::string_view trim(std::string_view s) {
    size_t b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) return {};
    size_t e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

// A q-value ("0", "0.5", "1.000"); nullopt when malformed.
std::optional<double> parseQ(std::string_view text) {
    if (text.empty() || text.size() > 5 || (text[0] != '0' && text[0] != '1')) return std::nullopt;
    if (text.size() > 1 && (text[1] != '.' || text.size() == 2)) return std::nullopt;
    double value = text[0] - '0';
    double scale = 0.1;
    for (size_t i = 2; i < text.size(); ++i) {
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
        value += (text[i] - '0') * scale;
        scale /= 10;
    }
    if (value > 1.0) return std::nullopt;
    return value;
}

struct Header {
    std::string_view name;
    std::string_view value;
};

// The status code and header lines of an HTTP/1.x message head (up to the blank line);
// false when it is not one.
bool parseHead(std::string_view head, std::string_view& firstLine, std::vector<Header>& headers) {
    size_t eol = head.find(kCrlf);
    if (eol == std::string_view::npos) return false;
    firstLine = head.substr(0, eol);
    size_t pos = eol + 2;
    while (pos < head.size()) {
        size_t end = head.find(kCrlf, pos);
        if (end == std::string_view::npos) return false;
        if (end == pos) return true;
        std::string_view line = head.substr(pos, end - pos);
        size_t colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0) return false;
        headers.push_back({line.substr(0, colon), trim(line.substr(colon + 1))});
        pos = end + 2;
    }
    return false;
}

std::string_view find(const std::vector<Header>& headers, std::string_view name) {
    for (const Header& h : headers) {
        if (iequals(h.name, name)) return h.value;
    }
    return {};
}

bool has(const std::vector<Header>& headers, std::string_view name) {
    return std::any_of(headers.begin(), headers.end(), [&](const Header& h) { return iequals(h.name, name); });
}

// Whether a comma-separated header value lists token (case-insensitive).
bool listsToken(std::string_view value, std::string_view token) {
    while (!value.empty()) {
        size_t comma = value.find(',');
        std::string_view item = trim(value.substr(0, comma));
        if (iequals(item.substr(0, item.find('=')), token)) return true;
        if (comma == std::string_view::npos) break;
        value.remove_prefix(comma + 1);
    }
    return false;
}

class ZStream {
public:
    explicit ZStream(bool deflating) : _deflating(deflating) {
        // windowBits 15 + 16: a gzip header and trailer around the deflate data.
        int rc = deflating ? deflateInit2(&_z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY)
                           : inflateInit2(&_z, 15 + 16);
        if (rc != Z_OK) throw std::runtime_error(std::string("zlib: cannot start: ") + zError(rc));
    }
    ~ZStream() {
        if (_deflating) {
            deflateEnd(&_z);
        } else {
            inflateEnd(&_z);
        }
    }
    ZStream(const ZStream&) = delete;
    ZStream& operator=(const ZStream&) = delete;
    z_stream* get() { return &_z; }

private:
    z_stream _z{};
    bool _deflating;
};

}  // namespace

bool acceptsGzip(std::string_view acceptEncoding) {
    std::optional<double> gzipQ;
    std::optional<double> anyQ;
    while (!acceptEncoding.empty()) {
        size_t comma = acceptEncoding.find(',');
        std::string_view item = acceptEncoding.substr(0, comma);
        acceptEncoding = comma == std::string_view::npos ? std::string_view() : acceptEncoding.substr(comma + 1);
        size_t semicolon = item.find(';');
        std::string_view coding = trim(item.substr(0, semicolon));
        double q = 1.0;
        if (semicolon != std::string_view::npos) {
            std::string_view param = trim(item.substr(semicolon + 1));
            if (!istartsWith(param, "q=")) continue;  // only q is defined for codings
            std::optional<double> parsed = parseQ(trim(param.substr(2)));
            if (!parsed) continue;  // malformed: the item is ignored
            q = *parsed;
        }
        if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) {
            gzipQ = q;
        } else if (coding == "*") {
            anyQ = q;
        }
    }
    if (gzipQ) return *gzipQ > 0.0;
    return anyQ && *anyQ > 0.0;
}

bool compressibleType(std::string_view contentType) {
    std::string_view type = trim(contentType.substr(0, contentType.find(';')));
    if (istartsWith(type, "text/")) return true;
    for (std::string_view known :
         {"application/json", "application/javascript", "application/x-javascript", "application/ecmascript",
          "application/xml", "image/svg+xml", "application/x-ndjson", "application/wasm"}) {
        if (iequals(type, known)) return true;
    }
    return istartsWith(type, "application/") && (iendsWith(type, "+json") || iendsWith(type, "+xml"));
}

std::string gzip(std::string_view data) {
    if (data.size() >= std::numeric_limits<uInt>::max()) throw std::runtime_error("gzip: input of 4 GiB or more");
    ZStream stream(true);
    z_stream* z = stream.get();
    std::string out;
    out.resize(deflateBound(z, static_cast<uLong>(data.size())));
    z->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z->avail_in = static_cast<uInt>(data.size());
    z->next_out = reinterpret_cast<Bytef*>(out.data());
    z->avail_out = static_cast<uInt>(out.size());
    int rc = deflate(z, Z_FINISH);
    if (rc != Z_STREAM_END) throw std::runtime_error(std::string("zlib: deflate failed: ") + zError(rc));
    out.resize(z->total_out);
    return out;
}

std::string gunzip(std::string_view data) {
    if (data.size() >= std::numeric_limits<uInt>::max()) throw std::runtime_error("gunzip: input of 4 GiB or more");
    ZStream stream(false);
    z_stream* z = stream.get();
    z->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z->avail_in = static_cast<uInt>(data.size());
    std::string out;
    char buffer[16384];
    while (true) {
        z->next_out = reinterpret_cast<Bytef*>(buffer);
        z->avail_out = sizeof(buffer);
        int rc = inflate(z, Z_NO_FLUSH);
        out.append(buffer, sizeof(buffer) - z->avail_out);
        if (rc == Z_STREAM_END) return out;
        if (rc != Z_OK) throw std::runtime_error(std::string("zlib: not gzip data: ") + zError(rc));
        if (z->avail_in == 0 && z->avail_out != 0) throw std::runtime_error("zlib: gzip data cut short");
    }
}

bool compressReply(std::string_view request, std::vector<char>& reply) {
    // The request: its method and Accept-Encoding.
    size_t requestHeadEnd = request.find("\r\n\r\n");
    if (requestHeadEnd == std::string_view::npos) return false;
    std::string_view requestLine;
    std::vector<Header> requestHeaders;
    if (!parseHead(request.substr(0, requestHeadEnd + 4), requestLine, requestHeaders)) return false;
    if (istartsWith(requestLine, "HEAD ")) return false;

    // The reply: status, headers, and a body its Content-Length describes exactly.
    std::string_view text(reply.data(), reply.size());
    size_t headEnd = text.find("\r\n\r\n");
    if (headEnd == std::string_view::npos) return false;
    std::string_view statusLine;
    std::vector<Header> headers;
    if (!parseHead(text.substr(0, headEnd + 4), statusLine, headers)) return false;
    if (!istartsWith(statusLine, "HTTP/1.") || statusLine.size() < 12 || statusLine[8] != ' ') return false;
    int status = 0;
    auto [end, ec] = std::from_chars(statusLine.data() + 9, statusLine.data() + 12, status);
    if (ec != std::errc() || end != statusLine.data() + 12) return false;
    if (status < 200 || status == 204 || status == 206 || status == 304) return false;
    std::string_view body = text.substr(headEnd + 4);
    size_t length = 0;
    std::string_view lengthText = find(headers, "Content-Length");
    auto [lengthEnd, lengthEc] = std::from_chars(lengthText.data(), lengthText.data() + lengthText.size(), length);
    if (lengthText.empty() || lengthEc != std::errc() || lengthEnd != lengthText.data() + lengthText.size() ||
        length != body.size()) {
        return false;
    }
    if (has(headers, "Content-Encoding") || has(headers, "Transfer-Encoding")) return false;
    if (listsToken(find(headers, "Cache-Control"), "no-transform")) return false;
    if (body.size() < kMinBody || body.size() > kMaxBody || !compressibleType(find(headers, "Content-Type"))) {
        return false;
    }

    bool accepted = false;
    for (const Header& h : requestHeaders) {
        if (iequals(h.name, "Accept-Encoding") && acceptsGzip(h.value)) accepted = true;
    }
    std::string compressed;
    if (accepted) {
        compressed = gzip(body);
        if (compressed.size() >= body.size()) accepted = false;
    }
    std::string_view vary = find(headers, "Vary");
    bool needsVary = !listsToken(vary, "Accept-Encoding") && trim(vary) != "*";
    if (!accepted && !needsVary) return false;

    std::string out;
    out.reserve(headEnd + 128 + (accepted ? compressed.size() : body.size()));
    out.append(statusLine).append(kCrlf);
    for (const Header& h : headers) {
        if (iequals(h.name, "Vary") && needsVary) continue;  // written below, with Accept-Encoding
        if (accepted && iequals(h.name, "Content-Length")) continue;
        if (accepted && iequals(h.name, "ETag") && !istartsWith(h.value, "W/")) {
            out.append(h.name).append(": W/").append(h.value).append(kCrlf);
            continue;
        }
        out.append(h.name).append(": ").append(h.value).append(kCrlf);
    }
    if (needsVary) {
        out.append("Vary: ");
        if (!trim(vary).empty()) out.append(trim(vary)).append(", ");
        out.append("Accept-Encoding").append(kCrlf);
    }
    if (accepted) {
        out.append("Content-Encoding: gzip").append(kCrlf);
        out.append("Content-Length: ").append(std::to_string(compressed.size())).append(kCrlf).append(kCrlf);
        out.append(compressed);
    } else {
        out.append(kCrlf).append(body);
    }
    reply.assign(out.begin(), out.end());
    return accepted;
}

}  // namespace tars::http
