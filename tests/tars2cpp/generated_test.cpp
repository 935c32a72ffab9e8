// The C++ that tars2cpp generates from idl/Rich.tars, used as a TARS user
// would: defaults, binary and JSON round trips, resetDefautlt, operators,
// display, etos/stoe and consts. The build generated the headers.
#include "Rich.h"

#include <gtest/gtest.h>

#include <limits>
#include <sstream>
#include <string>

// Defined in generated_second_unit.cpp, which includes the same headers.
std::string secondUnitGreeting();
Demo::Everything secondUnitEverything();

namespace {

template <typename T>
std::string encode(const T& value) {
    tars::TarsOutputStream<tars::BufferWriterString> os;
    value.writeTo(os);
    return os.getByteBuffer();
}

template <typename T>
T decode(const std::string& bytes) {
    tars::TarsInputStream<tars::BufferReader> is;
    is.setBuffer(bytes.data(), bytes.size());
    T value;
    value.readFrom(is);
    return value;
}

std::string hex(const std::string& bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string text;
    for (unsigned char c : bytes) {
        text += digits[c >> 4];
        text += digits[c & 15];
    }
    return text;
}

// An Everything with every member away from its default.
Demo::Everything filled() {
    Demo::Everything e;
    e.b = true;
    e.bt = false;
    e.c = -100;
    e.ub = 255;
    e.s = 32767;
    e.us = 65535;
    e.i = -2147483647 - 1;
    e.ui = 4294967295u;
    e.l = std::numeric_limits<tars::Int64>::min();
    e.f = -0.125f;
    e.d = 1e300;
    e.str = std::string("with\0nul", 8);
    e.color = Demo::BLACK;
    e.level = Common::LOW;
    e.unit = Units::GRAM;
    e.inner.name = "inner";
    e.inner.count = 0;
    e.point.x = 3;
    e.point.y = 4;
    e.bytes = {'\0', '\x7f', '\x80', '\xff'};
    e.strings = {"", "a", std::string(300, 'x')};
    Demo::Inner one;
    one.name = "one";
    e.nested["k"] = {one, Demo::Inner()};
    e.mm[-1]["x"] = 1;
    e.byInner[one] = Demo::GREEN;
    e.vv = {{}, {1, 2, 3}};
    e.requiredColor = Demo::WHITE;
    e.farTag = 0;
    e.lastTag = "last";
    e.bf = true;
    e.lmax = 0;
    e.colorByNumber = static_cast<Demo::Color>(12345);  // not an enumerator: still carried
    e.qualified = Demo::RED;
    return e;
}

TEST(Tars2CppGenerated, MembersStartAtTheirDefaults) {
    const Demo::Everything e;
    EXPECT_FALSE(e.b);
    EXPECT_TRUE(e.bt);
    EXPECT_EQ(e.c, -5);
    EXPECT_EQ(e.ub, 200);
    EXPECT_EQ(e.s, -300);
    EXPECT_EQ(e.us, 60000);
    EXPECT_EQ(e.i, 16);
    EXPECT_EQ(e.ui, 4000000000u);
    EXPECT_EQ(e.l, 1234567890123);
    EXPECT_EQ(e.f, 1.5f);
    EXPECT_EQ(e.d, -2.25e10);
    EXPECT_EQ(e.str, "dflt");
    EXPECT_EQ(e.color, Demo::BLUE);
    EXPECT_EQ(e.level, Common::HIGH);
    EXPECT_EQ(e.unit, Units::SECOND);
    EXPECT_EQ(e.inner.count, 3);
    EXPECT_EQ(e.point.y, -1);
    EXPECT_TRUE(e.bytes.empty());
    EXPECT_TRUE(e.nested.empty());
    EXPECT_EQ(e.requiredColor, Demo::RED);  // no default: the first enumerator
    EXPECT_EQ(e.farTag, -1);
    EXPECT_FALSE(e.bf);
    EXPECT_EQ(e.lmax, std::numeric_limits<tars::Int64>::max());
    EXPECT_EQ(e.colorByNumber, Demo::GREEN);
    EXPECT_EQ(e.qualified, Demo::WHITE);

    const Other::UsesTest uses;
    EXPECT_EQ(uses.c, Demo::GREEN);
    const Demo::Later later;
    EXPECT_EQ(later.c, Demo::WHITE);
}

TEST(Tars2CppGenerated, EnumValuesExplicitImplicitAndNegative) {
    EXPECT_EQ(Demo::RED, 0);
    EXPECT_EQ(Demo::GREEN, 5);
    EXPECT_EQ(Demo::BLUE, 6);
    EXPECT_EQ(Demo::BLACK, -7);
    EXPECT_EQ(Demo::WHITE, -6);
    EXPECT_EQ(Common::MID, 2);
    EXPECT_EQ(Units::SECOND, -2);
    EXPECT_EQ(Units::GRAM, -1);
}

TEST(Tars2CppGenerated, DefaultStructEncodesOnlyRequireMembers) {
    // b (tag 0, false: ZERO), requiredColor (tag 23, RED: ZERO), lastTag (tag 255, "").
    EXPECT_EQ(hex(encode(Demo::Everything())), "0cfc17f6ff00");
}

TEST(Tars2CppGenerated, OptionalMemberIsWrittenOnceItDiffersFromItsDefault) {
    Demo::Inner inner;
    EXPECT_EQ(hex(encode(inner)), "0600");  // name only: count == 3 is skipped
    inner.count = 4;
    EXPECT_EQ(hex(encode(inner)), "06001004");
}

TEST(Tars2CppGenerated, BinaryRoundTripOfEveryMember) {
    const Demo::Everything original = filled();
    const Demo::Everything copy = decode<Demo::Everything>(encode(original));
    EXPECT_EQ(copy, original);
    EXPECT_EQ(copy.str.size(), 8u);
    EXPECT_EQ(copy.colorByNumber, static_cast<Demo::Color>(12345));
    EXPECT_EQ(copy.l, std::numeric_limits<tars::Int64>::min());
}

TEST(Tars2CppGenerated, BinaryRoundTripAcrossModules) {
    Demo::Later later;
    later.u.all = filled();
    later.u.c = Demo::BLACK;
    later.u.inners.resize(2);
    Common::Point p;
    p.x = 1;
    later.byPoint[p] = "one";
    const Demo::Later copy = decode<Demo::Later>(encode(later));
    EXPECT_EQ(copy, later);
    EXPECT_EQ(copy.byPoint.at(p), "one");
}

TEST(Tars2CppGenerated, ReadingRestoresDefaultsOfMissingOptionalMembers) {
    Demo::Everything target = filled();
    // Decoding a default-valued struct must not keep anything of `target`.
    const std::string bytes = encode(Demo::Everything());
    tars::TarsInputStream<tars::BufferReader> is;
    is.setBuffer(bytes.data(), bytes.size());
    target.readFrom(is);
    EXPECT_EQ(target, Demo::Everything());
}

TEST(Tars2CppGenerated, MissingRequireMemberIsADecodeError) {
    const std::string bytes = encode(Demo::Empty());
    EXPECT_THROW(decode<Demo::Inner>(bytes), tars::TarsDecodeException);
}

TEST(Tars2CppGenerated, ResetDefautltRestoresEveryDefault) {
    Demo::Everything e = filled();
    ASSERT_NE(e, Demo::Everything());
    e.resetDefautlt();
    EXPECT_EQ(e, Demo::Everything());
}

TEST(Tars2CppGenerated, JsonRoundTripOfEveryMember) {
    const Demo::Everything original = filled();
    const std::string json = original.writeToJsonString();
    Demo::Everything copy;
    copy.readFromJsonString(json);
    EXPECT_EQ(copy, original) << json;
}

TEST(Tars2CppGenerated, JsonIsAnObjectKeyedByFieldNameWithEnumNamesAndExactLongs) {
    Demo::Everything e;
    e.l = 9007199254740993;  // 2^53 + 1: not exact as a double
    const tars::JsonValue json = e.writeToJson();
    ASSERT_TRUE(json.is_object());
    EXPECT_EQ(json.at("color"), "BLUE");
    EXPECT_EQ(json.at("level"), "HIGH");
    EXPECT_EQ(json.at("str"), "dflt");
    EXPECT_EQ(json.at("lmax").get<tars::Int64>(), std::numeric_limits<tars::Int64>::max());
    EXPECT_EQ(json.at("l").get<tars::Int64>(), 9007199254740993);
    EXPECT_EQ(json.at("inner").at("count"), 3);
    EXPECT_EQ(json.size(), 30u);
    EXPECT_NE(e.writeToJsonString().find("\"l\":9007199254740993"), std::string::npos);
}

TEST(Tars2CppGenerated, JsonMissingRequireMemberThrows) {
    Demo::Inner inner;
    EXPECT_THROW(inner.readFromJsonString("{\"count\": 5}"), tars::TarsDecodeException);
    EXPECT_THROW(inner.readFromJsonString("[1, 2]"), tars::TarsDecodeException);
    EXPECT_THROW(inner.readFromJsonString("{not json"), tars::TarsDecodeException);
}

TEST(Tars2CppGenerated, JsonMissingOptionalMemberKeepsItsDefault) {
    Demo::Inner inner;
    inner.count = 99;
    inner.readFromJsonString("{\"name\": \"n\"}");
    EXPECT_EQ(inner.name, "n");
    EXPECT_EQ(inner.count, 3);
}

TEST(Tars2CppGenerated, JsonEnumByNameOrNumber) {
    Other::UsesTest uses;
    uses.readFromJsonString("{\"c\": \"BLACK\"}");
    EXPECT_EQ(uses.c, Demo::BLACK);
    uses.readFromJsonString("{\"c\": 6}");
    EXPECT_EQ(uses.c, Demo::BLUE);
    EXPECT_THROW(uses.readFromJsonString("{\"c\": \"PINK\"}"), tars::TarsDecodeException);
}

TEST(Tars2CppGenerated, EmptyStructWorksEverywhere) {
    const Demo::Empty empty;
    EXPECT_EQ(encode(empty), "");
    EXPECT_EQ(decode<Demo::Empty>(""), empty);
    EXPECT_EQ(empty.writeToJsonString(), "{}");
    Demo::Empty copy;
    copy.readFromJsonString("{}");
    std::ostringstream out;
    empty.display(out);
    empty.displaySimple(out);
    EXPECT_EQ(out.str(), "");
    EXPECT_FALSE(empty != copy);
}

TEST(Tars2CppGenerated, EqualityComparesEveryMember) {
    Demo::Inner a;
    Demo::Inner b;
    EXPECT_TRUE(a == b);
    EXPECT_FALSE(a != b);
    b.count = 1;
    EXPECT_FALSE(a == b);
    EXPECT_TRUE(a != b);
}

TEST(Tars2CppGenerated, KeyOrdersByTheListedFieldsInOrder) {
    Common::Point a;
    Common::Point b;
    a.x = 1;
    a.y = 9;
    b.x = 2;
    b.y = 0;
    EXPECT_TRUE(a < b);  // x first
    EXPECT_TRUE(b > a);
    EXPECT_TRUE(a <= b);
    EXPECT_TRUE(b >= a);
    b.x = 1;
    EXPECT_TRUE(b < a);  // then y
    EXPECT_FALSE(a < a);
    EXPECT_TRUE(a <= a);

    Demo::Inner first;
    Demo::Inner second;
    first.name = "a";
    first.count = 100;
    second.name = "b";
    EXPECT_TRUE(first < second);  // only the key field counts
}

TEST(Tars2CppGenerated, DisplayShowsEveryFieldByName) {
    Demo::Inner inner;
    inner.name = "who";
    std::ostringstream full;
    inner.display(full);
    EXPECT_NE(full.str().find("name"), std::string::npos);
    EXPECT_NE(full.str().find("who"), std::string::npos);
    EXPECT_NE(full.str().find("count"), std::string::npos);

    std::ostringstream simple;
    inner.displaySimple(simple);
    EXPECT_EQ(simple.str(), "who|3");
}

TEST(Tars2CppGenerated, DisplayOfEveryType) {
    std::ostringstream out;
    filled().display(out);
    filled().displaySimple(out);
    EXPECT_NE(out.str().find("BLACK"), std::string::npos);
}

TEST(Tars2CppGenerated, EtosGivesNamesAndNumbersForUnknownValues) {
    EXPECT_EQ(etos(Demo::BLUE), "BLUE");
    EXPECT_EQ(Demo::etos(Demo::WHITE), "WHITE");
    EXPECT_EQ(etos(static_cast<Demo::Color>(99)), "99");
    EXPECT_EQ(etos(static_cast<Demo::Color>(-100)), "-100");
    EXPECT_EQ(etos(Units::SECOND), "SECOND");
}

TEST(Tars2CppGenerated, StoeAcceptsNamesAndNumbers) {
    Demo::Color color = Demo::RED;
    EXPECT_EQ(stoe("GREEN", color), 0);
    EXPECT_EQ(color, Demo::GREEN);
    EXPECT_EQ(stoe("-7", color), 0);
    EXPECT_EQ(color, Demo::BLACK);
    EXPECT_EQ(stoe("42", color), 0);
    EXPECT_EQ(color, static_cast<Demo::Color>(42));
    color = Demo::RED;
    EXPECT_EQ(stoe("PURPLE", color), -1);
    EXPECT_EQ(stoe("", color), -1);
    EXPECT_EQ(stoe("5x", color), -1);
    EXPECT_EQ(stoe("green", color), -1);
    EXPECT_EQ(stoe("99999999999", color), -1);
    EXPECT_EQ(color, Demo::RED);
}

TEST(Tars2CppGenerated, ClassNameIsModuleDotStruct) {
    EXPECT_EQ(Demo::Everything::className(), "Demo.Everything");
    EXPECT_EQ(Other::UsesTest::className(), "Other.UsesTest");
    EXPECT_EQ(Common::Point::className(), "Common.Point");
}

TEST(Tars2CppGenerated, ConstsHaveTheirValuesAndTypes) {
    static_assert(std::is_same_v<decltype(Demo::FLAG), const tars::Bool>);
    static_assert(std::is_same_v<decltype(Demo::SMALLEST), const tars::Char>);
    static_assert(std::is_same_v<decltype(Demo::UINT_MAX_VALUE), const tars::UInt32>);
    static_assert(std::is_same_v<decltype(Demo::DEFAULT_LEVEL), const Common::Level>);
    static_assert(Demo::HEX == 0x7fffffff);
    EXPECT_TRUE(Demo::FLAG);
    EXPECT_EQ(Demo::SMALLEST, -128);
    EXPECT_EQ(Demo::UBYTE_MAX, 255);
    EXPECT_EQ(Demo::SHORT_MIN, -32768);
    EXPECT_EQ(Demo::USHORT_MAX, 65535);
    EXPECT_EQ(Demo::INT_LOWEST, std::numeric_limits<tars::Int32>::min());
    EXPECT_EQ(Demo::UINT_MAX_VALUE, 4294967295u);
    EXPECT_EQ(Demo::LONG_LOWEST, std::numeric_limits<tars::Int64>::min());
    EXPECT_EQ(Demo::OCTAL, 15);
    EXPECT_EQ(Demo::QUARTER, 0.25f);
    EXPECT_EQ(Demo::SMALL, 2.5e-3);
    EXPECT_EQ(Demo::WHOLE, 3.0);
    EXPECT_EQ(Demo::GREETING, "hi \"there\"\n\ttab \\ AA");
    EXPECT_EQ(Demo::DEFAULT_LEVEL, Common::MID);
    EXPECT_EQ(Units::UNIT_SYSTEM, "SI");
}

TEST(Tars2CppGenerated, HeadersWorkInSeveralTranslationUnits) {
    EXPECT_EQ(secondUnitGreeting(), Demo::GREETING);
    Demo::Everything expected;
    expected.color = Demo::BLACK;
    EXPECT_EQ(secondUnitEverything(), expected);
}

}  // namespace
