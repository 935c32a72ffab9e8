// HttpCompression: which requests take gzip, which replies are worth it, and what a
// compressed reply looks like.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "internal/HttpCompression.h"

namespace tars::http {
namespace {

std::vector<char> bytes(const std::string& s) { return {s.begin(), s.end()}; }
std::string text(const std::vector<char>& v) { return {v.begin(), v.end()}; }

std::string reply(const std::string& headers, const std::string& body, const std::string& status = "200 OK") {
    return "HTTP/1.1 " + status + "\r\n" + headers + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
           body;
}

const std::string kBody = [] {
    std::string s;
    while (s.size() < 4096) s += "{\"name\":\"TestApp.HelloServer\",\"state\":\"active\"},";
    return s;
}();

TEST(HttpCompression, AcceptEncodingFollowsQValuesAndWildcards) {
    EXPECT_TRUE(acceptsGzip("gzip"));
    EXPECT_TRUE(acceptsGzip("GZIP"));
    EXPECT_TRUE(acceptsGzip("deflate, gzip;q=0.5"));
    EXPECT_TRUE(acceptsGzip("x-gzip"));
    EXPECT_TRUE(acceptsGzip("*"));
    EXPECT_TRUE(acceptsGzip("br , * ; q=0.1"));
    EXPECT_TRUE(acceptsGzip("gzip;q=1.000"));
    EXPECT_FALSE(acceptsGzip(""));
    EXPECT_FALSE(acceptsGzip("identity"));
    EXPECT_FALSE(acceptsGzip("deflate, br"));
    EXPECT_FALSE(acceptsGzip("gzip;q=0"));
    EXPECT_FALSE(acceptsGzip("gzip;q=0.000, *"));  // gzip named: its own q decides
    EXPECT_FALSE(acceptsGzip("*;q=0"));
    EXPECT_FALSE(acceptsGzip("gzip;q=2"));  // malformed q: the item is ignored
    EXPECT_FALSE(acceptsGzip("gzip;q=abc"));
    EXPECT_FALSE(acceptsGzip("gzipped"));
}

TEST(HttpCompression, OnlyTextTypesAreWorthIt) {
    for (const char* type : {"text/html", "text/plain; version=0.0.4", "application/json", "application/javascript",
                             "image/svg+xml", "application/problem+json", "APPLICATION/JSON; charset=utf-8"}) {
        EXPECT_TRUE(compressibleType(type)) << type;
    }
    for (const char* type : {"", "image/png", "application/gzip", "application/octet-stream", "video/mp4",
                             "application/zip", "font/woff2"}) {
        EXPECT_FALSE(compressibleType(type)) << type;
    }
}

TEST(HttpCompression, GzipRoundTripsAndRefusesWhatIsNotGzip) {
    EXPECT_EQ(gunzip(gzip(kBody)), kBody);
    EXPECT_EQ(gunzip(gzip("")), "");
    std::string zipped = gzip(kBody);
    EXPECT_EQ(static_cast<unsigned char>(zipped[0]), 0x1f);  // the gzip magic
    EXPECT_EQ(static_cast<unsigned char>(zipped[1]), 0x8b);
    EXPECT_THROW(gunzip("not gzip at all"), std::runtime_error);
    EXPECT_THROW(gunzip(zipped.substr(0, zipped.size() / 2)), std::runtime_error);
}

TEST(HttpCompression, AReplyIsCompressedWithItsHeadersAdjusted) {
    std::vector<char> out = bytes(reply("Content-Type: application/json\r\nETag: \"abc\"\r\nVary: Origin\r\n", kBody));
    ASSERT_TRUE(compressReply("GET /x HTTP/1.1\r\nAccept-Encoding: gzip, br\r\n\r\n", out));
    std::string result = text(out);
    size_t headEnd = result.find("\r\n\r\n");
    std::string head = result.substr(0, headEnd + 2);
    std::string body = result.substr(headEnd + 4);
    EXPECT_EQ(head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
    EXPECT_NE(head.find("Content-Encoding: gzip\r\n"), std::string::npos);
    EXPECT_NE(head.find("Content-Length: " + std::to_string(body.size()) + "\r\n"), std::string::npos);
    EXPECT_NE(head.find("ETag: W/\"abc\"\r\n"), std::string::npos);
    EXPECT_NE(head.find("Vary: Origin, Accept-Encoding\r\n"), std::string::npos);
    EXPECT_EQ(head.find("Vary: Origin\r\n"), std::string::npos);
    EXPECT_EQ(gunzip(body), kBody);
}

TEST(HttpCompression, RepliesThatMustStayAsTheyAreDo) {
    const std::string gzipRequest = "GET /x HTTP/1.1\r\nAccept-Encoding: gzip\r\n\r\n";
    const std::string json = "Content-Type: application/json\r\n";
    struct Case {
        const char* why;
        std::string request;
        std::string reply;
    };
    std::vector<Case> cases = {
        {"HEAD", "HEAD /x HTTP/1.1\r\nAccept-Encoding: gzip\r\n\r\n", reply(json, kBody)},
        {"small body", gzipRequest, reply(json, kBody.substr(0, kMinBody - 1))},
        {"large body", gzipRequest, reply(json, std::string(kMaxBody + 1, 'a'))},
        {"binary type", gzipRequest, reply("Content-Type: image/png\r\n", kBody)},
        {"no type", gzipRequest, reply("", kBody)},
        {"already encoded", gzipRequest, reply(json + "Content-Encoding: br\r\n", kBody)},
        {"no-transform", gzipRequest, reply(json + "Cache-Control: public, no-transform\r\n", kBody)},
        {"206", gzipRequest, reply(json, kBody, "206 Partial Content")},
        {"304", gzipRequest, reply(json, kBody, "304 Not Modified")},
        {"length mismatch", gzipRequest, reply(json, kBody) + "x"},
        {"chunked", gzipRequest, "HTTP/1.1 200 OK\r\n" + json + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"},
        {"not a reply", gzipRequest, "garbage"},
        {"not a request", "garbage", reply(json, kBody)},
    };
    for (const Case& c : cases) {
        std::vector<char> out = bytes(c.reply);
        EXPECT_FALSE(compressReply(c.request, out)) << c.why;
        std::string result = text(out);
        EXPECT_EQ(result.find("Content-Encoding: gzip"), std::string::npos) << c.why;
        // Left byte for byte, but for the Vary header a compressible reply gets anyway.
        if (result != c.reply) {
            EXPECT_NE(result.find("Vary: Accept-Encoding\r\n"), std::string::npos) << c.why;
            EXPECT_EQ(result.size(), c.reply.size() + std::string("Vary: Accept-Encoding\r\n").size()) << c.why;
        }
    }
    // A client that does not take gzip gets the body as it is, with Vary.
    std::vector<char> out = bytes(reply(json, kBody));
    EXPECT_FALSE(compressReply("GET /x HTTP/1.1\r\n\r\n", out));
    EXPECT_NE(text(out).find("Vary: Accept-Encoding\r\n"), std::string::npos);
    EXPECT_EQ(text(out).substr(text(out).size() - kBody.size()), kBody);
}

}  // namespace
}  // namespace tars::http
