// HttpCompression: gzip for the replies of every HTTP servant (adapter `protocol=http`,
// the ops endpoint, the console). HttpServerProtocol hands each reply here with its
// request; the reply is compressed when all of these hold:
//   - the request's Accept-Encoding takes gzip (or `*`) with a q-value above 0, and its
//     method is not HEAD;
//   - the reply is a whole HTTP/1.x response with a Content-Length that matches its body,
//     no Content-Encoding or Transfer-Encoding of its own, no `Cache-Control: no-transform`,
//     and a status that has a body to compress (not 1xx, 204, 206 or 304);
//   - its Content-Type is text (text/*, JSON, JavaScript, XML, SVG and the +json/+xml
//     types): images, archives and other binary bodies are compressed already;
//   - the body is at least kMinBody bytes, at most kMaxBody (compressing more would hold
//     a handle thread for a long time), and gzip makes it smaller.
// A compressed reply gets `Content-Encoding: gzip`, its new Content-Length, a weak ETag
// (the bytes changed) and `Vary: Accept-Encoding`. A reply that could have been
// compressed gets the Vary header either way, so that a cache keeps both forms apart.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tars::http {

inline constexpr size_t kMinBody = 1024;
inline constexpr size_t kMaxBody = 8 * 1024 * 1024;

// Whether an Accept-Encoding value (RFC 9110, 12.5.3) takes gzip.
bool acceptsGzip(std::string_view acceptEncoding);

// Whether a Content-Type value names text worth compressing.
bool compressibleType(std::string_view contentType);

// data as a gzip member (RFC 1952); throws std::runtime_error naming zlib's error, or
// when data is 4 GiB or more (zlib counts in 32 bits).
std::string gzip(std::string_view data);

// The reverse, for tests and clients; throws std::runtime_error on data that is not gzip.
std::string gunzip(std::string_view data);

// Compresses reply in place as described above; request is the whole request packet.
// True when it did.
bool compressReply(std::string_view request, std::vector<char>& reply);

}  // namespace tars::http
