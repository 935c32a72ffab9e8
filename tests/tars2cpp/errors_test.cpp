// Every kind of error tars2cpp reports: the exact `file:line:col: error: ...`
// line on stderr, exit code 1, and no output written at all.
#include "TestFiles.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace tars2cpp::test {
namespace {

using Files = std::map<std::string, std::string>;

// Runs the tool over `inputs` (files below the scratch directory) and checks
// that it fails with exactly `expected` ({dir} = the scratch directory).
void expectErrors(const Files& files, const std::string& expected, const std::vector<std::string>& inputs = {"a.tars"},
                  const std::vector<std::string>& options = {}) {
    ScratchDir dir;
    dir.write(files);
    std::vector<std::string> args = {"--dir=" + dir.path() + "/out"};
    args.insert(args.end(), options.begin(), options.end());
    for (const std::string& input : inputs) args.push_back(dir.path() + "/" + input);

    const ToolRun run = runTool(args);
    EXPECT_EQ(run.exitCode, 1);
    EXPECT_EQ(run.err, expand(expected, dir.path()));
    EXPECT_EQ(run.out, "");
    EXPECT_FALSE(dir.exists("out")) << "an output directory was created";
}

// The usual case: one file a.tars and one error.
void expectError(const std::string& source, const std::string& expected) {
    expectErrors({{"a.tars", source}}, "{dir}/a.tars:" + expected + "\n");
}

TEST(Tars2CppErrors, UnknownType) {
    expectError("module M\n{\n    struct A\n    {\n        0 optional Missing m;\n    };\n};\n",
                "5:20: error: unknown type 'Missing'");
}

TEST(Tars2CppErrors, UnknownTypeInOtherModuleSuggestsQualifiedName) {
    expectError("module N { struct P { 0 optional int x; }; };\nmodule M { struct A { 0 optional P p; }; };\n",
                "2:34: error: unknown type 'P' (did you mean 'N::P'?)");
}

TEST(Tars2CppErrors, TypeUsedBeforeItsDefinitionIsUnknown) {
    expectError("module M {\n  struct A { 0 optional B b; };\n  struct B { 0 optional int x; };\n};\n",
                "2:25: error: unknown type 'B'");
}

TEST(Tars2CppErrors, UnknownTypeInInterface) {
    expectError("module M {\n  interface I { int f(Nope n); };\n};\n", "2:23: error: unknown type 'Nope'");
}

TEST(Tars2CppErrors, NameThatIsNotAType) {
    expectError("module M {\n  const int C = 1;\n  struct A { 0 optional C c; };\n};\n",
                "3:25: error: 'C' is not a type: it is const 'C' (defined at {dir}/a.tars:2:13)");
}

TEST(Tars2CppErrors, StructContainingItself) {
    expectError("module M {\n  struct A { 0 optional vector<A> children; };\n};\n",
                "2:32: error: struct 'A' cannot contain itself");
}

TEST(Tars2CppErrors, DuplicateTag) {
    expectError("module M {\n  struct A {\n    0 optional int a;\n    0 optional int b;\n  };\n};\n",
                "4:5: error: duplicate tag 0 in struct 'A': field 'a' at {dir}/a.tars:3:20 already has it");
}

TEST(Tars2CppErrors, DuplicateFieldName) {
    expectError("module M {\n  struct A {\n    0 optional int a;\n    1 optional string a;\n  };\n};\n",
                "4:23: error: duplicate field name 'a' in struct 'A' (first at {dir}/a.tars:3:20)");
}

TEST(Tars2CppErrors, DuplicateEnumerator) {
    expectError("module M {\n  enum E { ONE, TWO, ONE };\n};\n",
                "2:22: error: duplicate enumerator 'ONE' in enum 'E' (first at {dir}/a.tars:2:12)");
}

TEST(Tars2CppErrors, DuplicateMethodName) {
    expectError("module M {\n  interface I {\n    void f();\n    int f(int x);\n  };\n};\n",
                "4:9: error: duplicate method name 'f' in interface 'I' (first at {dir}/a.tars:3:10); TARS has no "
                "overloading");
}

TEST(Tars2CppErrors, DuplicateParameterName) {
    expectError("module M {\n  interface I { void f(int x, out string x); };\n};\n",
                "2:42: error: duplicate parameter name 'x' in method 'f' (first at {dir}/a.tars:2:28)");
}

TEST(Tars2CppErrors, MethodNamedLikeItsInterface) {
    expectError("module M {\n  interface I { void I(); };\n};\n",
                "2:22: error: method 'I' cannot have the name of its interface");
}

TEST(Tars2CppErrors, MethodNamedLikeAServantMember) {
    expectError("module M {\n  interface I { int onDispatch(); };\n};\n",
                "2:21: error: method name 'onDispatch' clashes with onDispatch() of the generated servant class 'I' "
                "(a tars::Servant)");
    expectError("module M {\n  interface I { void initialize(); };\n};\n",
                "2:22: error: method name 'initialize' clashes with initialize() of the generated servant class 'I' "
                "(a tars::Servant)");
}

TEST(Tars2CppErrors, MethodNamedLikeTheAsyncResponseOfAnother) {
    expectError("module M {\n  interface I {\n    void f();\n    void async_response_f();\n  };\n};\n",
                "4:10: error: method name 'async_response_f' clashes with the generated async_response_ of method 'f' "
                "(at {dir}/a.tars:3:10)");
}

TEST(Tars2CppErrors, MethodNamedLikeAProxyMember) {
    expectError("module M {\n  interface I { void tars_ping(); };\n};\n",
                "2:22: error: method name 'tars_ping' clashes with the generated proxy class 'IProxy' (a "
                "tars::ServantProxy, whose own functions are rpc_call, rpc_call_async and tars_*)");
    expectError("module M {\n  interface I { void rpc_call(); };\n};\n",
                "2:22: error: method name 'rpc_call' clashes with the generated proxy class 'IProxy' (a "
                "tars::ServantProxy, whose own functions are rpc_call, rpc_call_async and tars_*)");
}

TEST(Tars2CppErrors, MethodsWhoseGeneratedProxyNamesMeet) {
    expectError("module M {\n  interface I {\n    void f();\n    int async_f();\n  };\n};\n",
                "4:9: error: methods 'f' (at {dir}/a.tars:3:10) and 'async_f' both generate 'async_f' in the proxy "
                "class of interface 'I'; rename one");
    expectError("module M {\n  interface I {\n    int f_exception();\n    int f();\n  };\n};\n",
                "4:9: error: methods 'f_exception' (at {dir}/a.tars:3:9) and 'f' both generate 'callback_f_exception' "
                "in the callback class of interface 'I'; rename one");
    expectError("module M {\n  interface I {\n    void f();\n    void fPtr();\n  };\n};\n",
                "4:10: error: methods 'f' (at {dir}/a.tars:3:10) and 'fPtr' both generate 'PromisefPtr' in the "
                "promise types of interface 'I'; rename one");
}

TEST(Tars2CppErrors, NamesClashingWithTheTypesOfAProxy) {
    expectError("module M {\n  interface Hello { void f(); };\n  struct HelloPrx { 0 optional int a; };\n};\n",
                "3:10: error: the name 'HelloPrx' clashes with the type tars2cpp generates for interface 'Hello' "
                "(defined at {dir}/a.tars:2:13)");
    expectError("module M {\n  enum HelloProxy { A };\n  interface Hello { void f(); };\n};\n",
                "3:13: error: interface 'Hello' generates the type 'HelloProxy', which clashes with enum "
                "'HelloProxy' defined at {dir}/a.tars:2:8");
}

TEST(Tars2CppErrors, ParameterNamedTarsRetBesideAReturnValue) {
    expectError("module M {\n  interface I { int f(out int tars_ret); };\n};\n",
                "2:31: error: parameter name 'tars_ret' is used for the return value of method 'f' (TUP and JSON); "
                "choose another name");
}

TEST(Tars2CppErrors, MoreParametersThanTags) {
    std::string parameters;
    for (int i = 0; i < 256; ++i) parameters += (i == 0 ? "int p" : ", int p") + std::to_string(i);
    expectError("module M {\n  interface I { void f(" + parameters + "); };\n};\n",
                "2:22: error: method 'f' has 256 parameters; TARS numbers them with tags 1..255");
}

TEST(Tars2CppErrors, DuplicateTypeName) {
    expectError("module M {\n  struct A { 0 optional int x; };\n  enum A { X };\n};\n",
                "3:8: error: duplicate name 'A' in module 'M': already defined as struct 'A' at {dir}/a.tars:2:10");
}

TEST(Tars2CppErrors, DuplicateTypeNameInReopenedModule) {
    expectError("module M { struct A { 0 optional int x; }; };\nmodule M { interface A { void f(); }; };\n",
                "2:22: error: duplicate name 'A' in module 'M': already defined as struct 'A' at {dir}/a.tars:1:19");
}

TEST(Tars2CppErrors, SameTypeFromTwoIncludedFiles) {
    expectErrors({{"a.tars", "#include \"b.tars\"\n#include \"c.tars\"\n"},
                  {"b.tars", "module M { struct T { 0 optional int x; }; };\n"},
                  {"c.tars", "module M { struct T { 0 optional int y; }; };\n"}},
                 "{dir}/a.tars:2:10: error: 'M::T' from '{dir}/c.tars' (defined at {dir}/c.tars:1:19) clashes with "
                 "the one defined at {dir}/b.tars:1:19\n");
}

TEST(Tars2CppErrors, EnumNameClashBetweenEnums) {
    expectError("module M {\n  enum Color { RED, GREEN };\n  enum Light { OFF, RED };\n};\n",
                "3:21: error: enum name clash: enumerator 'RED' of enum 'Light' clashes with enumerator 'RED' of enum "
                "'Color' defined at {dir}/a.tars:2:16 (enumerators share the scope of module 'M')");
}

TEST(Tars2CppErrors, EnumNameClashWithType) {
    expectError("module M {\n  struct Item { 0 optional int x; };\n  enum Kind { Item };\n};\n",
                "3:15: error: enum name clash: enumerator 'Item' of enum 'Kind' clashes with struct 'Item' defined at "
                "{dir}/a.tars:2:10 (enumerators share the scope of module 'M')");
}

TEST(Tars2CppErrors, EmptyEnum) {
    expectError("module M {\n  enum E { };\n};\n", "2:8: error: enum 'E' has no enumerators");
}

TEST(Tars2CppErrors, EnumeratorValueOutOfRange) {
    expectError("module M {\n  enum E { A = 2147483648 };\n};\n",
                "2:16: error: enumerator value 2147483648 is out of range: enum values are -2147483648..2147483647");
}

TEST(Tars2CppErrors, ImplicitEnumeratorValueOverflows) {
    expectError("module M {\n  enum E { A = 2147483647, B };\n};\n",
                "2:28: error: the value of enumerator 'B' (previous + 1) is larger than 2147483647");
}

TEST(Tars2CppErrors, MissingSemicolonAfterField) {
    expectError("module M {\n  struct A {\n    0 optional int a\n  };\n};\n", "3:21: error: expected ';' before '}'");
}

TEST(Tars2CppErrors, MissingSemicolonAfterStruct) {
    expectError("module M {\n  struct A { 0 optional int a; }\n};\n", "2:33: error: expected ';' before '}'");
}

TEST(Tars2CppErrors, MissingSemicolonAfterModule) {
    expectError("module M {\n  struct A { 0 optional int a; };\n}\n", "3:2: error: expected ';' before end of file");
}

TEST(Tars2CppErrors, SyntaxErrorSaysWhatWasFoundAndExpected) {
    expectError("module M {\n  struct A { optional int a; };\n};\n",
                "2:14: error: unexpected 'optional', expected '}', '-' or integer");
}

TEST(Tars2CppErrors, SyntaxErrorNamesTheIdentifierFound) {
    expectError("module M {\n  struct A { 0 sometimes int a; };\n};\n",
                "2:16: error: unexpected identifier 'sometimes', expected 'require' or 'optional'");
}

TEST(Tars2CppErrors, DefinitionOutsideModule) {
    expectError("struct A { 0 optional int a; };\n",
                "1:1: error: unexpected 'struct', expected end of file, 'module' or '#include'");
}

TEST(Tars2CppErrors, KeywordAsName) {
    expectError("module M {\n  struct A { 0 optional int struct; };\n};\n",
                "2:29: error: unexpected 'struct', expected identifier");
}

TEST(Tars2CppErrors, TagAboveRange) {
    expectError("module M {\n  struct A { 256 optional int a; };\n};\n",
                "2:14: error: tag 256 is out of range: tags are 0..255");
}

TEST(Tars2CppErrors, NegativeTag) {
    expectError("module M {\n  struct A { -1 optional int a; };\n};\n",
                "2:14: error: tag -1 is out of range: tags are 0..255");
}

TEST(Tars2CppErrors, KeyNamesUnknownStruct) {
    expectError(
        "module M {\n  key[Nothing, a];\n};\n",
        "2:7: error: key[] names unknown struct 'Nothing' (it must be a struct of module 'M' defined before the "
        "key)");
}

TEST(Tars2CppErrors, KeyNamesUnknownField) {
    expectError("module M {\n  struct A { 0 optional int a; };\n  key[A, a, b];\n};\n",
                "3:13: error: key[] names unknown field 'b' of struct 'A'");
}

TEST(Tars2CppErrors, KeyNamesAnEnum) {
    expectError("module M {\n  enum E { X };\n  key[E, X];\n};\n",
                "3:7: error: key[] must name a struct, but 'E' is enum 'E'");
}

TEST(Tars2CppErrors, KeyFieldWithoutOrder) {
    expectError("module M {\n  struct P { 0 optional int x; };\n  struct A { 0 optional P p; };\n  key[A, p];\n};\n",
                "4:7: error: key field 'p' of struct 'A' has type M::P, which has no order: struct 'P' has no key[]");
}

TEST(Tars2CppErrors, StructAsMapKeyWithoutKey) {
    expectError("module M {\n  struct P { 0 optional int x; };\n  struct A { 0 optional map<P, int> m; };\n};\n",
                "3:25: error: struct 'M::P' is used in the map key type M::P but has no key[P, ...] to order it");
}

TEST(Tars2CppErrors, StructInsideMapKeyWithoutKey) {
    expectError(
        "module M {\n  struct P { 0 optional int x; };\n  interface I { void f(map<vector<P>, int> m); };\n};\n",
        "3:24: error: struct 'M::P' is used in the map key type vector<M::P> but has no key[P, ...] to order "
        "it");
}

TEST(Tars2CppErrors, UnresolvedInclude) {
    expectError("// header\n#include \"missing.tars\"\n", "2:10: error: cannot find included file 'missing.tars'");
}

TEST(Tars2CppErrors, IncludeCycle) {
    expectErrors(
        {{"a.tars", "#include \"b.tars\"\n"}, {"b.tars", "#include \"c.tars\"\n"}, {"c.tars", "#include \"a.tars\"\n"}},
        "{dir}/c.tars:1:10: error: include cycle: {dir}/a.tars -> {dir}/b.tars -> {dir}/c.tars -> "
        "{dir}/a.tars\n");
}

TEST(Tars2CppErrors, FileIncludingItself) {
    expectError("#include \"a.tars\"\n", "1:10: error: include cycle: {dir}/a.tars -> {dir}/a.tars");
}

TEST(Tars2CppErrors, ErrorInIncludedFileNamesThatFile) {
    expectErrors({{"a.tars", "#include \"sub/b.tars\"\nmodule M { struct A { 0 optional N::B b; }; };\n"},
                  {"sub/b.tars", "module N {\n  struct B { 0 optional Nope x; };\n};\n"}},
                 "{dir}/sub/b.tars:2:25: error: unknown type 'Nope'\n");
}

TEST(Tars2CppErrors, StringDefaultOnInt) {
    expectError("module M {\n  struct A { 0 optional int a = \"5\"; };\n};\n",
                "2:33: error: default value of field 'a' must be an integer, not a string");
}

TEST(Tars2CppErrors, FloatDefaultOnInt) {
    expectError("module M {\n  struct A { 0 optional long a = 1.5; };\n};\n",
                "2:34: error: default value of field 'a' must be an integer, not a floating-point number");
}

TEST(Tars2CppErrors, IntegerDefaultOnBool) {
    expectError("module M {\n  struct A { 0 optional bool a = 1; };\n};\n",
                "2:34: error: default value of field 'a' must be true or false, not an integer");
}

TEST(Tars2CppErrors, BoolDefaultOnString) {
    expectError("module M {\n  struct A { 0 optional string a = true; };\n};\n",
                "2:36: error: default value of field 'a' must be a string, not 'true'");
}

TEST(Tars2CppErrors, DefaultOutOfRangeForByte) {
    expectError("module M {\n  struct A { 0 optional byte a = 128; };\n};\n",
                "2:34: error: default value of field 'a' is out of range: 128 does not fit in byte (-128..127)");
}

TEST(Tars2CppErrors, NegativeDefaultForUnsigned) {
    expectError(
        "module M {\n  struct A { 0 optional unsigned short a = -1; };\n};\n",
        "2:44: error: default value of field 'a' is out of range: -1 does not fit in unsigned short (0..65535)");
}

TEST(Tars2CppErrors, DefaultOutOfRangeForInt) {
    expectError("module M {\n  struct A { 0 optional int a = 0x80000000; };\n};\n",
                "2:33: error: default value of field 'a' is out of range: 2147483648 does not fit in int "
                "(-2147483648..2147483647)");
}

TEST(Tars2CppErrors, DefaultOutOfRangeForFloat) {
    expectError("module M {\n  struct A { 0 optional float a = 1e39; };\n};\n",
                "2:35: error: default value of field 'a' is out of range: 1e39 does not fit in float");
}

TEST(Tars2CppErrors, IntegerLiteralTooLarge) {
    expectError("module M {\n  struct A { 0 optional long a = 18446744073709551616; };\n};\n",
                "2:34: error: integer '18446744073709551616' is too large");
}

TEST(Tars2CppErrors, UnknownEnumMemberAsDefault) {
    expectError("module M {\n  enum Color { RED };\n  struct A { 0 optional Color c = BLUE; };\n};\n",
                "3:35: error: default value of field 'c': 'BLUE' is not an enumerator of enum 'M::Color'");
}

TEST(Tars2CppErrors, EnumeratorOfAnotherEnumAsDefault) {
    expectError(
        "module M {\n  enum Color { RED };\n  enum Size { BIG };\n  struct A { 0 optional Color c = BIG; };\n};\n",
        "4:35: error: default value of field 'c': 'BIG' is not an enumerator of enum 'M::Color'");
}

TEST(Tars2CppErrors, NumberThatIsNoEnumeratorAsDefault) {
    expectError("module M {\n  enum Color { RED };\n  struct A { 0 optional Color c = 7; };\n};\n",
                "3:35: error: default value of field 'c': 7 is not the value of any enumerator of enum 'M::Color'");
}

TEST(Tars2CppErrors, DefaultOnVector) {
    expectError("module M {\n  struct A { 0 optional vector<int> v = 1; };\n};\n",
                "2:41: error: default value of field 'v': a field of type vector<int> cannot have a default value");
}

TEST(Tars2CppErrors, DefaultOnMap) {
    expectError("module M {\n  struct A { 0 optional map<int, int> m = \"x\"; };\n};\n",
                "2:43: error: default value of field 'm': a field of type map<int, int> cannot have a default value");
}

TEST(Tars2CppErrors, DefaultOnStruct) {
    expectError("module M {\n  struct P { 0 optional int x; };\n  struct A { 0 optional P p = 0; };\n};\n",
                "3:31: error: default value of field 'p': a field of type M::P cannot have a default value");
}

TEST(Tars2CppErrors, ConstOfContainerType) {
    expectError("module M {\n  const vector<int> V = 1;\n};\n",
                "2:9: error: const 'V' has type vector<int>; a const must be bool, an integer, float, double, string "
                "or an enum");
}

TEST(Tars2CppErrors, ConstValueOfWrongType) {
    expectError("module M {\n  const string S = 12;\n};\n",
                "2:20: error: value of const 'S' must be a string, not an integer");
}

TEST(Tars2CppErrors, CppKeywordAsStructName) {
    expectError("module M {\n  struct class { 0 optional int a; };\n};\n",
                "2:10: error: 'class' is a C++ keyword and cannot be used as a struct name");
}

TEST(Tars2CppErrors, CppKeywordAsFieldName) {
    expectError("module M {\n  struct A { 0 optional int new; };\n};\n",
                "2:29: error: 'new' is a C++ keyword and cannot be used as a field name");
}

TEST(Tars2CppErrors, CppKeywordAsModuleName) {
    expectError("module namespace {\n};\n",
                "1:8: error: 'namespace' is a C++ keyword and cannot be used as a module name");
}

TEST(Tars2CppErrors, CppKeywordAsParameterName) {
    expectError("module M {\n  interface I { void f(int this); };\n};\n",
                "2:28: error: 'this' is a C++ keyword and cannot be used as a parameter name");
}

TEST(Tars2CppErrors, ReservedCppIdentifier) {
    expectError("module M {\n  struct A { 0 optional int __x; };\n};\n",
                "2:29: error: '__x' is reserved in C++ (it contains '__' or starts with '_' and a capital letter)");
}

TEST(Tars2CppErrors, FieldNamedLikeGeneratedMember) {
    expectError("module M {\n  struct A { 0 optional int writeTo; };\n};\n",
                "2:29: error: field name 'writeTo' clashes with the generated member function writeTo()");
}

TEST(Tars2CppErrors, FieldNamedLikeGeneratedParameter) {
    expectError("module M {\n  struct A { 0 optional int _os; };\n};\n",
                "2:29: error: field name '_os' is used by the generated code; choose another name");
}

TEST(Tars2CppErrors, UnsignedLong) {
    expectError("module M {\n  struct A { 0 optional unsigned long a; };\n};\n",
                "2:25: error: 'unsigned long' is not supported: TARS has no unsigned 64-bit type (use long)");
}

TEST(Tars2CppErrors, OutAndRouteKeyOnOneParameter) {
    expectError("module M {\n  interface I { void f(out routekey string k); };\n};\n",
                "2:24: error: parameter 'k' cannot be both 'out' and 'routekey'");
}

TEST(Tars2CppErrors, TwoRouteKeys) {
    expectError("module M {\n  interface I { void f(routekey string a, routekey string b); };\n};\n",
                "2:43: error: method 'f' has more than one routekey parameter ('a' and 'b')");
}

TEST(Tars2CppErrors, ModuleTarsNeedsWithTars) {
    expectError("module tars {\n};\n",
                "1:8: error: module name 'tars' is reserved for the framework's own files (pass --with-tars to allow "
                "it)");
}

TEST(Tars2CppErrors, UnterminatedString) {
    expectError("module M {\n  const string S = \"abc;\n};\n", "2:20: error: unterminated string literal");
}

TEST(Tars2CppErrors, UnknownEscapeInString) {
    expectError("module M {\n  const string S = \"a\\qb\";\n};\n",
                "2:22: error: unknown escape sequence '\\q' in a string");
}

TEST(Tars2CppErrors, UnterminatedComment) {
    expectError("module M {\n  /* no end\n};\n", "2:3: error: unterminated comment: '/*' without '*/'");
}

TEST(Tars2CppErrors, UnexpectedCharacter) {
    expectError("module M {\n  struct A { 0 optional int a; } @;\n};\n", "2:34: error: unexpected character '@'");
}

TEST(Tars2CppErrors, ControlCharacter) {
    expectError(std::string("module M {\n  \x01\n};\n"), "2:3: error: unexpected character '\\x01'");
}

TEST(Tars2CppErrors, UnknownDirective) {
    expectError("#pragma once\n", "1:1: error: unknown directive '#pragma': only #include is supported");
}

TEST(Tars2CppErrors, InvalidNumber) {
    expectError("module M {\n  const int X = 12ab;\n};\n", "2:17: error: invalid number '12ab'");
}

TEST(Tars2CppErrors, InvalidOctalNumber) {
    expectError("module M {\n  const int X = 09;\n};\n", "2:17: error: invalid digit '9' in octal number '09'");
}

TEST(Tars2CppErrors, TypeNestedTooDeeply) {
    std::string type = "int";
    for (int i = 0; i < 70; ++i) type = "vector<" + type + ">";
    expectError("module M {\n  struct A { 0 optional " + type + " v; };\n};\n",
                "2:479: error: type nested too deeply (more than 64 levels of '<')");
}

TEST(Tars2CppErrors, SeveralErrorsAreAllReported) {
    expectError(
        "module M {\n  struct A {\n    0 optional Nope a;\n    0 optional int a;\n  };\n};\n",
        "3:16: error: unknown type 'Nope'\n{dir}/a.tars:4:5: error: duplicate tag 0 in struct 'A': field 'a' at "
        "{dir}/a.tars:3:21 already has it\n{dir}/a.tars:4:20: error: duplicate field name 'a' in struct 'A' "
        "(first at {dir}/a.tars:3:21)");
}

TEST(Tars2CppErrors, ManyErrorsAreCapped) {
    std::string body;
    for (int i = 0; i < 80; ++i) body += "  struct S" + std::to_string(i) + " { 0 optional Nope x; };\n";
    ScratchDir dir;
    dir.write({{"a.tars", "module M {\n" + body + "};\n"}});
    const ToolRun run = runTool({"--dir=" + dir.path() + "/out", dir.path() + "/a.tars"});
    EXPECT_EQ(run.exitCode, 1);
    std::size_t lines = 0;
    for (char c : run.err) lines += c == '\n';
    EXPECT_EQ(lines, 51u);
    EXPECT_NE(run.err.find("tars2cpp: error: too many errors, stopping\n"), std::string::npos);
    EXPECT_FALSE(dir.exists("out"));
}

TEST(Tars2CppErrors, UnreadableInput) {
    expectErrors({}, "tars2cpp: error: cannot read '{dir}/none.tars': No such file or directory\n", {"none.tars"});
}

TEST(Tars2CppErrors, NoOutputWhenOnlyOneOfSeveralInputsFails) {
    expectErrors({{"good.tars", "module M { struct A { 0 optional int a; }; };\n"},
                  {"bad.tars", "module N { struct B { 0 optional int a }; };\n"}},
                 "{dir}/bad.tars:1:39: error: expected ';' before '}'\n", {"good.tars", "bad.tars"});
}

TEST(Tars2CppErrors, TwoInputsWithTheSameBaseName) {
    expectErrors({{"one/x.tars", "module M { };\n"}, {"two/x.tars", "module N { };\n"}},
                 "tars2cpp: error: '{dir}/one/x.tars' and '{dir}/two/x.tars' would both generate x.h\n",
                 {"one/x.tars", "two/x.tars"});
}

}  // namespace
}  // namespace tars2cpp::test
