// The generated proxies against the generated servants, on a real server on
// 127.0.0.1: every method of Shop::Catalog (void and non-void, in and out
// parameters of every kind of type) in every call mode (sync, callback,
// one-way, promise, coroutine) and in every encoding (TARS, TUP, JSON), plus
// parameters named like the proxy's own generated names (Shop::Awkward).
#include "LoopbackServer.h"
#include "ServantImps.h"
#include "ServantTestSupport.h"

#include "servant/Communicator.h"
#include "servant/Coroutine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace tars2cpp::test {
namespace {

using namespace std::chrono_literals;

const std::string kCatalog = "Test.ProxyServer.CatalogObj";
const std::string kAwkward = "Test.ProxyServer.AwkwardObj";

Shop::Item makeItem(const std::string& name, tars::Int64 price) {
    Shop::Item item;
    item.name = name;
    item.price = price;
    item.tags = {name, "x"};
    return item;
}

class ProxyTest : public ::testing::TestWithParam<short> {
protected:
    void SetUp() override {
        catalogServer = LoopbackServer::start<CatalogImp>(kCatalog);
        catalog = communicator.stringToProxy<Shop::CatalogPrx>(catalogServer->objectName());
        catalog->tars_set_version(GetParam());
        catalog->tars_set_timeout(10000);
    }

    // Waits (bounded) until `done` holds under `mutex`.
    template <typename Predicate>
    bool waitFor(std::unique_lock<std::mutex>& lock, Predicate done) {
        return changed.wait_for(lock, 10s, done);
    }

    std::unique_ptr<LoopbackServer> catalogServer;
    tars::Communicator communicator;
    Shop::CatalogPrx catalog;
    std::mutex mutex;
    std::condition_variable changed;
};

TEST_P(ProxyTest, SyncCallsCarryEveryKindOfArgumentAndResult) {
    catalog->ping();
    EXPECT_EQ(catalog->count(), 42);

    bool found = false;
    const Shop::Item item = catalog->find("apple", found);
    EXPECT_TRUE(found);
    EXPECT_EQ(item.name, "apple");
    EXPECT_EQ(item.price, 1LL << 40);
    EXPECT_EQ(item.tags, (std::vector<std::string>{"fresh", ""}));
    EXPECT_EQ(item.status, Shop::BLOCKED);
    // The routekey parameter travels as status STATUS_GRID_KEY (the key tars.setdyeing matches).
    EXPECT_EQ(catalog->find("grid?", found).name, "grid=grid?");

    std::map<std::string, Shop::Item> byName;
    tars::Int64 sum = 0;
    EXPECT_EQ(catalog->total({makeItem("a", 3), makeItem("b", 4)}, {{"tip", 10}}, byName, sum), 2);
    EXPECT_EQ(sum, 17);
    ASSERT_EQ(byName.size(), 2u);
    EXPECT_EQ(byName["b"], makeItem("b", 4));

    Shop::Status previous = Shop::ACTIVE;
    EXPECT_EQ(catalog->check(Shop::ACTIVE, -3, -300, 4000000000u, 0.5f, -2.25, previous), Shop::BLOCKED);
    EXPECT_EQ(previous, Shop::ACTIVE);

    std::vector<tars::Char> copy;
    tars::UInt8 first = 0;
    const std::vector<tars::Char> data = {static_cast<tars::Char>(200), 0, 7};
    EXPECT_EQ(catalog->digest(data, copy, first), (std::vector<tars::Char>{7, 0, static_cast<tars::Char>(200)}));
    EXPECT_EQ(copy, data);
    EXPECT_EQ(first, 200);

    std::vector<Shop::Item> all;
    catalog->store(makeItem("s", 1), all);
    EXPECT_EQ(all, std::vector<Shop::Item>{makeItem("s", 1)});
    tars::Int32 removed = 0;
    catalog->clear(removed);
    EXPECT_EQ(removed, 1);
}

TEST_P(ProxyTest, RequestContextReachesTheServant) {
    // The servant answers later, through async_response_find, when the context says so.
    bool found = false;
    const Shop::Item item = catalog->find("pear", found, {{"async", "1"}});
    EXPECT_TRUE(found);
    EXPECT_EQ(item.name, "pear");
}

// Records what the generated callback class receives.
class CatalogCallback : public Shop::CatalogPrxCallback {
public:
    CatalogCallback(std::mutex& mutex, std::condition_variable& changed) : _mutex(mutex), _changed(changed) {}

    void callback_find(const Shop::Item& ret, bool found) override {
        record("find:" + ret.name + ":" + (found ? "found" : "missing"));
    }
    void callback_find_exception(tars::Int32 ret) override { record("find failed " + std::to_string(ret)); }
    void callback_clear(tars::Int32 removed) override { record("clear:" + std::to_string(removed)); }
    void callback_clear_exception(tars::Int32 ret) override { record("clear failed " + std::to_string(ret)); }
    void callback_ping() override { record("ping"); }
    void callback_ping_exception(tars::Int32 ret) override { record("ping failed " + std::to_string(ret)); }

    std::vector<std::string> events;

private:
    void record(const std::string& event) {
        std::lock_guard lock(_mutex);
        events.push_back(event);
        _changed.notify_all();
    }

    std::mutex& _mutex;
    std::condition_variable& _changed;
};

TEST_P(ProxyTest, CallbackCallsReachTheGeneratedCallbackMethods) {
    auto callback = std::make_shared<CatalogCallback>(mutex, changed);
    catalog->async_ping(callback);
    catalog->async_find(callback, "apple");
    catalog->async_clear(callback, {{"async", "1"}});

    std::unique_lock lock(mutex);
    ASSERT_TRUE(waitFor(lock, [&] { return callback->events.size() == 3; }));
    std::sort(callback->events.begin(), callback->events.end());
    EXPECT_EQ(callback->events, (std::vector<std::string>{"clear:0", "find:apple:found", "ping"}));
}

TEST_P(ProxyTest, OneWayCallsReachTheServantWithoutAnAnswer) {
    catalog->async_store(nullptr, makeItem("one-way", 5));
    // Calls on one connection are served in order by the one handle thread: the
    // sync call after it sees what the one-way call stored.
    std::vector<Shop::Item> all;
    catalog->store(makeItem("sync", 6), all);
    EXPECT_EQ(all, (std::vector<Shop::Item>{makeItem("one-way", 5), makeItem("sync", 6)}));
}

TEST_P(ProxyTest, PromiseCallsCompleteFuturesAndRunThen) {
    auto total = catalog->promise_async_total({makeItem("a", 1)}, {{"b", 2}});
    const auto result = total.get();
    EXPECT_EQ(result->_ret, 1);
    EXPECT_EQ(result->sum, 3);
    EXPECT_EQ(result->byName.at("a"), makeItem("a", 1));

    // then() runs on the callback thread once the call ends.
    std::string seen;
    auto done = catalog->promise_async_find("kiwi").then(
        [&](const tars::Future<Shop::CatalogPrxCallbackPromise::PromisefindPtr>& future) {
            std::lock_guard lock(mutex);
            seen = future.get()->_ret.name;
            changed.notify_all();
        });
    std::unique_lock lock(mutex);
    ASSERT_TRUE(waitFor(lock, [&] { return !seen.empty(); }));
    EXPECT_EQ(seen, "kiwi");
}

tars::Task<tars::Int64> awaitTwoCalls(Shop::CatalogPrx catalog) {
    const auto count = co_await catalog->co_count();
    // Named, not a braced list inside co_await: g++ 12 cannot build
    // initializer_list temporaries in a coroutine frame.
    const std::vector<Shop::Item> items(1, makeItem("c", count->_ret));
    const std::map<std::string, tars::Int64> extras;
    const auto total = co_await catalog->co_total(items, extras);
    co_return total->sum;
}

TEST_P(ProxyTest, CoroutineCallsAwaitResults) { EXPECT_EQ(awaitTwoCalls(catalog).get(), 42); }

TEST_P(ProxyTest, VoidMethodsWithoutResultsWorkInEveryMode) {
    catalog->ping();
    catalog->promise_async_ping().get();
    auto ping = [](Shop::CatalogPrx catalog) -> tars::Task<int> {
        co_await catalog->co_ping();
        co_return 1;
    };
    EXPECT_EQ(ping(catalog).get(), 1);
}

TEST_P(ProxyTest, AnUnknownServantFailsTheCallWithItsCode) {
    auto wrong = communicator.stringToProxy<Shop::CatalogPrx>("Test.ProxyServer.NoSuchObj@tcp -h 127.0.0.1 -p " +
                                                              std::to_string(catalogServer->port()));
    wrong->tars_set_version(GetParam());
    try {
        wrong->ping();
        FAIL() << "ping on a servant the server does not have succeeded";
    } catch (const tars::TarsCallException& e) {
        EXPECT_EQ(e.getErrCode(), tars::TARSSERVERNOSERVANTERR);
    }
    try {
        wrong->promise_async_count().get();
        FAIL() << "count on a servant the server does not have succeeded";
    } catch (const tars::TarsCallException& e) {
        EXPECT_EQ(e.getErrCode(), tars::TARSSERVERNOSERVANTERR);
    }
}

TEST_P(ProxyTest, ParametersNamedLikeGeneratedNamesKeepTheirValues) {
    const auto server = LoopbackServer::start<AwkwardImp>(kAwkward);
    auto awkward = communicator.stringToProxy<Shop::AwkwardPrx>(server->objectName());
    awkward->tars_set_version(GetParam());

    std::string ret, rsp, promise, ptr, e, rspContext, responseContext;
    std::map<std::string, std::string> returnedContext;
    EXPECT_EQ(awkward->proxyNames("c", "cb", "m", "en", "de", ret, rsp, promise, ptr, e, rspContext, responseContext,
                                  {}, &returnedContext),
              "c|cb|m|en|de");
    EXPECT_EQ(ret + rsp + promise + ptr + e + rspContext + responseContext, "1234567");
    EXPECT_EQ(returnedContext, (std::map<std::string, std::string>{{"echo", "c"}}));

    // The promise's result members keep the IDL names; its own take the next free name.
    const auto result = awkward->promise_async_proxyNames("C", "CB", "M", "EN", "DE").get();
    EXPECT_EQ(result->_ret1, "C|CB|M|EN|DE");
    EXPECT_EQ(result->ret, "1");
    EXPECT_EQ(result->_mRspContext, "6");
    EXPECT_EQ(result->_mRspContext1, (std::map<std::string, std::string>{{"echo", "C"}}));
}

INSTANTIATE_TEST_SUITE_P(Versions, ProxyTest, ::testing::Values(tars::TARSVERSION, tars::TUPVERSION, tars::JSONVERSION),
                         versionName);

}  // namespace
}  // namespace tars2cpp::test
