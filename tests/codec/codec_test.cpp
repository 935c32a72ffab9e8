// The binary codec: widths, tags, unknown fields, versioning, and what it does
// with hostile input.
#include "versions.h"

#include "allocation_tracker.h"
#include "tup/Tars.h"

#include <gtest/gtest.h>

#include <random>

namespace {
using Output = tars::TarsOutputStream<tars::BufferWriterString>;
using Input = tars::TarsInputStream<tars::BufferReader>;

std::string toHex(const std::string& bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

std::string fromHex(const std::string& hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return out;
}

template <typename T>
std::string encodeAt(const T& value, std::uint8_t tag) {
    Output os;
    os.write(value, tag);
    return os.getByteBuffer();
}

template <typename T>
T decodeAt(const std::string& bytes, std::uint8_t tag) {
    Input is;
    is.setBuffer(bytes.data(), bytes.size());
    T value{};
    is.read(value, tag, true);
    return value;
}

template <typename S>
std::string encodeStruct(const S& value) {
    Output os;
    value.writeTo(os);
    return os.getByteBuffer();
}

template <typename S>
S decodeStruct(const std::string& bytes) {
    Input is;
    is.setBuffer(bytes.data(), bytes.size());
    S value;
    value.readFrom(is);
    return value;
}

CodecTest::RecordV2 fullRecord() {
    CodecTest::RecordV2 r;
    r.id = 77;
    r.name = "seventy-seven";
    r.extraStruct.x = 1;
    r.extraStruct.y = -1;
    r.extraList = {"a", std::string(300, 'b'), ""};
    r.extraMap["p"].x = 5;
    r.extraMap["q"].y = 6;
    r.extraBytes = {0, 1, 2, '\xff'};
    r.extraDouble = 2.5;
    r.extraNested = {{1, 2}, {}, {70000}};
    r.extraLevel = CodecTest::LOW;
    r.tail = 1LL << 40;
    return r;
}

TEST(Codec, IntegersUseTheNarrowestWidth) {
    EXPECT_EQ(toHex(encodeAt(tars::Int32(0), 0)), "0c");
    EXPECT_EQ(toHex(encodeAt(tars::Int32(127), 0)), "007f");
    EXPECT_EQ(toHex(encodeAt(tars::Int32(128), 0)), "010080");
    EXPECT_EQ(toHex(encodeAt(tars::Int32(-129), 0)), "01ff7f");
    EXPECT_EQ(toHex(encodeAt(tars::Int32(32768), 0)), "0200008000");
    EXPECT_EQ(toHex(encodeAt(tars::Int64(2147483648LL), 0)), "030000000080000000");
    EXPECT_EQ(toHex(encodeAt(tars::Int64(-1), 0)), "00ff");
    EXPECT_EQ(toHex(encodeAt(true, 1)), "1001");
    EXPECT_EQ(toHex(encodeAt(false, 1)), "1c");
}

TEST(Codec, UnsignedTypesTravelAsTheNextWiderSignedType) {
    EXPECT_EQ(toHex(encodeAt(tars::UInt8(200), 0)), "0100c8");
    EXPECT_EQ(toHex(encodeAt(tars::UInt16(65535), 0)), "020000ffff");
    EXPECT_EQ(toHex(encodeAt(tars::UInt32(4294967295u), 0)), "0300000000ffffffff");
    EXPECT_EQ(decodeAt<tars::UInt8>(encodeAt(tars::UInt8(200), 3), 3), 200);
    EXPECT_EQ(decodeAt<tars::UInt16>(encodeAt(tars::UInt16(65535), 3), 3), 65535);
    EXPECT_EQ(decodeAt<tars::UInt32>(encodeAt(tars::UInt32(4294967295u), 3), 3), 4294967295u);
    // A peer that did not widen: the same bits read back as the unsigned value.
    EXPECT_EQ(decodeAt<tars::UInt8>(encodeAt(tars::Char(-56), 0), 0), 200);
}

TEST(Codec, WiderFieldReadsNarrowerEncoding) {
    EXPECT_EQ(decodeAt<tars::Int64>(encodeAt(tars::Char(5), 2), 2), 5);
    EXPECT_EQ(decodeAt<tars::Int64>(encodeAt(tars::Short(-300), 2), 2), -300);
    EXPECT_EQ(decodeAt<tars::Int32>(encodeAt(tars::Short(1000), 2), 2), 1000);
    EXPECT_EQ(decodeAt<tars::Double>(encodeAt(tars::Float(1.5f), 2), 2), 1.5);

    CodecTest::Narrow narrow;
    narrow.a = -3;
    narrow.b = 1000;
    narrow.c = -70000;
    const auto wide = decodeStruct<CodecTest::Wide>(encodeStruct(narrow));
    EXPECT_EQ(wide.a, -3);
    EXPECT_EQ(wide.b, 1000);
    EXPECT_EQ(wide.c, -70000);
}

TEST(Codec, NarrowerFieldRejectsAValueThatDoesNotFit) {
    CodecTest::Wide wide;
    wide.a = 1;
    wide.b = 1;
    wide.c = 1LL << 40;
    EXPECT_THROW(decodeStruct<CodecTest::Narrow>(encodeStruct(wide)), tars::TarsDecodeInvalidValue);
    wide.c = 1;
    wide.b = 40000;
    EXPECT_THROW(decodeStruct<CodecTest::Narrow>(encodeStruct(wide)), tars::TarsDecodeInvalidValue);
    wide.b = 1;
    EXPECT_NO_THROW(decodeStruct<CodecTest::Narrow>(encodeStruct(wide)));
}

TEST(Codec, EveryTagFrom0To255RoundTrips) {
    for (int tag = 0; tag <= 255; ++tag) {
        const auto t = static_cast<std::uint8_t>(tag);
        const std::string bytes = encodeAt(tars::Int32(tag + 1000), t);
        EXPECT_EQ(bytes.size(), (tag < 15 ? 1u : 2u) + 2u) << "tag " << tag;
        EXPECT_EQ(decodeAt<tars::Int32>(bytes, t), tag + 1000) << "tag " << tag;
    }
}

TEST(Codec, NumbersOfEveryTypeRoundTrip) {
    CodecTest::Numbers n;
    n.b = true;
    n.by = -128;
    n.uby = 255;
    n.sh = -32768;
    n.ush = 65535;
    n.i = -2147483647 - 1;
    n.ui = 4294967295u;
    n.l = std::numeric_limits<tars::Int64>::min();
    n.f = -0.0f;
    n.d = 1e300;
    const auto back = decodeStruct<CodecTest::Numbers>(encodeStruct(n));
    EXPECT_EQ(back, n);
    EXPECT_TRUE(std::signbit(back.f)) << "-0.0 keeps its sign";
}

TEST(Codec, PositiveZeroFloatIsAZeroHeadAndNegativeZeroIsNot) {
    EXPECT_EQ(toHex(encodeAt(tars::Double(0.0), 0)), "0c");
    EXPECT_EQ(toHex(encodeAt(tars::Double(-0.0), 0)), "058000000000000000");
    EXPECT_EQ(toHex(encodeAt(tars::Float(-0.0f), 0)), "0480000000");
    // The full four-byte form of +0.0 decodes too.
    EXPECT_EQ(decodeAt<tars::Float>(fromHex("0400000000"), 0), 0.0f);
}

TEST(Codec, OldReaderSkipsFieldsItDoesNotKnow) {
    const CodecTest::RecordV2 newer = fullRecord();
    const auto older = decodeStruct<CodecTest::RecordV1>(encodeStruct(newer));
    EXPECT_EQ(older.id, newer.id);
    EXPECT_EQ(older.name, newer.name);
    EXPECT_EQ(older.tail, newer.tail);

    // Also when the newer struct is nested inside a list.
    std::vector<CodecTest::RecordV2> list{newer, newer};
    const auto olderList = decodeAt<std::vector<CodecTest::RecordV1>>(encodeAt(list, 4), 4);
    ASSERT_EQ(olderList.size(), 2u);
    EXPECT_EQ(olderList[1].tail, newer.tail);
}

TEST(Codec, NewReaderGetsDefaultsForFieldsAnOldWriterDidNotSend) {
    CodecTest::RecordV1 older;
    older.id = 3;
    older.tail = 9;
    const auto newer = decodeStruct<CodecTest::RecordV2>(encodeStruct(older));
    EXPECT_EQ(newer.id, 3);
    EXPECT_EQ(newer.tail, 9);
    EXPECT_TRUE(newer.extraList.empty());
    EXPECT_EQ(newer.extraLevel, CodecTest::HIGH);
}

TEST(Codec, MissingRequireFieldThrowsNamingTheTag) {
    Output os;
    os.write(std::string("x"), 1);  // a struct body without tag 0
    try {
        decodeStruct<CodecTest::RecordV1>(os.getByteBuffer());
        FAIL() << "expected an exception";
    } catch (const tars::TarsDecodeRequireNotExist& e) {
        EXPECT_NE(std::string(e.what()).find("tag 0"), std::string::npos) << e.what();
    }
}

TEST(Codec, WrongWireTypeThrowsMismatch) {
    const std::string bytes = encodeAt(std::string("text"), 0);
    EXPECT_THROW(decodeAt<tars::Int32>(bytes, 0), tars::TarsDecodeMismatch);
    EXPECT_THROW(decodeAt<std::vector<tars::Int32>>(bytes, 0), tars::TarsDecodeMismatch);
    EXPECT_THROW((decodeAt<std::map<std::string, std::string>>(bytes, 0)), tars::TarsDecodeMismatch);
}

TEST(Codec, ByteVectorIsASimpleListAndAlsoReadsFromAList) {
    const std::vector<char> bytes{1, 2, 3};
    EXPECT_EQ(toHex(encodeAt(bytes, 0)), "0d000003010203");
    // Some encoders write vector<byte> as an ordinary list of int8.
    EXPECT_EQ((decodeAt<std::vector<char>>(fromHex("090003000100020003"), 0)), bytes);
}

TEST(Codec, WritersExposeWhatWasWritten) {
    tars::TarsOutputStream<tars::BufferWriterVector> vectorStream;
    vectorStream.write(tars::Int32(300), 1);
    const std::vector<char>& asVector = vectorStream.getByteBuffer();
    EXPECT_EQ(asVector.size(), 3u);
    EXPECT_EQ(vectorStream.getLength(), 3u);

    Input is;
    is.setBuffer(vectorStream.getBuffer(), vectorStream.getLength());
    tars::Int32 value = 0;
    is.read(value, 1);
    EXPECT_EQ(value, 300);
}

// --- hostile input -------------------------------------------------------

TEST(CodecSafety, HugeDeclaredLengthsThrowBeforeAllocating) {
    // STRING4 claiming 2^31 bytes, LIST/MAP/SIMPLE_LIST claiming 2^31-1 elements,
    // each followed by ten bytes.
    const std::string tenBytes(10, '\x01');
    const std::vector<std::string> inputs = {
        fromHex("0780000000") + tenBytes,
        fromHex("09027fffffff") + tenBytes,
        fromHex("08027fffffff") + tenBytes,
        fromHex("0d00027fffffff") + tenBytes,
    };
    tars::test::AllocationTracker tracker;
    EXPECT_THROW(decodeAt<std::string>(inputs[0], 0), tars::TarsDecodeException);
    EXPECT_THROW(decodeAt<std::vector<std::string>>(inputs[1], 0), tars::TarsDecodeException);
    EXPECT_THROW((decodeAt<std::map<std::string, std::string>>(inputs[2], 0)), tars::TarsDecodeException);
    EXPECT_THROW(decodeAt<std::vector<char>>(inputs[3], 0), tars::TarsDecodeException);
    EXPECT_LT(tracker.largest(), 4096u);
}

TEST(CodecSafety, ListAllocationIsBoundedByTheInputSize) {
    // 1000 elements claimed, 1000 zero-heads present: a valid list of 1000 empty
    // structs would be 2000 bytes, so this must fail, but allocate little.
    const std::string input = fromHex("090103e8") + std::string(1000, '\x0c');
    tars::test::AllocationTracker tracker;
    EXPECT_THROW(decodeAt<std::vector<CodecTest::RecordV2>>(input, 0), tars::TarsDecodeException);
    EXPECT_LT(tracker.largest(), 1000u * sizeof(CodecTest::RecordV2) / 4);
}

TEST(CodecSafety, NegativeSizesAreRejected) {
    EXPECT_THROW(decodeAt<std::vector<tars::Int32>>(fromHex("0900ff"), 0), tars::TarsDecodeInvalidValue);
    EXPECT_THROW((decodeAt<std::map<tars::Int32, tars::Int32>>(fromHex("0800ff"), 0)), tars::TarsDecodeInvalidValue);
    EXPECT_THROW(decodeAt<std::vector<char>>(fromHex("0d0000ff"), 0), tars::TarsDecodeInvalidValue);
}

TEST(CodecSafety, DeepNestingIsRefusedNotRecursedInto) {
    // 100000 nested struct heads inside an unknown field: skipping must stop at the bound.
    std::string deep = fromHex("0001") + "\x2a" + std::string(100000, '\x0a');
    EXPECT_THROW(decodeStruct<CodecTest::RecordV1>(deep), tars::TarsDecodeInvalidValue);

    // The same with nested lists, read as a known field.
    std::string lists;
    for (int i = 0; i < 100000; ++i) lists += fromHex("090001");
    EXPECT_THROW(decodeAt<std::vector<std::vector<tars::Int32>>>(lists, 0), tars::TarsDecodeException);
    const std::string skipped = fromHex("0001290001") + lists;
    EXPECT_THROW(decodeStruct<CodecTest::RecordV1>(skipped), tars::TarsDecodeInvalidValue);
}

TEST(CodecSafety, EveryTruncationDecodesOrThrowsADecodeException) {
    const std::string bytes = encodeStruct(fullRecord());
    for (std::size_t length = 0; length < bytes.size(); ++length) {
        const std::string prefix = bytes.substr(0, length);
        try {
            decodeStruct<CodecTest::RecordV2>(prefix);
        } catch (const tars::TarsDecodeException&) {
        }
    }
    EXPECT_EQ(decodeStruct<CodecTest::RecordV2>(bytes), fullRecord());
}

TEST(CodecSafety, RandomBytesDecodeOrThrowADecodeException) {
    std::mt19937 rng(12345);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<int> size(0, 64);
    int decoded = 0;
    for (int round = 0; round < 20000; ++round) {
        std::string input(static_cast<std::size_t>(size(rng)), '\0');
        for (char& c : input) c = static_cast<char>(byte(rng));
        try {
            decodeStruct<CodecTest::RecordV2>(input);
            ++decoded;
        } catch (const tars::TarsDecodeException&) {
        }
    }
    SUCCEED() << decoded << " random inputs happened to decode";
}

TEST(CodecSafety, BadHeadTypeIsNamed) {
    try {
        decodeStruct<CodecTest::RecordV1>(fromHex("0001") + "\x1e");
        FAIL() << "expected an exception";
    } catch (const tars::TarsDecodeInvalidValue& e) {
        EXPECT_NE(std::string(e.what()).find("head type 14"), std::string::npos) << e.what();
    }
}

}  // namespace
