// TestServer: the server the integration tests start. Its servants are written by hand in
// the shape tars2cpp will generate, with functions that let a test provoke each behaviour:
//
//   TestApp.TestServer.EchoObj (tars):  echo(s) -> s, sleepMs(ms) -> ms, throwStd(what),
//       asyncEcho(s) -> s (answered later from another thread), getContext(key) -> value
//       (+ response context), closeMe() -> 0 then the connection closes, bigReply(n) -> n
//       bytes, started() -> number of sleepMs calls begun.
//   TestApp.TestServer.Echo2Obj (tars): the same servant as EchoObj under another name, for
//       tests that need two TARS objects.
//   TestApp.TestServer.HttpObj (http):  answers "hello" on /hello, "slept" 300 ms after
//                                       /sleep, /text/N and /png/N (N bytes of text or
//                                       of "image/png"), echoes the body otherwise.
//   TestApp.TestServer.LineObj (custom "line" protocol, lines ending in \n): "sub" subscribes
//       to pushes (a line "push <n>" every /tars/application/test<pushms> ms), anything else
//       is echoed back.
// Admin commands: test.app (normal, application), test.pre (prefix, application),
// test.servant (normal, per EchoObj instance), test.break (normal, returns false).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "servant/Application.h"
#include "servant/HttpProtocol.h"
#include "tup/Tars.h"
#include "tup/TarsJson.h"
#include "tup/TarsUniAttribute.h"
#include "util/tc_common.h"
#include "util/tc_thread_queue.h"

using namespace tars;

namespace {

std::atomic<int> g_sleepStarted{0};

// Arguments and results in the request's version, as generated code does inline.
class Call {
public:
    explicit Call(const CurrentPtr& current) : _current(current), _version(current->getRequestVersion()) {
        const std::vector<char>& in = current->getRequestBuffer();
        if (isTup()) {
            _in.setVersion(_version);
            _in.decode(in);
            _out.setVersion(_version);
        } else if (_version == JSONVERSION) {
            _json = JsonInput::parse(std::string(in.begin(), in.end()));
        } else {
            _is.setBuffer(in);
        }
    }
    bool isTup() const { return _version == TUPVERSION || _version == TUP_VERSION_COMPLEX; }

    template <typename T>
    void arg(int tag, const char* name, T& value) {
        if (isTup()) {
            _in.get(name, value);
        } else if (_version == JSONVERSION) {
            JsonInput::readField(value, _json, name, true);
        } else {
            _is.read(value, static_cast<uint8_t>(tag), true);
        }
    }
    template <typename T>
    void ret(const T& value) {
        if (isTup()) {
            _out.put("", value);
            _out.put("tars_ret", value);
        } else if (_version == JSONVERSION) {
            _jsonOut["tars_ret"] = JsonOutput::writeJson(value);
        } else {
            _os.write(value, 0);
        }
    }
    void encode(std::vector<char>& buffer) {
        if (isTup()) {
            _out.encode(buffer);
        } else if (_version == JSONVERSION) {
            std::string text = JsonOutput::toString(_jsonOut);
            buffer.assign(text.begin(), text.end());
        } else {
            _os.swap(buffer);
        }
    }

private:
    CurrentPtr _current;
    short _version;
    UniAttribute _in;
    UniAttribute _out;
    JsonValue _json;
    JsonValue _jsonOut = JsonValue::object();
    TarsInputStream<BufferReader> _is;
    TarsOutputStream<BufferWriterVector> _os;
};

// Answers asyncEcho calls a few milliseconds later from its own thread.
class AsyncResponder {
public:
    void start() {
        _thread = std::thread([this] {
            std::pair<CurrentPtr, std::string> job;
            while (_queue.pop_front(job, TC_ThreadQueue<int>::kWaitForever) || !_queue.isTerminate()) {
                if (!job.first) continue;
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
                Call call(job.first);
                call.ret(job.second);
                std::vector<char> buffer;
                call.encode(buffer);
                job.first->sendResponse(TARSSERVERSUCCESS, buffer);
                job.first.reset();
            }
        });
    }
    void stop() {
        _queue.terminate();
        if (_thread.joinable()) _thread.join();
    }
    void post(CurrentPtr current, std::string value) { _queue.push_back({std::move(current), std::move(value)}); }

private:
    TC_ThreadQueue<std::pair<CurrentPtr, std::string>> _queue;
    std::thread _thread;
};

AsyncResponder g_responder;

class EchoServant : public Servant {
public:
    void initialize() override {
        static std::atomic<int> instances{0};
        _instance = ++instances;
        TARS_ADD_ADMIN_CMD_NORMAL("test.servant", EchoServant::cmdServant);
    }

    bool cmdServant(const std::string&, const std::string& params, std::string& result) {
        result = "servant " + std::to_string(_instance) + " params=" + params;
        return true;
    }

    int onDispatch(CurrentPtr current, std::vector<char>& response) override {
        const std::string& func = current->getFuncName();
        Call call(current);
        if (func == "echo") {
            std::string s;
            call.arg(1, "s", s);
            call.ret(s);
        } else if (func == "sleepMs") {
            Int32 ms = 0;
            call.arg(1, "ms", ms);
            ++g_sleepStarted;
            std::this_thread::sleep_for(std::chrono::milliseconds(ms));
            call.ret(ms);
        } else if (func == "started") {
            call.ret(Int32(g_sleepStarted.load()));
        } else if (func == "throwStd") {
            std::string what;
            call.arg(1, "what", what);
            throw std::runtime_error(what);
        } else if (func == "asyncEcho") {
            std::string s;
            call.arg(1, "s", s);
            current->setResponse(false);
            g_responder.post(current, s);
            return TARSSERVERSUCCESS;
        } else if (func == "getContext") {
            std::string key;
            call.arg(1, "key", key);
            auto it = current->getContext().find(key);
            call.ret(it == current->getContext().end() ? std::string() : it->second);
            current->setResponseContext({{"srv-echo-key", key}});
        } else if (func == "closeMe") {
            current->close();
            call.ret(Int32(0));
        } else if (func == "bigReply") {
            Int32 n = 0;
            call.arg(1, "n", n);
            call.ret(std::string(static_cast<size_t>(n), 'x'));
        } else {
            return TARSSERVERNOFUNCERR;
        }
        call.encode(response);
        return TARSSERVERSUCCESS;
    }

private:
    int _instance = 0;
};

class HttpServant : public Servant {
public:
    int doRequest(CurrentPtr current, std::vector<char>& response) override {
        HttpRequest request;
        HttpResponse reply;
        if (!request.decode(current->getRequestBuffer())) {
            reply.setStatus(400);
        } else if (request.getPath() == "/hello") {
            reply.setContent("hello");
        } else if (request.getPath() == "/sleep") {  // holds the handle thread 300 ms
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            reply.setContent("slept");
        } else if (request.getPath().rfind("/text/", 0) == 0 || request.getPath().rfind("/png/", 0) == 0) {
            // /text/N: N bytes of text/plain; /png/N: N bytes labelled image/png.
            bool text = request.getPath()[1] == 't';
            size_t n = std::stoul(request.getPath().substr(text ? 6 : 5));
            std::string body;
            for (size_t line = 0; body.size() < n; ++line) body += "line " + std::to_string(line) + " of the reply\n";
            body.resize(n);
            reply.setHeader("Content-Type", text ? "text/plain; charset=utf-8" : "image/png");
            reply.setHeader("ETag", "\"v1\"");
            reply.setContent(body);
        } else {
            reply.setHeader("X-Method", request.getMethod());
            reply.setContent(request.getContent());
        }
        if (!request.isKeepAlive()) {
            reply.setHeader("Connection", "close");
            current->close();
        }
        reply.encode(response);
        return 0;
    }
};

// Lines ending in \n, at most 4 KiB.
PACKET_TYPE parseLine(TC_NetWorkBuffer& in, std::vector<char>& out) {
    size_t n = std::min<size_t>(in.getBufferLength(), 4096);
    std::string_view head = in.peek(n);
    size_t eol = head.find('\n');
    if (eol == std::string_view::npos) return n >= 4096 ? PACKET_ERR : PACKET_LESS;
    out.assign(head.begin(), head.begin() + static_cast<long>(eol));
    in.moveHeader(eol + 1);
    return PACKET_FULL;
}

// Subscribers of LineObj, shared by every LineServant instance and the push thread.
class Subscribers {
public:
    void add(const CurrentPtr& c) {
        std::lock_guard lock(_mutex);
        _subs[c->getUId()] = c;
    }
    void remove(uint64_t uid) {
        std::lock_guard lock(_mutex);
        _subs.erase(uid);
    }
    size_t size() {
        std::lock_guard lock(_mutex);
        return _subs.size();
    }
    void pushAll(const std::string& line) {
        std::map<uint64_t, CurrentPtr> copy;
        {
            std::lock_guard lock(_mutex);
            copy = _subs;
        }
        for (auto& [uid, c] : copy) {
            if (!c->sendResponse(line)) remove(uid);
        }
    }
    void clear() {
        std::lock_guard lock(_mutex);
        _subs.clear();
    }

private:
    std::mutex _mutex;
    std::map<uint64_t, CurrentPtr> _subs;
};

Subscribers g_subscribers;

class LineServant : public Servant {
public:
    int doRequest(CurrentPtr current, std::vector<char>& response) override {
        std::string line(current->getRequestBuffer().begin(), current->getRequestBuffer().end());
        if (line == "sub") {
            g_subscribers.add(current);
            line = "subscribed " + std::to_string(g_subscribers.size());
        } else if (line == "subs") {
            line = "subs " + std::to_string(g_subscribers.size());
        }
        line += "\n";
        response.assign(line.begin(), line.end());
        return 0;
    }
    void doClose(CurrentPtr current) override { g_subscribers.remove(current->getUId()); }
};

class TestServerApp : public Application {
public:
    void initialize() override {
        const std::string prefix = ServerConfig::Application + "." + ServerConfig::ServerName + ".";
        auto served = [&](const std::string& name) { return getEpollServer()->getAdapterByServant(prefix + name); };
        if (served("EchoObj")) addServant<EchoServant>(prefix + "EchoObj");
        if (served("Echo2Obj")) addServant<EchoServant>(prefix + "Echo2Obj");
        if (served("HttpObj")) addServant<HttpServant>(prefix + "HttpObj");
        if (served("LineObj")) {
            addServant<LineServant>(prefix + "LineObj");
            addServantProtocol(prefix + "LineObj", &parseLine);
        }
        TARS_ADD_ADMIN_CMD_NORMAL("test.app", TestServerApp::cmdApp);
        TARS_ADD_ADMIN_CMD_PREFIX("test.pre", TestServerApp::cmdPrefix);
        TARS_ADD_ADMIN_CMD_NORMAL("test.break", TestServerApp::cmdBreak);
        TARS_ADD_ADMIN_CMD_NORMAL("test.break", TestServerApp::cmdApp);
        g_responder.start();
        int pushMs = TC_Common::strto<int>(getConfig().get("/tars/application/test<pushms>", "100"));
        _pusher = std::thread([this, pushMs] {
            int n = 0;
            std::unique_lock lock(_mutex);
            while (!_stop) {
                _cond.wait_for(lock, std::chrono::milliseconds(pushMs));
                if (_stop) break;
                lock.unlock();
                g_subscribers.pushAll("push " + std::to_string(++n) + "\n");
                lock.lock();
            }
        });
    }
    void destroyApp() override {
        {
            std::lock_guard lock(_mutex);
            _stop = true;
        }
        _cond.notify_all();
        if (_pusher.joinable()) _pusher.join();
        g_responder.stop();
        g_subscribers.clear();
    }

    bool cmdApp(const std::string& command, const std::string& params, std::string& result) {
        result = "app " + command + " params=" + params;
        return true;
    }
    bool cmdPrefix(const std::string& command, const std::string&, std::string& result) {
        result = "prefix saw " + command;
        return true;
    }
    bool cmdBreak(const std::string&, const std::string&, std::string& result) {
        result = "stop here";
        return false;
    }

private:
    std::thread _pusher;
    std::mutex _mutex;
    std::condition_variable _cond;
    bool _stop = false;
};

TestServerApp g_app;

}  // namespace

int main(int argc, char* argv[]) {
    g_app.main(argc, argv);
    g_app.waitForShutdown();
    return 0;
}
