// The compiler in memory: what it accepts, how includes resolve, and the
// shape of the generated header where the round-trip tests cannot see it.
#include "Compiler.h"
#include "SourceLoader.h"
#include "TestFiles.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>

namespace tars2cpp::test {
namespace {

using Files = std::map<std::string, std::string>;

CompileResult compileFiles(const Files& files, const std::vector<std::string>& inputs,
                           const std::vector<std::string>& includeDirs = {}, CompileOptions compileOptions = {},
                           GenerateOptions generateOptions = {}) {
    const MemoryLoader loader(files, includeDirs);
    return compile(loader, inputs, compileOptions, generateOptions);
}

std::string headerOf(const std::string& source, GenerateOptions options = {}) {
    const CompileResult result = compileFiles({{"a.tars", source}}, {"a.tars"}, {}, {}, options);
    EXPECT_TRUE(result.ok()) << result.errors;
    return result.ok() ? result.headers.at(0).second : std::string();
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(Tars2CppCompiler, CompilesTheRichTestFiles) {
    const FileSystemLoader loader({std::string(TARS2CPP_TEST_IDL_DIR) + "/extra"});
    const std::string dir = TARS2CPP_TEST_IDL_DIR;
    const CompileResult result = compile(loader, {dir + "/Rich.tars", dir + "/Common.tars", dir + "/extra/Units.tars"},
                                         CompileOptions(), GenerateOptions());
    ASSERT_TRUE(result.ok()) << result.errors;
    ASSERT_EQ(result.headers.size(), 3u);
    EXPECT_EQ(result.headers[0].first, "Rich.h");
    EXPECT_EQ(result.headers[1].first, "Common.h");
    EXPECT_EQ(result.headers[2].first, "Units.h");
}

TEST(Tars2CppCompiler, KeyOutAndRoutekeyStillNameFieldsAndParameters) {
    const std::string header = headerOf(
        "module M {\n"
        "  struct S { 0 optional string key; 1 optional int out; };\n"
        "  key[S, key];\n"
        "  interface I { string get(routekey string key, out int routekey); };\n"
        "};\n");
    EXPECT_TRUE(contains(header, "std::string key;")) << header;
    EXPECT_TRUE(contains(header, "tars::Int32 out = 0;")) << header;
}

TEST(Tars2CppCompiler, CompilesTheFrameworkProtocolFiles) {
    const std::string dir = TARS2CPP_PROTOCOL_DIR;
    std::vector<std::string> inputs;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.path().extension() == ".tars") inputs.push_back(entry.path().string());
    ASSERT_GE(inputs.size(), 4u);
    const FileSystemLoader loader({dir});
    CompileOptions options;
    options.withTars = true;
    const CompileResult result = compile(loader, inputs, options, GenerateOptions());
    ASSERT_TRUE(result.ok()) << result.errors;
    EXPECT_EQ(result.headers.size(), inputs.size());
}

TEST(Tars2CppCompiler, ProtocolFilesNeedWithTars) {
    const std::string dir = TARS2CPP_PROTOCOL_DIR;
    const FileSystemLoader loader({dir});
    const CompileResult result = compile(loader, {dir + "/RequestF.tars"}, CompileOptions(), GenerateOptions());
    EXPECT_FALSE(result.ok());
    EXPECT_TRUE(contains(result.errors, "module name 'tars' is reserved")) << result.errors;
}

TEST(Tars2CppCompiler, SameInputTwiceInOneProcessGivesTheSameHeader) {
    const std::string source = "module M { enum E { A }; struct S { 0 optional E e; 1 optional vector<S2> v; }; };";
    // S2 is unknown: an error path, then a good one, many times over.
    const std::string good = "module M { enum E { A }; struct S { 0 optional E e = A; }; };";
    const std::string first = headerOf(good);
    for (int i = 0; i < 200; ++i) {
        EXPECT_FALSE(compileFiles({{"a.tars", source}}, {"a.tars"}).ok());
        EXPECT_EQ(headerOf(good), first);
    }
}

TEST(Tars2CppCompiler, IncludeResolvesAgainstTheIncludingFileFirst) {
    const Files files = {{"src/a.tars", "#include \"b.tars\"\nmodule A { struct X { 0 optional B::Y y; }; };"},
                         {"src/b.tars", "module B { struct Y { 0 optional int here; }; };"},
                         {"inc/b.tars", "module B { struct Y { 0 optional int there; }; };"}};
    const CompileResult result = compileFiles(files, {"src/a.tars"}, {"inc"});
    ASSERT_TRUE(result.ok()) << result.errors;
    EXPECT_TRUE(contains(result.headers[0].second, "#include \"b.h\""));
}

TEST(Tars2CppCompiler, IncludeFallsBackToIncludeDirsInOrder) {
    const Files files = {{"src/a.tars", "#include \"b.tars\"\nmodule A { struct X { 0 optional B::Y y; }; };"},
                         {"one/b.tars", "module B { struct Y { 0 optional int first; }; };"},
                         {"two/b.tars", "this file is never read"}};
    const CompileResult result = compileFiles(files, {"src/a.tars"}, {"one", "two"});
    EXPECT_TRUE(result.ok()) << result.errors;
}

TEST(Tars2CppCompiler, IncludeWithDirectoryGivesHeaderByBaseName) {
    const Files files = {{"a.tars", "#include \"sub/dir/b.tars\"\nmodule A { struct X { 0 optional B::Y y; }; };"},
                         {"sub/dir/b.tars", "module B { struct Y { 0 optional int v; }; };"}};
    const CompileResult result = compileFiles(files, {"a.tars"});
    ASSERT_TRUE(result.ok()) << result.errors;
    EXPECT_TRUE(contains(result.headers[0].second, "#include \"b.h\"\n"));
}

TEST(Tars2CppCompiler, FileIncludedTwiceIsParsedOnceAndIncludedOnce) {
    // Diamond: a includes b and c, both include d. d's struct is defined once.
    const Files files = {{"a.tars",
                          "#include \"b.tars\"\n#include \"c.tars\"\n#include \"b.tars\"\n"
                          "module A { struct X { 0 optional D::T t; 1 optional B::U u; }; };"},
                         {"b.tars", "#include \"d.tars\"\nmodule B { struct U { 0 optional D::T t; }; };"},
                         {"c.tars", "#include \"d.tars\"\nmodule C { struct V { 0 optional D::T t; }; };"},
                         {"d.tars", "module D { struct T { 0 optional int x; }; };"}};
    const CompileResult result = compileFiles(files, {"a.tars", "d.tars"});
    ASSERT_TRUE(result.ok()) << result.errors;
    const std::string& header = result.headers[0].second;
    EXPECT_TRUE(contains(header, "#include \"b.h\"\n#include \"c.h\"\n#include \"tup") ||
                contains(header, "#include \"tup/Tars.h\"\n#include \"b.h\"\n#include \"c.h\"\n\n"))
        << header;
}

TEST(Tars2CppCompiler, VeryLongIncludeChainIsRefused) {
    Files files;
    for (int i = 0; i < 100; ++i)
        files["f" + std::to_string(i) + ".tars"] = "#include \"f" + std::to_string(i + 1) + ".tars\"\n";
    files["f100.tars"] = "module M {};\n";
    const CompileResult result = compileFiles(files, {"f0.tars"});
    EXPECT_EQ(result.errors, "f63.tars:1:10: error: #include nested too deeply (more than 64 files)\n");
}

TEST(Tars2CppCompiler, IncludedNamesAreVisibleTransitively) {
    const Files files = {{"a.tars", "#include \"b.tars\"\nmodule A { struct X { 0 optional C::Z z; }; };"},
                         {"b.tars", "#include \"c.tars\"\n"},
                         {"c.tars", "module C { struct Z { 0 optional int x; }; };"}};
    EXPECT_TRUE(compileFiles(files, {"a.tars"}).ok());
}

TEST(Tars2CppCompiler, NamesOfFilesNotIncludedAreNotVisible) {
    const Files files = {{"a.tars", "module A { struct X { 0 optional C::Z z; }; };"},
                         {"c.tars", "module C { struct Z { 0 optional int x; }; };"}};
    const CompileResult result = compileFiles(files, {"c.tars", "a.tars"});
    EXPECT_EQ(result.errors, "a.tars:1:34: error: unknown type 'C::Z'\n");
}

TEST(Tars2CppCompiler, AcceptsBothSpellingsOfNestedTemplates) {
    const std::string header = headerOf(
        "module M { struct S {\n"
        "  0 optional map<int, vector<map<string, int>>> a;\n"
        "  1 optional map<int, vector<map<string, int> > > b;\n"
        "  2 optional vector<vector<vector<byte>>>c;\n"
        "}; };");
    EXPECT_TRUE(contains(header, "std::map<tars::Int32, std::vector<std::map<std::string, tars::Int32>>> a;"));
    EXPECT_TRUE(contains(header, "std::map<tars::Int32, std::vector<std::map<std::string, tars::Int32>>> b;"));
    EXPECT_TRUE(contains(header, "std::vector<std::vector<std::vector<tars::Char>>> c;"));
}

TEST(Tars2CppCompiler, MapsEveryBuiltinType) {
    const std::string header = headerOf(
        "module M { struct S { 0 optional bool a; 1 optional byte b; 2 optional unsigned byte c;\n"
        "3 optional short d; 4 optional unsigned short e; 5 optional int f; 6 optional unsigned int g;\n"
        "7 optional long h; 8 optional float i; 9 optional double j; 10 optional string k; }; };");
    for (const char* member : {"tars::Bool a = false;", "tars::Char b = 0;", "tars::UInt8 c = 0;", "tars::Short d = 0;",
                               "tars::UInt16 e = 0;", "tars::Int32 f = 0;", "tars::UInt32 g = 0;", "tars::Int64 h = 0;",
                               "tars::Float i = 0.0f;", "tars::Double j = 0.0;", "std::string k;"})
        EXPECT_TRUE(contains(header, member)) << member;
}

TEST(Tars2CppCompiler, CommentsAnywhere) {
    EXPECT_TRUE(compileFiles({{"a.tars",
                               "// first\n/* a\n * b */ module /* x */ M // y\n{ /**/ struct/***/S{0 "
                               "optional//\nint a;};};// last"}},
                             {"a.tars"})
                    .ok());
}

TEST(Tars2CppCompiler, ByteOrderMarkIsIgnoredAndColumnsStillCountBytes) {
    EXPECT_TRUE(compileFiles({{"a.tars", "\xEF\xBB\xBFmodule M {};"}}, {"a.tars"}).ok());
    EXPECT_EQ(
        compileFiles({{"a.tars", "\xEF\xBB\xBFmodule M { x };"}}, {"a.tars"}).errors,
        "a.tars:1:15: error: unexpected identifier 'x', expected 'struct', 'interface', 'enum', 'const', 'key' or "
        "'}'\n");
}

TEST(Tars2CppCompiler, WindowsLineEndings) {
    EXPECT_TRUE(
        compileFiles({{"a.tars", "module M\r\n{\r\n  struct S { 0 optional int a; };\r\n};\r\n"}}, {"a.tars"}).ok());
}

TEST(Tars2CppCompiler, EmptyFileAndEmptyModuleCompile) {
    EXPECT_TRUE(compileFiles({{"a.tars", ""}}, {"a.tars"}).ok());
    EXPECT_TRUE(compileFiles({{"a.tars", "module M {};"}}, {"a.tars"}).ok());
}

TEST(Tars2CppCompiler, OptionalMembersAreWrittenOnlyWhenNotDefault) {
    const std::string header = headerOf(
        "module M { enum E { A, B }; struct P { 0 optional int x; };\n"
        "struct S { 0 require int r = 4; 1 optional int i = 4; 2 optional string s; 3 optional string t = \"x\";\n"
        "4 optional vector<int> v; 5 optional map<int, int> m; 6 optional P p; 7 optional bool b;\n"
        "8 optional bool bt = true; 9 optional E e = B; 10 optional E f; }; };");
    EXPECT_TRUE(contains(header, "        _os.write(r, 0);\n"));
    EXPECT_TRUE(contains(header, "if (i != 4)\n            _os.write(i, 1);"));
    EXPECT_TRUE(contains(header, "if (!s.empty())\n            _os.write(s, 2);"));
    EXPECT_TRUE(contains(header, "if (t != \"x\")\n            _os.write(t, 3);"));
    EXPECT_TRUE(contains(header, "if (!v.empty())\n            _os.write(v, 4);"));
    EXPECT_TRUE(contains(header, "if (!m.empty())\n            _os.write(m, 5);"));
    EXPECT_TRUE(contains(header, "if (p != ::M::P())\n            _os.write(p, 6);"));
    EXPECT_TRUE(contains(header, "if (b)\n            _os.write(b, 7);"));
    EXPECT_TRUE(contains(header, "if (!bt)\n            _os.write(bt, 8);"));
    EXPECT_TRUE(contains(header, "if (e != ::M::B)\n            _os.write(e, 9);"));
    EXPECT_TRUE(contains(header, "if (f != ::M::A)\n            _os.write(f, 10);"));
}

TEST(Tars2CppCompiler, CheckDefaultFalseWritesEveryOptionalMember) {
    GenerateOptions options;
    options.checkDefault = false;
    const std::string header = headerOf("module M { struct S { 0 optional int i = 4; }; };", options);
    EXPECT_TRUE(contains(header, "        _os.write(i, 0);\n"));
    EXPECT_FALSE(contains(header, "if (i != 4)"));
}

TEST(Tars2CppCompiler, UnjsonLeavesOutTheJsonMethods) {
    GenerateOptions options;
    options.json = false;
    const std::string header = headerOf("module M { struct S { 0 optional int i; }; };", options);
    EXPECT_FALSE(contains(header, "Json"));
    EXPECT_TRUE(contains(header, "void readFrom("));
}

TEST(Tars2CppCompiler, MembersAreReadAndWrittenInTagOrder) {
    const std::string header =
        headerOf("module M { struct S { 5 optional int c; 1 optional int a; 3 optional int b; }; };");
    const std::size_t a = header.find("_is.read(a, 1");
    const std::size_t b = header.find("_is.read(b, 3");
    const std::size_t c = header.find("_is.read(c, 5");
    EXPECT_LT(a, b);
    EXPECT_LT(b, c);
    // Members keep the order of the IDL.
    EXPECT_LT(header.find("tars::Int32 c = 0;"), header.find("tars::Int32 a = 0;"));
}

TEST(Tars2CppCompiler, InterfacesGenerateServants) {
    const std::string header = headerOf(
        "module M { struct P { 0 optional int x; }; key[P, x];\n"
        "interface I { void ping(); P get(routekey string id, out vector<P> all, out map<P, int> counts); }; };");
    EXPECT_TRUE(contains(header, "#include \"servant/Servant.h\"\n")) << header;
    EXPECT_TRUE(contains(header, "#include \"tup/TarsUniAttribute.h\"\n")) << header;
    EXPECT_TRUE(contains(header, "class I : public tars::Servant\n{\npublic:\n    ~I() override = default;\n"))
        << header;
    EXPECT_TRUE(contains(header, "    virtual void ping(tars::TarsCurrentPtr current) = 0;\n")) << header;
    EXPECT_TRUE(contains(header,
                         "    virtual ::M::P get(const std::string& id, std::vector<::M::P>& all, "
                         "std::map<::M::P, tars::Int32>& counts, tars::TarsCurrentPtr current) = 0;\n"))
        << header;
    EXPECT_TRUE(contains(header, "    static void async_response_ping(tars::TarsCurrentPtr current)\n")) << header;
    EXPECT_TRUE(contains(header,
                         "    static void async_response_get(tars::TarsCurrentPtr current, const ::M::P& _ret, "
                         "const std::vector<::M::P>& all, const std::map<::M::P, tars::Int32>& counts)\n"))
        << header;
    EXPECT_TRUE(contains(header,
                         "    int onDispatch(tars::TarsCurrentPtr current, std::vector<char>& _sResponseBuffer) "
                         "override\n"))
        << header;
    // The client side: the proxy, its callback class and its promise types.
    EXPECT_TRUE(contains(header, "#include \"servant/ServantProxy.h\"\n")) << header;
    EXPECT_TRUE(contains(header, "class IProxy : public tars::ServantProxy\n")) << header;
    EXPECT_TRUE(contains(header, "using IPrx = std::shared_ptr<IProxy>;\n")) << header;
    EXPECT_TRUE(contains(header, "class IPrxCallback : public tars::ServantProxyCallback\n")) << header;
    EXPECT_TRUE(contains(header,
                         "    ::M::P get(const std::string& id, std::vector<::M::P>& all, "
                         "std::map<::M::P, tars::Int32>& counts, const std::map<std::string, std::string>& "
                         "context = TARS_CONTEXT(), std::map<std::string, std::string>* pResponseContext = "
                         "nullptr)\n"))
        << header;
    EXPECT_TRUE(contains(header,
                         "    void async_get(IPrxCallbackPtr callback, const std::string& id, "
                         "const std::map<std::string, std::string>& context = TARS_CONTEXT())\n"))
        << header;
    EXPECT_TRUE(contains(header,
                         "    tars::Future<IPrxCallbackPromise::PromisegetPtr> promise_async_get("
                         "const std::string& id, const std::map<std::string, std::string>& context = "
                         "TARS_CONTEXT())\n"))
        << header;
    EXPECT_TRUE(contains(header,
                         "    virtual void callback_get(const ::M::P& ret, const std::vector<::M::P>& all, "
                         "const std::map<::M::P, tars::Int32>& counts)\n"))
        << header;
    EXPECT_TRUE(contains(header, "    virtual void callback_ping()\n")) << header;
}

TEST(Tars2CppCompiler, FilesWithoutInterfacesDoNotNeedTheServerRuntime) {
    const std::string header = headerOf("module M { struct P { 0 optional int x; }; };");
    EXPECT_FALSE(contains(header, "servant/Servant.h")) << header;
    EXPECT_FALSE(contains(header, "TarsUniAttribute")) << header;
}

TEST(Tars2CppCompiler, DispatchFindsMethodsInASortedTable) {
    const std::string header = headerOf("module M { interface I { void b(); void a(); void c(); void B(); }; };");
    EXPECT_TRUE(contains(header,
                         "std::string_view _methods[] = {\n"
                         "            \"B\",\n"
                         "            \"a\",\n"
                         "            \"b\",\n"
                         "            \"c\",\n"
                         "        };\n"))
        << header;
    EXPECT_TRUE(contains(header, "std::lower_bound(")) << header;
    EXPECT_FALSE(contains(header, "getFuncName() ==")) << header;
}

TEST(Tars2CppCompiler, EmptyInterfaceKnowsNoFunction) {
    const std::string header = headerOf("module M { interface I { }; };");
    EXPECT_TRUE(contains(header,
                         "    int onDispatch(tars::TarsCurrentPtr, std::vector<char>&) override\n"
                         "    {\n"
                         "        return tars::TARSSERVERNOFUNCERR;\n"))
        << header;
}

TEST(Tars2CppCompiler, GeneratedNamesAvoidParameterNames) {
    const std::string header = headerOf(
        "module M { interface I {\n"
        "  int f(string current, string _current, out int _ret, out int _buffer);\n"
        "  void g(int _sResponseBuffer, int _version, int _is, int _os, int _attr);\n"
        "  void _encodeResult_g();\n"
        "}; };");
    EXPECT_TRUE(contains(header, "tars::TarsCurrentPtr _current1) = 0;")) << header;
    EXPECT_TRUE(
        contains(header, "int onDispatch(tars::TarsCurrentPtr _current1, std::vector<char>& _sResponseBuffer1)"))
        << header;
    EXPECT_TRUE(contains(header,
                         "static void async_response_f(tars::TarsCurrentPtr _current1, tars::Int32 _ret1, "
                         "tars::Int32 _ret, tars::Int32 _buffer)"))
        << header;
    EXPECT_TRUE(contains(header, "const short _version1 = _current1->getRequestVersion();")) << header;
    EXPECT_TRUE(contains(header, "tars::TarsInputStream<tars::BufferReader> _is1;")) << header;
    // A method named like an encoder: the encoders take another prefix.
    EXPECT_TRUE(contains(header, "static void _encodeResult1_g(short _version1, std::vector<char>& _buffer1)"))
        << header;
}

TEST(Tars2CppCompiler, TarsRetNamesAParameterOfAVoidMethod) {
    EXPECT_TRUE(contains(headerOf("module M { interface I { void f(out int tars_ret); }; };"),
                         "_attr.put(\"tars_ret\", tars_ret);"));
}

TEST(Tars2CppCompiler, UnjsonServantsHaveNoJsonProtocol) {
    GenerateOptions options;
    options.json = false;
    const std::string header =
        headerOf("module M { struct P { 0 optional int x; }; interface I { P f(P p, out P q); }; };", options);
    EXPECT_TRUE(contains(header, "class I : public tars::Servant")) << header;
    EXPECT_FALSE(contains(header, "JSONVERSION")) << header;
    EXPECT_FALSE(contains(header, "Json")) << header;
}

TEST(Tars2CppCompiler, StringEscapesAreKeptExactly) {
    const std::string header =
        headerOf("module M { const string S = \"q\\\"b\\\\n\\n\\t\\x41\\101\\0z\"; const string T = \"plain\"; };");
    EXPECT_TRUE(contains(header, "inline const std::string S = std::string(\"q\\\"b\\\\n\\012\\011AA\\000z\", 11);"))
        << header;
    EXPECT_TRUE(contains(header, "inline const std::string T = \"plain\";"));
}

TEST(Tars2CppCompiler, IntegerLiteralsInEveryBase) {
    const std::string header = headerOf(
        "module M { const int H = 0x1F; const int O = 010; const long L = -9223372036854775808; "
        "const int N = -0x10; const byte B = +5; };");
    EXPECT_TRUE(contains(header, "inline constexpr tars::Int32 H = 31;"));
    EXPECT_TRUE(contains(header, "inline constexpr tars::Int32 O = 8;"));
    EXPECT_TRUE(contains(header, "inline constexpr tars::Int64 L = (-9223372036854775807LL - 1);"));
    EXPECT_TRUE(contains(header, "inline constexpr tars::Int32 N = -16;"));
    EXPECT_TRUE(contains(header, "inline constexpr tars::Char B = 5;"));
}

TEST(Tars2CppCompiler, FloatingLiterals) {
    const std::string header = headerOf(
        "module M { const float A = 1.5; const double B = .25; const double C = 1e3; const float D = 2.f;\n"
        "const double E = -7; const float F = 1e-50; };");
    EXPECT_TRUE(contains(header, "tars::Float A = 1.5f;"));
    EXPECT_TRUE(contains(header, "tars::Double B = 0.25;"));
    EXPECT_TRUE(contains(header, "tars::Double C = 1000.0;"));
    EXPECT_TRUE(contains(header, "tars::Float D = 2.0f;"));
    EXPECT_TRUE(contains(header, "tars::Double E = -7.0;"));
    EXPECT_TRUE(contains(header, "tars::Float F = 0.0f;"));
}

TEST(Tars2CppCompiler, EnumDefaultsByNameNumberOrQualifiedName) {
    const std::string header = headerOf(
        "module M { enum E { A = -1, B, C = 7 };\n"
        "struct S { 0 optional E a = B; 1 optional E b = M::C; 2 optional E c = E::A; 3 optional E d = M::E::B;\n"
        "4 optional E e = 7; 5 optional E f; }; };");
    EXPECT_TRUE(contains(header, "::M::E a = ::M::B;"));
    EXPECT_TRUE(contains(header, "::M::E b = ::M::C;"));
    EXPECT_TRUE(contains(header, "::M::E c = ::M::A;"));
    EXPECT_TRUE(contains(header, "::M::E d = ::M::B;"));
    EXPECT_TRUE(contains(header, "::M::E e = ::M::C;"));
    EXPECT_TRUE(contains(header, "::M::E f = ::M::A;"));
    EXPECT_TRUE(contains(header, "    A = -1,\n    B = 0,\n    C = 7,\n"));
}

TEST(Tars2CppCompiler, KeyGeneratesOrderingOperators) {
    const std::string header =
        headerOf("module M { struct S { 0 optional int a; 1 optional string b; 2 optional int c; }; key[S, b, a]; };");
    EXPECT_TRUE(contains(header,
                         "inline bool operator<(const S& _l, const S& _r)\n{\n    if (_l.b != _r.b)\n"
                         "        return _l.b < _r.b;\n    return _l.a < _r.a;\n}"))
        << header;
    EXPECT_TRUE(contains(header, "inline bool operator>=(const S& _l, const S& _r)"));
}

TEST(Tars2CppCompiler, NoKeyNoOrdering) {
    const std::string header = headerOf("module M { struct S { 0 optional int a; }; };");
    EXPECT_FALSE(contains(header, "operator<"));
    EXPECT_TRUE(contains(header, "operator=="));
}

TEST(Tars2CppCompiler, ModuleTarsWithWithTars) {
    CompileOptions options;
    options.withTars = true;
    EXPECT_TRUE(
        compileFiles({{"a.tars", "module tars { struct S { 0 optional int a; }; };"}}, {"a.tars"}, {}, options).ok());
}

}  // namespace
}  // namespace tars2cpp::test
