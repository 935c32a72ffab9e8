#include <gtest/gtest.h>

#include <cstring>

#include "util/tc_network_buffer.h"

using namespace tars;

namespace {
std::string iovString(const TC_NetWorkBuffer& buf, size_t maxIov, size_t* count = nullptr) {
    iovec iov[64];
    size_t k = buf.getIovec(iov, std::min<size_t>(maxIov, 64));
    if (count) *count = k;
    std::string out;
    for (size_t i = 0; i < k; ++i) out.append(static_cast<const char*>(iov[i].iov_base), iov[i].iov_len);
    return out;
}
}  // namespace

TEST(TC_NetWorkBuffer, EmptyBufferReadsNothing) {
    TC_NetWorkBuffer buf;
    EXPECT_TRUE(buf.empty());
    EXPECT_EQ(buf.getBufferLength(), 0u);
    uint32_t v;
    EXPECT_FALSE(buf.getUint32BE(v));
    EXPECT_TRUE(buf.peek(1).empty());
    EXPECT_TRUE(buf.front().empty());
    EXPECT_EQ(iovString(buf, 8), "");
    buf.moveHeader(10);  // no-op
    EXPECT_EQ(buf.takeFront(3), "");
    buf.addBuffer(std::string());
    buf.addBuffer(std::shared_ptr<const std::string>());
    EXPECT_TRUE(buf.empty());
}

TEST(TC_NetWorkBuffer, SmallCopiesCoalesceIntoOneChunk) {
    TC_NetWorkBuffer buf;
    for (int i = 0; i < 100; ++i) buf.addBuffer(std::string_view("abcd"));
    buf.addBuffer(std::string("moved but small"));
    EXPECT_EQ(buf.getChunkCount(), 1u);
    EXPECT_EQ(buf.getBufferLength(), 400u + 15u);
}

TEST(TC_NetWorkBuffer, LargeMovedPayloadIsNotCopied) {
    TC_NetWorkBuffer buf;
    std::string big(100000, 'x');
    const char* data = big.data();
    buf.addBuffer(std::move(big));
    EXPECT_EQ(buf.front().data(), data);  // same storage
    std::vector<char> vec(5000, 'y');
    const char* vdata = vec.data();
    buf.addBuffer(std::move(vec));
    iovec iov[4];
    ASSERT_EQ(buf.getIovec(iov, 4), 2u);
    EXPECT_EQ(iov[1].iov_base, vdata);
    // takeFront of exactly a moved-in string hands the same storage back.
    std::string back = buf.takeFront(100000);
    EXPECT_EQ(back.data(), data);
    EXPECT_EQ(buf.getBufferLength(), 5000u);
}

TEST(TC_NetWorkBuffer, SharedPayloadIsReferencedUntilConsumed) {
    auto payload = std::make_shared<const std::string>(4000, 'p');
    TC_NetWorkBuffer a, b;
    a.addBuffer(payload);
    b.addBuffer(payload);
    EXPECT_EQ(payload.use_count(), 3);
    EXPECT_EQ(a.front().data(), payload->data());
    a.moveHeader(3999);
    EXPECT_EQ(payload.use_count(), 3);
    a.moveHeader(1);
    EXPECT_EQ(payload.use_count(), 2);
    b.clearBuffers();
    EXPECT_EQ(payload.use_count(), 1);
}

TEST(TC_NetWorkBuffer, LengthHeaderAcrossChunks) {
    TC_NetWorkBuffer buf;
    buf.addBuffer(std::make_shared<const std::string>(std::string("\x00\x00", 2)));
    buf.addBuffer(std::make_shared<const std::string>(std::string("\x01\x02rest", 6)));
    uint32_t v = 0;
    ASSERT_TRUE(buf.getUint32BE(v));
    EXPECT_EQ(v, 0x0102u);
    EXPECT_EQ(buf.getChunkCount(), 2u);  // getHeader copies, never restructures
    char head[3];
    EXPECT_FALSE(buf.getHeader(9, head));
}

TEST(TC_NetWorkBuffer, PeekJoinsChunksOnlyWhenNeeded) {
    TC_NetWorkBuffer buf;
    auto p1 = std::make_shared<const std::string>("hello ");
    auto p2 = std::make_shared<const std::string>("world");
    buf.addBuffer(p1);
    buf.addBuffer(p2);
    std::string_view first = buf.peek(5);
    EXPECT_EQ(first, "hello");
    EXPECT_EQ(first.data(), p1->data());  // within one chunk: no copy
    EXPECT_EQ(buf.peek(8), "hello wo");   // spans two: joined
    EXPECT_EQ(buf.getBufferLength(), 11u);
    EXPECT_EQ(buf.getBuffersString(), "hello world");
    EXPECT_TRUE(buf.peek(12).empty());
    buf.moveHeader(8);
    EXPECT_EQ(buf.getBuffersString(), "rld");
}

TEST(TC_NetWorkBuffer, IovecCoversTheFrontInOrderAndPartialWrites) {
    TC_NetWorkBuffer buf;
    buf.addBuffer(std::string_view("a"));
    buf.addBuffer(std::string(2000, 'b'));
    buf.addBuffer(std::make_shared<const std::string>("cc"));
    buf.addBuffer(std::string_view("d"));
    size_t k = 0;
    EXPECT_EQ(iovString(buf, 64, &k), "a" + std::string(2000, 'b') + "cc" + "d");
    EXPECT_EQ(k, 4u);
    EXPECT_EQ(iovString(buf, 2), "a" + std::string(2000, 'b'));
    buf.moveHeader(1500);  // a partial write
    EXPECT_EQ(iovString(buf, 64), std::string(501, 'b') + "ccd");
    EXPECT_EQ(buf.getBufferLength(), 504u);
}

TEST(TC_NetWorkBuffer, ReceiveSpaceCommitsInPlace) {
    TC_NetWorkBuffer buf;
    auto [p, n] = buf.getWriteSpace(10);
    ASSERT_GE(n, 10u);
    std::memcpy(p, "\x00\x00\x00\x09pkt", 7);
    buf.commitWrite(7);
    auto [p2, n2] = buf.getWriteSpace(2);
    EXPECT_EQ(p2, p + 7);  // the same block continues
    ASSERT_GE(n2, 2u);
    std::memcpy(p2, "!!", 2);
    buf.commitWrite(2);
    uint32_t len = 0;
    ASSERT_TRUE(buf.getUint32BE(len));
    ASSERT_EQ(len, 9u);
    EXPECT_EQ(buf.peek(len).substr(4), "pkt!!");
    buf.moveHeader(len);
    EXPECT_TRUE(buf.empty());
    // Unused space is returned: no empty chunk lingers.
    buf.getWriteSpace(100);
    buf.commitWrite(0);
    EXPECT_EQ(buf.getChunkCount(), 0u);
}

TEST(TC_NetWorkBuffer, ReceiveSpaceLargerThanBlock) {
    TC_NetWorkBuffer buf;
    buf.addBuffer(std::string_view("x"));
    auto [p, n] = buf.getWriteSpace(TC_NetWorkBuffer::kBlockSize * 2);
    EXPECT_GE(n, TC_NetWorkBuffer::kBlockSize * 2);
    std::memset(p, 'y', n);
    buf.commitWrite(n + 100);  // over-commit is clamped
    EXPECT_EQ(buf.getBufferLength(), 1 + n);
}

TEST(TC_NetWorkBuffer, TakeFrontAcrossChunksAndBeyondLength) {
    TC_NetWorkBuffer buf;
    buf.addBuffer(std::make_shared<const std::string>("abc"));
    buf.addBuffer(std::make_shared<const std::string>("def"));
    EXPECT_EQ(buf.takeFront(4), "abcd");
    EXPECT_EQ(buf.takeFront(100), "ef");
    EXPECT_TRUE(buf.empty());
    EXPECT_EQ(buf.getChunkCount(), 0u);
}

TEST(TC_NetWorkBuffer, MoveHeaderBeyondLengthEmpties) {
    TC_NetWorkBuffer buf;
    buf.addBuffer(std::string(3000, 'z'));
    buf.addBuffer(std::string_view("tail"));
    buf.moveHeader(1u << 30);
    EXPECT_TRUE(buf.empty());
    EXPECT_EQ(buf.getChunkCount(), 0u);
    buf.addBuffer(std::string_view("again"));
    EXPECT_EQ(buf.getBuffersString(), "again");
}

TEST(TC_NetWorkBuffer, ManyRandomOperationsKeepTheStream) {
    // A model check: the buffer always equals a plain string fed the same operations.
    TC_NetWorkBuffer buf;
    std::string model;
    uint32_t seed = 12345;
    auto next = [&] { return seed = seed * 1103515245u + 12345u, (seed >> 8) & 0xffff; };
    for (int i = 0; i < 2000; ++i) {
        uint32_t r = next();
        size_t len = next() % 3000;
        std::string data(len, static_cast<char>('a' + i % 26));
        switch (r % 6) {
            case 0:
                buf.addBuffer(std::string_view(data));
                model += data;
                break;
            case 1:
                buf.addBuffer(std::string(data));
                model += data;
                break;
            case 2:
                buf.addBuffer(std::make_shared<const std::string>(data));
                model += data;
                break;
            case 3: {
                size_t n = std::min(len, model.size());
                buf.moveHeader(n);
                model.erase(0, n);
                break;
            }
            case 4: {
                size_t n = std::min(len, model.size());
                ASSERT_EQ(buf.peek(n), model.substr(0, n));
                break;
            }
            case 5: {
                auto [p, cap] = buf.getWriteSpace(len + 1);
                size_t n = std::min(cap, len);
                std::memcpy(p, data.data(), n);
                buf.commitWrite(n);
                model.append(data, 0, n);
                break;
            }
        }
        ASSERT_EQ(buf.getBufferLength(), model.size());
    }
    EXPECT_EQ(buf.getBuffersString(), model);
}
