// TUP attributes (iVersion 3 and 2) against the bytes node's implementation writes.
#include "interop.h"

#include "tup/TarsUniAttribute.h"

#include <gtest/gtest.h>

namespace {
std::vector<char> fromHex(const std::string& hex) {
    std::vector<char> out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return out;
}

std::string toHex(const std::vector<char>& bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

TEST(UniAttribute, SimpleRequestMatchesNodeBytes) {
    // golden.json "TUP v3 request echo(\"hello\") id=1", sBuffer
    const std::string node = "0800010601731d000007060568656c6c6f";
    tars::UniAttribute attributes;
    attributes.decode(fromHex(node));
    std::string s;
    attributes.get("s", s);
    EXPECT_EQ(s, "hello");

    tars::UniAttribute ours;
    ours.put("s", std::string("hello"));
    std::vector<char> encoded;
    ours.encode(encoded);
    EXPECT_EQ(toHex(encoded), node);
}

TEST(UniAttribute, SimpleRequestWithTwoArgumentsMatchesNodeBytes) {
    // "TUP v3 request add(1,2)"
    const std::string node = "0800020601611d00000200010601621d0000020002";
    tars::UniAttribute ours;
    ours.put("a", tars::Int32(1));
    ours.put("b", tars::Int32(2));
    std::vector<char> encoded;
    ours.encode(encoded);
    EXPECT_EQ(toHex(encoded), node);

    tars::UniAttribute back;
    back.decode(encoded);
    tars::Int32 a = 0, b = 0;
    back.get("a", a);
    back.get("b", b);
    EXPECT_EQ(a + b, 3);
}

TEST(UniAttribute, ReturnValueUnderTheEmptyName) {
    // "TUP v3 response add: {\"\": 3}"
    tars::UniAttribute ours;
    ours.put("", tars::Int32(3));
    std::vector<char> encoded;
    ours.encode(encoded);
    EXPECT_EQ(toHex(encoded), "08000106001d0000020003");
}

TEST(UniAttribute, ComplexVersionCarriesTypeNames) {
    // "TUP v2 (complex) request echo(\"hello\")"
    const std::string node = "0800010601731800010606737472696e671d000007060568656c6c6f";
    tars::UniAttribute ours;
    ours.setVersion(tars::TUP_VERSION_COMPLEX);
    ours.put("s", std::string("hello"));
    std::vector<char> encoded;
    ours.encode(encoded);
    EXPECT_EQ(toHex(encoded), node);

    tars::UniAttribute back;
    back.setVersion(tars::TUP_VERSION_COMPLEX);
    back.decode(fromHex(node));
    std::string s;
    back.get("s", s);
    EXPECT_EQ(s, "hello");
}

TEST(UniAttribute, StructsAndDefaults) {
    ::Test::AllTypes value;
    value.s = "x";
    value.vi = {1, 2, 3};
    tars::UniAttribute ours;
    ours.setVersion(tars::TUP_VERSION_COMPLEX);
    ours.put("req", value);
    std::vector<char> encoded;
    ours.encode(encoded);

    tars::UniAttribute back;
    back.setVersion(tars::TUP_VERSION_COMPLEX);
    back.decode(encoded);
    ::Test::AllTypes read;
    back.get("req", read);
    EXPECT_EQ(read, value);

    tars::Int32 missing = 0;
    EXPECT_THROW(back.get("nope", missing), tars::TarsDecodeRequireNotExist);
    back.getByDefault("nope", missing, tars::Int32(7));
    EXPECT_EQ(missing, 7);
}

TEST(UniAttribute, WrongTypeNamesTheAttribute) {
    tars::UniAttribute ours;
    ours.put("s", std::string("text"));
    tars::Int32 number = 0;
    try {
        ours.get("s", number);
        FAIL() << "expected an exception";
    } catch (const tars::TarsDecodeMismatch& e) {
        EXPECT_NE(std::string(e.what()).find("'s'"), std::string::npos) << e.what();
    }
}
}  // namespace
