// PushServer: pushes a message every few seconds to every registered client, over the small
// protocol of PushProtocol.h, and forgets clients whose connection closed.
//
// The push pattern: doRequest() keeps the Current of a client that registers; a thread of
// the application sends to every kept Current; doClose() (and a failed send) drops it.
// A Current stays valid after its request returned and may be used from any thread.
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "PushProtocol.h"
#include "servant/Application.h"
#include "util/tc_common.h"
#include "util/tc_logger.h"

namespace {

// The registered clients, shared by every servant instance and the push thread.
class Clients {
public:
    size_t add(const tars::CurrentPtr& current) {
        std::lock_guard lock(_mutex);
        _clients[current->getUId()] = current;
        return _clients.size();
    }
    void remove(uint64_t uid) {
        std::lock_guard lock(_mutex);
        if (_clients.erase(uid) > 0) TLOGDEBUG("push: forgot client " << uid << std::endl);
    }
    std::map<uint64_t, tars::CurrentPtr> snapshot() {
        std::lock_guard lock(_mutex);
        return _clients;
    }
    void clear() {
        std::lock_guard lock(_mutex);
        _clients.clear();
    }

private:
    std::mutex _mutex;
    std::map<uint64_t, tars::CurrentPtr> _clients;
};

Clients g_clients;

class PushServant : public tars::Servant {
public:
    int doRequest(tars::CurrentPtr current, std::vector<char>& response) override {
        std::string message(current->getRequestBuffer().begin(), current->getRequestBuffer().end());
        std::string reply;
        if (message == "REGISTER") {
            reply = "OK " + std::to_string(g_clients.add(current));
            TLOGDEBUG("push: client " << current->getIp() << ":" << current->getPort() << " registered" << std::endl);
        } else if (message == "PING") {
            reply = "PONG";
        } else {
            reply = "ERROR unknown message";
        }
        std::string framed = push::frame(reply);
        response.assign(framed.begin(), framed.end());
        return 0;
    }

    void doClose(tars::CurrentPtr current) override { g_clients.remove(current->getUId()); }
};

class PushServer : public tars::Application {
public:
    void initialize() override {
        std::string obj = tars::ServerConfig::Application + "." + tars::ServerConfig::ServerName + ".PushObj";
        addServant<PushServant>(obj);
        addServantProtocol(obj, &push::parse);
        _intervalMs = tars::TC_Common::strto<int>(getConfig().get("/tars/application/push<intervalms>", "3000"));
        _thread = std::thread([this] { pushLoop(); });
    }

    void destroyApp() override {
        {
            std::lock_guard lock(_mutex);
            _stop = true;
        }
        _cond.notify_all();
        if (_thread.joinable()) _thread.join();
        g_clients.clear();
    }

private:
    void pushLoop() {
        uint64_t seq = 0;
        std::unique_lock lock(_mutex);
        while (!_cond.wait_for(lock, std::chrono::milliseconds(_intervalMs), [this] { return _stop; })) {
            lock.unlock();
            std::string message = push::frame("PUSH " + std::to_string(++seq) + " " + tars::TC_Common::now2msstr());
            for (auto& [uid, current] : g_clients.snapshot()) {
                // false: the connection is gone (doClose may not have run yet).
                if (!current->sendResponse(message)) g_clients.remove(uid);
            }
            lock.lock();
        }
    }

    int _intervalMs = 3000;
    std::thread _thread;
    std::mutex _mutex;
    std::condition_variable _cond;
    bool _stop = false;
};

PushServer g_app;

}  // namespace

int main(int argc, char* argv[]) {
    g_app.main(argc, argv);
    g_app.waitForShutdown();
    return 0;
}
