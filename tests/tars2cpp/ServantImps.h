// Implementations of the generated servants, written as a TARS user writes
// them (class XxxImp : public Xxx, methods marked override). They record what
// they received, so tests see the decoded arguments, and they answer at once
// or, when the request context has "async" = "1", later through
// async_response_<method>() on another thread.
#pragma once

#include "Servants.h"
#include "interop.h"

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace tars2cpp::test {

// Threads that answer later; the test joins them (joinLater()) before it ends.
inline std::mutex& laterMutex() {
    static std::mutex mutex;
    return mutex;
}
inline std::vector<std::thread>& laterThreads() {
    static std::vector<std::thread> threads;
    return threads;
}
inline std::atomic<int>& laterCount() {
    static std::atomic<int> count{0};
    return count;
}
inline void runLater(std::function<void()> task) {
    std::lock_guard lock(laterMutex());
    laterCount().fetch_add(1);
    laterThreads().emplace_back(std::move(task));
}
inline void joinLater() {
    std::vector<std::thread> threads;
    {
        std::lock_guard lock(laterMutex());
        threads.swap(laterThreads());
    }
    for (std::thread& thread : threads) thread.join();
}

inline bool answersLater(const tars::TarsCurrentPtr& current) {
    const auto found = current->getContext().find("async");
    return found != current->getContext().end() && found->second == "1";
}

// Test.Interop with the semantics tests/vectors/interop.tars describes.
class InteropImp : public ::Test::Interop {
public:
    std::string echo(const std::string& s, tars::TarsCurrentPtr current) override {
        if (answersLater(current)) {
            current->setResponse(false);
            runLater([current, s] { async_response_echo(current, s); });
            return std::string();
        }
        return s;
    }

    int add(int a, int b, tars::TarsCurrentPtr current) override {
        if (answersLater(current)) {
            current->setResponse(false);
            runLater([current, a, b] { async_response_add(current, a + b); });
            return 0;
        }
        return a + b;
    }

    int roundTrip(const ::Test::AllTypes& req, ::Test::AllTypes& rsp, tars::TarsCurrentPtr current) override {
        const int ret = static_cast<int>(req.bin.size() + req.vs.size() + req.msi.size());
        if (answersLater(current)) {
            current->setResponse(false);
            runLater([current, ret, req] { async_response_roundTrip(current, ret, req); });
            return 0;
        }
        rsp = req;
        return ret;
    }

    std::string getContext(const std::string& key, tars::TarsCurrentPtr current) override {
        const auto found = current->getContext().find(key);
        return found == current->getContext().end() ? std::string() : found->second;
    }

    int fail(int code, tars::TarsCurrentPtr current) override {
        current->setResponse(false);
        current->sendResponse(code, {}, {}, "fail requested");
        return 0;
    }
};

class CatalogImp : public Shop::Catalog {
public:
    void ping(tars::TarsCurrentPtr current) override {
        ++pings;
        if (answersLater(current)) {
            current->setResponse(false);
            runLater([current] { async_response_ping(current); });
        }
    }

    int count(tars::TarsCurrentPtr) override { return 42; }

    Shop::Item find(const std::string& name, bool& found, tars::TarsCurrentPtr current) override {
        Shop::Item item;
        item.name = name;
        if (name == "grid?") {  // name is the routekey: the proxy sent it as STATUS_GRID_KEY
            const auto& status = current->getRequestStatus();
            auto grid = status.find("STATUS_GRID_KEY");
            item.name = "grid=" + (grid == status.end() ? std::string("none") : grid->second);
        }
        item.price = 1LL << 40;
        item.tags = {"fresh", ""};
        item.status = Shop::BLOCKED;
        if (answersLater(current)) {
            current->setResponse(false);
            runLater([current, item] { async_response_find(current, item, true); });
            return Shop::Item();
        }
        found = name == "apple";
        return item;
    }

    tars::Int64 total(const std::vector<Shop::Item>& items, const std::map<std::string, tars::Int64>& extras,
                      std::map<std::string, Shop::Item>& byName, tars::Int64& sum,
                      tars::TarsCurrentPtr current) override {
        std::map<std::string, Shop::Item> names;
        tars::Int64 all = 0;
        for (const Shop::Item& item : items) {
            names[item.name] = item;
            all += item.price;
        }
        for (const auto& [name, extra] : extras) all += extra;
        const auto ret = static_cast<tars::Int64>(items.size());
        if (answersLater(current)) {
            current->setResponse(false);
            runLater([current, ret, names, all] { async_response_total(current, ret, names, all); });
            return 0;
        }
        byName = names;
        sum = all;
        return ret;
    }

    Shop::Status check(Shop::Status status, tars::Char level, tars::Short small, tars::UInt32 big, tars::Float ratio,
                       tars::Double precise, Shop::Status& previous, tars::TarsCurrentPtr current) override {
        seenLevel = level;
        seenSmall = small;
        seenBig = big;
        seenRatio = ratio;
        seenPrecise = precise;
        seenPrevious = previous;
        if (answersLater(current)) {
            current->setResponse(false);
            runLater([current, status] { async_response_check(current, Shop::BLOCKED, status); });
            return Shop::ACTIVE;
        }
        previous = status;
        return Shop::BLOCKED;
    }

    std::vector<tars::Char> digest(const std::vector<tars::Char>& data, std::vector<tars::Char>& copy,
                                   tars::UInt8& first, tars::TarsCurrentPtr current) override {
        const std::vector<tars::Char> reversed(data.rbegin(), data.rend());
        const tars::UInt8 head = data.empty() ? 0 : static_cast<tars::UInt8>(data.front());
        if (answersLater(current)) {
            current->setResponse(false);
            runLater([current, reversed, data, head] { async_response_digest(current, reversed, data, head); });
            return {};
        }
        copy = data;
        first = head;
        return reversed;
    }

    void store(const Shop::Item& item, std::vector<Shop::Item>& all, tars::TarsCurrentPtr current) override {
        stored.push_back(item);
        if (answersLater(current)) {
            current->setResponse(false);
            runLater([current, items = stored] { async_response_store(current, items); });
            return;
        }
        all = stored;
    }

    void clear(tars::Int32& removed, tars::TarsCurrentPtr current) override {
        const auto count = static_cast<tars::Int32>(stored.size());
        stored.clear();
        if (answersLater(current)) {
            current->setResponse(false);
            runLater([current, count] { async_response_clear(current, count); });
            return;
        }
        removed = count;
    }

    int pings = 0;
    tars::Char seenLevel = 0;
    tars::Short seenSmall = 0;
    tars::UInt32 seenBig = 0;
    tars::Float seenRatio = 0;
    tars::Double seenPrecise = 0;
    Shop::Status seenPrevious = Shop::ACTIVE;
    std::vector<Shop::Item> stored;
};

// Parameters named like the generated code's own names.
class AwkwardImp : public Shop::Awkward {
public:
    int current(int current, std::string& _current, tars::TarsCurrentPtr currentPtr) override {
        _current = currentPtr->getFuncName();
        return current + 1;
    }

    std::string attr(const std::string& attr, const std::string& _attr, const std::string& _os, const std::string& _is,
                     const std::string& _j, std::string& _ret, tars::TarsCurrentPtr) override {
        _ret = "out";
        return attr + _attr + _os + _is + _j;
    }

    void _version(tars::Int64 _version, tars::Int64& _sResponseBuffer, tars::Int64& _methods,
                  tars::TarsCurrentPtr) override {
        _sResponseBuffer = _version * 2;
        _methods = _version * 3;
    }

    // Answers with its inputs joined, "1".."7" in its outputs, and the context
    // argument as the response context "echo".
    std::string proxyNames(const std::string& context, const std::string& callback, const std::string& msg,
                           const std::string& _enc, const std::string& _dec, std::string& ret, std::string& _rsp,
                           std::string& _promise, std::string& _ptr, std::string& _e, std::string& _mRspContext,
                           std::string& pResponseContext, tars::TarsCurrentPtr current) override {
        current->setResponseContext({{"echo", context}});
        ret = "1";
        _rsp = "2";
        _promise = "3";
        _ptr = "4";
        _e = "5";
        _mRspContext = "6";
        pResponseContext = "7";
        return context + "|" + callback + "|" + msg + "|" + _enc + "|" + _dec;
    }

    tars::Int64 tars(tars::Int64 tars, tars::Int64 std, tars::Int64& _buffer, tars::Int64& _text, tars::Int64& _data,
                     tars::TarsCurrentPtr) override {
        _buffer = tars;
        _text = std;
        _data = tars + std;
        return tars * std;
    }

    int _encodeResult_current(tars::TarsCurrentPtr) override { return 7; }
};

class ControlImp : public Admin::Control {
public:
    Shop::Status setStatus(const std::string& user, Shop::Status status, tars::TarsCurrentPtr) override {
        users[user] = status;
        return Shop::ACTIVE;
    }

    std::map<tars::Int32, Shop::Item> nothing(tars::TarsCurrentPtr) override { return {}; }

    std::map<std::string, Shop::Status> users;
};

class EmptyImp : public Admin::Empty {};

}  // namespace tars2cpp::test
