// Generated MD5(): TarsCpp's value, the lowercase hex md5 of "_" + the member's C++ type as
// TarsCpp's tars2cpp spells it, over the members in declaration order. The expected values
// were computed by hand from that rule, e.g.
//   printf '%s' '_tars::Int32_std::string' | md5sum
#include <gtest/gtest.h>

#include "Md5.h"

TEST(GeneratedMd5, OneIntMember) {
    // _tars::Int32
    EXPECT_EQ(Md5Test::Inner::MD5(), "7b010a6336d210a506b1eb4bf4c1e014");
}

TEST(GeneratedMd5, IntAndString) {
    // _tars::Int32_std::string
    EXPECT_EQ(Md5Test::Simple::MD5(), "b84e4dd5dd1d7c43dbe702512024405f");
}

TEST(GeneratedMd5, EveryBuiltinIncludingUnsigned) {
    // _tars::Bool_tars::Char_tars::Short_tars::Int32_tars::Int64_tars::Float_tars::Double
    // _std::string_tars::UInt8_tars::UInt16_tars::UInt32
    EXPECT_EQ(Md5Test::Builtins::MD5(), "c2985e114d37a9c8fccf882dbb2c7586");
}

TEST(GeneratedMd5, ContainersWithoutStdAndWithSpacesBeforeNestedClose) {
    // _vector<tars::Char>_vector<tars::Int32>_map<std::string, tars::Int32>
    // _vector<vector<std::string> >_map<std::string, vector<tars::Int32> >
    // _map<tars::Int32, map<std::string, std::string> >_vector<map<tars::Int32, std::string> >
    EXPECT_EQ(Md5Test::Containers::MD5(), "b203e2ba85ba81529cb29f33843741d1");
}

TEST(GeneratedMd5, StructsAndEnumsWithTheirModule) {
    // _Md5Test::Inner_Md5Test::Color_vector<Md5Test::Inner>_map<tars::Int32, Md5Test::Inner>
    EXPECT_EQ(Md5Test::Nested::MD5(), "45cbd75687eecd607fcd8d1e08550da8");
}

TEST(GeneratedMd5, DeclarationOrderNotTagOrder) {
    // _std::string_tars::Int32
    EXPECT_EQ(Md5Test::Ordered::MD5(), "75f1be2757c92eb6699b52ef20b9f989");
}
