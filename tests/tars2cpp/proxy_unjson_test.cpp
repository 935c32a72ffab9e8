// Proxies generated with --unjson: the structs have no JSON functions, so the
// header must still compile, and a call in the JSON version must fail with a
// clear error before anything is sent (no server is needed to see it).
#include "Servants.h"

#include "servant/Communicator.h"

#include <gtest/gtest.h>

#include <string>

namespace {

TEST(ProxyWithoutJson, JsonCallsFailBeforeSendingWithAnEncodeError) {
    tars::Communicator communicator;
    // Port 1 on loopback: nothing listens, and nothing must be sent.
    auto catalog = communicator.stringToProxy<Shop::CatalogPrx>("Test.Unjson.CatalogObj@tcp -h 127.0.0.1 -p 1");
    catalog->tars_set_version(tars::JSONVERSION);
    Shop::Item item;
    item.name = "x";
    std::vector<Shop::Item> all;
    try {
        catalog->store(item, all);
        FAIL() << "a JSON call through an --unjson proxy succeeded";
    } catch (const tars::TarsCallException& e) {
        EXPECT_EQ(e.getErrCode(), tars::TARSSERVERENCODEERR);
        EXPECT_NE(std::string(e.what()).find("--unjson"), std::string::npos) << e.what();
    }
    EXPECT_THROW(catalog->promise_async_store(item), tars::TarsCallException);
}

}  // namespace
