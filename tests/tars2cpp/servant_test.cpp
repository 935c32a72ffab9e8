// The servants tars2cpp generates (idl/servant/Servants.tars and the interop
// IDL of tests/vectors), driven in-process through onDispatch() with a Current
// built as the server's handle builds one: the bytes of the results against
// the node implementation's golden vectors, every method in every request
// version, and the errors.
#include "ServantImps.h"
#include "ServantTestSupport.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace tars2cpp::test {
namespace {

using Bytes = std::vector<char>;
using SimpleAttributes = std::map<std::string, Bytes>;
using ComplexAttributes = std::map<std::string, std::map<std::string, Bytes>>;

template <typename Map>
Map decodeAttributes(const Bytes& bytes) {
    tars::TarsInputStream<tars::BufferReader> is;
    is.setBuffer(bytes);
    Map map;
    is.read(map, 0, true);
    return map;
}

// --- node's golden vectors (tests/vectors/golden.json) ---------------------------

TEST(GeneratedServant, TarsEchoAnswersNodesExactBytes) {
    InteropImp servant;
    const Bytes args = bytesFromHex(goldenField("TARS v1 request echo(\"hello\") id=1 timeout=3000", "sBuffer_hex"));
    const Bytes response = dispatch(servant, makeCurrent(tars::TARSVERSION, "echo", args));
    EXPECT_EQ(toHex(response), goldenField("TARS v1 response to echo: return \"hello\"", "sBuffer_hex"));
}

TEST(GeneratedServant, TarsAddAnswersNodesExactBytes) {
    InteropImp servant;
    const Bytes args = bytesFromHex(goldenField("TARS v1 request add(1,2) id=2 timeout=3000", "sBuffer_hex"));
    const Bytes response = dispatch(servant, makeCurrent(tars::TARSVERSION, "add", args));
    EXPECT_EQ(toHex(response), goldenField("TARS v1 response to add: return 3", "sBuffer_hex"));
}

// Node writes optional fields at their default; we leave them out (docs/codec.md):
// the bytes differ, the decoded values must not.
TEST(GeneratedServant, TarsRoundTripAnswersWhatNodeAnswers) {
    InteropImp servant;
    const Bytes args =
        bytesFromHex(goldenField("TARS v1 request roundTrip(Inner-free defaults AllTypes) id=3", "sBuffer_hex"));
    const Bytes ours = dispatch(servant, makeCurrent(tars::TARSVERSION, "roundTrip", args));
    const Bytes node =
        bytesFromHex(goldenField("TARS v1 response roundTrip: return 0, out rsp (tag 2) = defaults", "sBuffer_hex"));

    const Result ourResult(tars::TARSVERSION, ours);
    const Result nodeResult(tars::TARSVERSION, node);
    EXPECT_EQ(ourResult.get<tars::Int32>("", 0), nodeResult.get<tars::Int32>("", 0));
    EXPECT_EQ(ourResult.get<::Test::AllTypes>("rsp", 2), nodeResult.get<::Test::AllTypes>("rsp", 2));
    EXPECT_EQ(ourResult.size(), 2u);
}

TEST(GeneratedServant, TarsRoundTripOfAFullStructIsExact) {
    ::Test::AllTypes all;
    all.b = true;
    all.by = -3;
    all.l = -(1LL << 50);
    all.f = 1.5f;
    all.s = "text";
    all.bin = {'\0', '\xff', 'a'};
    all.vs = {"x", ""};
    all.msi = {{"k", -1}};
    all.inner.id = 9;
    all.vinner.resize(2);
    all.color = ::Test::BLUE;
    all.tag15 = "t";
    all.vi = {1, 2};
    InteropImp servant;
    const Bytes ours = dispatch(
        servant, makeCurrent(tars::TARSVERSION, "roundTrip", Arguments(tars::TARSVERSION).add("req", 1, all).bytes()));

    tars::TarsOutputStream<tars::BufferWriterVector> expected;
    expected.write(tars::Int32(2 + 3 + 1), 0);  // bin + vs + msi sizes
    expected.write(all, 2);
    EXPECT_EQ(toHex(ours), toHex(expected.getByteBuffer()));
}

// Node writes the result under "" only; we also write "tars_ret", as TARS C++ does.
void expectTupLikeNode(short version, const std::string& func, const std::string& requestName,
                       const std::string& responseName) {
    InteropImp servant;
    const Bytes args = bytesFromHex(goldenField(requestName, "sBuffer_hex"));
    const Bytes ours = dispatch(servant, makeCurrent(version, func, args));
    const Bytes node = bytesFromHex(goldenField(responseName, "sBuffer_hex"));
    if (version == tars::TUPVERSION) {
        SimpleAttributes expected = decodeAttributes<SimpleAttributes>(node);
        ASSERT_EQ(expected.count(""), 1u);
        expected["tars_ret"] = expected[""];
        EXPECT_EQ(decodeAttributes<SimpleAttributes>(ours), expected);
    } else {
        ComplexAttributes expected = decodeAttributes<ComplexAttributes>(node);
        ASSERT_EQ(expected.count(""), 1u);
        expected["tars_ret"] = expected[""];
        EXPECT_EQ(decodeAttributes<ComplexAttributes>(ours), expected);
    }
}

TEST(GeneratedServant, TupEchoAnswersWhatNodeAnswersPlusTarsRet) {
    expectTupLikeNode(tars::TUPVERSION, "echo", "TUP v3 request echo(\"hello\") id=1",
                      "TUP v3 response echo: {\"\": \"hello\"}");
}

TEST(GeneratedServant, TupAddAnswersWhatNodeAnswersPlusTarsRet) {
    expectTupLikeNode(tars::TUPVERSION, "add", "TUP v3 request add(1,2) id=2", "TUP v3 response add: {\"\": 3}");
}

TEST(GeneratedServant, TupComplexEchoAnswersWhatNodeAnswersPlusTarsRet) {
    expectTupLikeNode(tars::TUP_VERSION_COMPLEX, "echo", "TUP v2 (complex) request echo(\"hello\") id=1",
                      "TUP v2 response echo");
}

TEST(GeneratedServant, MethodsSeeTheRequestThroughCurrent) {
    InteropImp servant;
    const Bytes args =
        bytesFromHex(goldenField("TARS v1 request getContext(\"k1\") with context {k1:v1} id=6", "sBuffer_hex"));
    const Bytes response = dispatch(servant, makeCurrent(tars::TARSVERSION, "getContext", args, {{"k1", "v1"}}));
    EXPECT_EQ(toHex(response), "06027631");  // "v1" at tag 0, as node answers
}

TEST(GeneratedServant, JsonAnswersAnObjectWithTarsRetAndOuts) {
    InteropImp servant;
    const std::string request = R"({"a":1,"b":2})";
    const Bytes response =
        dispatch(servant, makeCurrent(tars::JSONVERSION, "add", Bytes(request.begin(), request.end())));
    EXPECT_EQ(std::string(response.begin(), response.end()), R"({"tars_ret":3})");

    AwkwardImp awkward;
    const std::string text = R"({"_version":5})";
    const Bytes outs = dispatch(awkward, makeCurrent(tars::JSONVERSION, "_version", Bytes(text.begin(), text.end())));
    EXPECT_EQ(std::string(outs.begin(), outs.end()), R"({"_sResponseBuffer":10,"_methods":15})");
}

// --- every method of Shop.Catalog in every version --------------------------------

class EveryVersion : public ::testing::TestWithParam<short> {
protected:
    Result call(tars::Servant& servant, const std::string& func, const Arguments& args) {
        return Result(GetParam(), dispatch(servant, makeCurrent(GetParam(), func, args.bytes())));
    }
    Arguments args() const { return Arguments(GetParam()); }
};

Shop::Item item(const std::string& name, tars::Int64 price) {
    Shop::Item value;
    value.name = name;
    value.price = price;
    value.tags = {name + "-tag"};
    return value;
}

TEST_P(EveryVersion, VoidMethodWithoutParameters) {
    CatalogImp servant;
    const Result result = call(servant, "ping", args());
    EXPECT_EQ(servant.pings, 1);
    EXPECT_EQ(result.size(), 0u);
}

TEST_P(EveryVersion, MethodWithoutParametersReturnsItsValue) {
    CatalogImp servant;
    const Result result = call(servant, "count", args());
    EXPECT_EQ(result.get<tars::Int32>("", 0), 42);
    EXPECT_EQ(result.size(), 1u);
}

TEST_P(EveryVersion, RoutekeyParameterAndStructResult) {
    CatalogImp servant;
    const Result result = call(servant, "find", args().add("name", 1, std::string("apple")));
    const auto found = result.get<Shop::Item>("", 0);
    EXPECT_EQ(found.name, "apple");
    EXPECT_EQ(found.price, 1LL << 40);
    EXPECT_EQ(found.tags, (std::vector<std::string>{"fresh", ""}));
    EXPECT_EQ(found.status, Shop::BLOCKED);
    EXPECT_TRUE(result.get<tars::Bool>("found", 2));
}

TEST_P(EveryVersion, ContainersOfStructsInAndOut) {
    CatalogImp servant;
    const std::vector<Shop::Item> items = {item("a", 5), item("b", 1LL << 33)};
    const std::map<std::string, tars::Int64> extras = {{"tax", -2}, {"tip", 9000000000LL}};
    const Result result = call(servant, "total", args().add("items", 1, items).add("extras", 2, extras));
    EXPECT_EQ(result.get<tars::Int64>("", 0), 2);
    const auto byName = result.get<std::map<std::string, Shop::Item>>("byName", 3);
    ASSERT_EQ(byName.size(), 2u);
    EXPECT_EQ(byName.at("b"), items[1]);
    EXPECT_EQ(result.get<tars::Int64>("sum", 4), 5 + (1LL << 33) - 2 + 9000000000LL);
}

TEST_P(EveryVersion, EnumsAndEveryScalarType) {
    CatalogImp servant;
    const Result result = call(servant, "check",
                               args()
                                   .add("status", 1, Shop::BLOCKED)
                                   .add("level", 2, tars::Char(-5))
                                   .add("small", 3, tars::Short(-30000))
                                   .add("big", 4, tars::UInt32(4000000000u))
                                   .add("ratio", 5, tars::Float(0.5f))
                                   .add("precise", 6, tars::Double(0.1)));
    EXPECT_EQ(result.get<Shop::Status>("", 0), Shop::BLOCKED);
    EXPECT_EQ(result.get<Shop::Status>("previous", 7), Shop::BLOCKED);
    EXPECT_EQ(servant.seenLevel, -5);
    EXPECT_EQ(servant.seenSmall, -30000);
    EXPECT_EQ(servant.seenBig, 4000000000u);
    EXPECT_EQ(servant.seenRatio, 0.5f);
    EXPECT_EQ(servant.seenPrecise, 0.1);
    EXPECT_EQ(servant.seenPrevious, Shop::ACTIVE);  // not sent: its default
}

TEST_P(EveryVersion, OutParametersSentByTheClientReachTheMethod) {
    CatalogImp servant;
    call(servant, "check",
         args()
             .add("status", 1, Shop::ACTIVE)
             .add("level", 2, tars::Char(0))
             .add("small", 3, tars::Short(0))
             .add("big", 4, tars::UInt32(0))
             .add("ratio", 5, tars::Float(0))
             .add("precise", 6, tars::Double(0))
             .add("previous", 7, Shop::BLOCKED));
    EXPECT_EQ(servant.seenPrevious, Shop::BLOCKED);
}

TEST_P(EveryVersion, ByteVectorsAndUnsignedByte) {
    CatalogImp servant;
    const std::vector<tars::Char> data = {'\xff', '\0', 'z'};
    const Result result = call(servant, "digest", args().add("data", 1, data));
    EXPECT_EQ(result.get<std::vector<tars::Char>>("", 0), (std::vector<tars::Char>{'z', '\0', '\xff'}));
    EXPECT_EQ(result.get<std::vector<tars::Char>>("copy", 2), data);
    EXPECT_EQ(result.get<tars::UInt8>("first", 3), 255);
}

TEST_P(EveryVersion, VoidMethodsWithOutParameters) {
    CatalogImp servant;
    call(servant, "store", args().add("item", 1, item("x", 1)));
    const Result stored = call(servant, "store", args().add("item", 1, item("y", 2)));
    EXPECT_FALSE(stored.has("", 0));
    EXPECT_EQ(stored.get<std::vector<Shop::Item>>("all", 2), (std::vector<Shop::Item>{item("x", 1), item("y", 2)}));

    const Result cleared = call(servant, "clear", args());
    EXPECT_EQ(cleared.get<tars::Int32>("removed", 1), 2);
    EXPECT_EQ(cleared.size(), 1u);
}

TEST_P(EveryVersion, ParametersNamedLikeGeneratedLocals) {
    AwkwardImp servant;
    const Result current = call(servant, "current", args().add("current", 1, tars::Int32(41)));
    EXPECT_EQ(current.get<tars::Int32>("", 0), 42);
    EXPECT_EQ(current.get<std::string>("_current", 2), "current");

    const Result attr = call(servant, "attr",
                             args()
                                 .add("attr", 1, std::string("a"))
                                 .add("_attr", 2, std::string("b"))
                                 .add("_os", 3, std::string("c"))
                                 .add("_is", 4, std::string("d"))
                                 .add("_j", 5, std::string("e")));
    EXPECT_EQ(attr.get<std::string>("", 0), "abcde");
    EXPECT_EQ(attr.get<std::string>("_ret", 6), "out");

    const Result version = call(servant, "_version", args().add("_version", 1, tars::Int64(5)));
    EXPECT_EQ(version.get<tars::Int64>("_sResponseBuffer", 2), 10);
    EXPECT_EQ(version.get<tars::Int64>("_methods", 3), 15);

    const Result tars = call(servant, "tars", args().add("tars", 1, tars::Int64(3)).add("std", 2, tars::Int64(4)));
    EXPECT_EQ(tars.get<tars::Int64>("", 0), 12);
    EXPECT_EQ(tars.get<tars::Int64>("_buffer", 3), 3);
    EXPECT_EQ(tars.get<tars::Int64>("_text", 4), 4);
    EXPECT_EQ(tars.get<tars::Int64>("_data", 5), 7);

    EXPECT_EQ(call(servant, "_encodeResult_current", args()).get<tars::Int32>("", 0), 7);
}

TEST_P(EveryVersion, InterfaceOfAnotherModule) {
    ControlImp servant;
    const Result result =
        call(servant, "setStatus", args().add("user", 1, std::string("u")).add("status", 2, Shop::BLOCKED));
    EXPECT_EQ(result.get<Shop::Status>("", 0), Shop::ACTIVE);
    EXPECT_EQ(servant.users.at("u"), Shop::BLOCKED);
    using Items = std::map<tars::Int32, Shop::Item>;
    EXPECT_TRUE(call(servant, "nothing", args()).get<Items>("", 0).empty());
}

TEST_P(EveryVersion, UnknownFunctionAnswersNoFuncErr) {
    CatalogImp catalog;
    EmptyImp empty;
    for (tars::Servant* servant : {static_cast<tars::Servant*>(&catalog), static_cast<tars::Servant*>(&empty)}) {
        for (const std::string func : {"noSuchMethod", "", "Ping", "pin", "pingg", "zzz", "async_response_ping"}) {
            Bytes response = {'k'};
            EXPECT_EQ(servant->onDispatch(makeCurrent(GetParam(), func, args().bytes()), response),
                      tars::TARSSERVERNOFUNCERR)
                << func;
            EXPECT_EQ(response, Bytes{'k'}) << "the response buffer was touched";
        }
    }
    EXPECT_EQ(catalog.pings, 0);
}

TEST_P(EveryVersion, MissingRequiredArgumentIsADecodeError) {
    CatalogImp servant;
    Bytes response;
    EXPECT_THROW(servant.onDispatch(makeCurrent(GetParam(), "find", args().bytes()), response),
                 tars::TarsDecodeException);
}

TEST_P(EveryVersion, ArgumentOfTheWrongTypeIsADecodeError) {
    CatalogImp servant;
    Bytes response;
    EXPECT_THROW(
        servant.onDispatch(makeCurrent(GetParam(), "find", args().add("name", 1, item("x", 1)).bytes()), response),
        tars::TarsDecodeException);
}

TEST_P(EveryVersion, NoResponseWantedLeavesTheBufferEmpty) {
    CatalogImp servant;
    auto current = makeCurrent(GetParam(), "count", args().bytes());
    current->setResponse(false);
    Bytes response;
    EXPECT_EQ(servant.onDispatch(current, response), tars::TARSSERVERSUCCESS);
    EXPECT_TRUE(response.empty());
}

INSTANTIATE_TEST_SUITE_P(Versions, EveryVersion,
                         ::testing::Values(tars::TARSVERSION, tars::TUP_VERSION_COMPLEX, tars::TUPVERSION,
                                           tars::JSONVERSION),
                         versionName);

// --- errors ---------------------------------------------------------------------

TEST(GeneratedServant, UndecodableArgumentsThrowDecodeExceptions) {
    CatalogImp servant;
    const std::string notJson = "{\"name\": ";
    const std::string notObject = "[\"apple\"]";
    const std::vector<std::pair<short, Bytes>> requests = {
        {tars::TARSVERSION, {'\x16', '\x05', 'a'}},  // string cut short
        {tars::TARSVERSION, {'\x1a'}},               // struct without end
        {tars::TUPVERSION, {'\x16', '\x01', 'x'}},   // not an attribute map
        {tars::TUP_VERSION_COMPLEX, Arguments(tars::TUPVERSION).add("name", 1, std::string("a")).bytes()},
        {tars::JSONVERSION, Bytes(notJson.begin(), notJson.end())},
        {tars::JSONVERSION, Bytes(notObject.begin(), notObject.end())},
        {tars::JSONVERSION, Bytes()},
    };
    for (const auto& [version, bytes] : requests) {
        Bytes response;
        EXPECT_THROW(servant.onDispatch(makeCurrent(version, "find", bytes), response), tars::TarsDecodeException)
            << "version " << version << ": " << toHex(bytes);
    }
}

TEST(GeneratedServant, UnsupportedVersionThrowsBeforeTheMethodRuns) {
    CatalogImp servant;
    for (const short version : {0, 4, 6, -1}) {
        Bytes response;
        try {
            servant.onDispatch(makeCurrent(version, "ping", Bytes()), response);
            ADD_FAILURE() << "version " << version << " was accepted";
        } catch (const tars::TarsDecodeException& e) {
            EXPECT_EQ(std::string(e.what()), "unsupported request version " + std::to_string(version));
        }
    }
    EXPECT_EQ(servant.pings, 0);
}

}  // namespace
}  // namespace tars2cpp::test
