// PushClient: registers with PushServer and prints the pushes it receives, through the
// client runtime with a protocol of its own:
//   - tars_set_protocol: requests are framed with push::frame, replies cut by the same
//     framing; "PUSH ..." messages carry no call (request id 0: a push), anything else
//     answers the oldest call waiting on the connection (the server answers in order);
//   - rpc_call: the REGISTER request, answered "OK <n clients>";
//   - tars_set_push_callback: the pushes, on a callback thread.
//
//   PushClient [port=20011] [count=3] [host=127.0.0.1] [--ssl-ca=FILE]
// --ssl-ca: the server's endpoint is ssl (TLS), its certificate signed by the CA in FILE.
// Exits 0 after `count` pushes, 1 on a call error or after 60 s without them.
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <string>
#include <vector>
#include <string>

#include "PushProtocol.h"
#include "servant/Communicator.h"

namespace {

// The client side of the push protocol.
tars::ProxyProtocol pushProtocol() {
    tars::ProxyProtocol protocol;
    protocol.requestFunc = [](const tars::RequestPacket& request) {
        return push::frame(std::string(request.sBuffer.begin(), request.sBuffer.end()));
    };
    protocol.responseFunc = [](tars::TC_NetWorkBuffer& in, tars::ResponsePacket& rsp) {
        std::vector<char> payload;
        switch (push::parse(in, payload)) {
            case tars::PACKET_LESS: return tars::ProxyProtocol::PACKET_LESS;
            case tars::PACKET_ERR: return tars::ProxyProtocol::PACKET_ERR;
            default: break;
        }
        const bool isPush = std::string_view(payload.data(), payload.size()).starts_with("PUSH ");
        rsp.iRequestId = isPush ? 0 : tars::ProxyProtocol::kOldestCall;
        rsp.sBuffer = std::move(payload);
        return tars::ProxyProtocol::PACKET_FULL;
    };
    return protocol;
}

// Counts and prints the pushes; the main thread waits for `wanted` of them.
class PushCallback : public tars::ServantProxyCallback {
public:
    int onDispatch(tars::ReqMessagePtr msg) override {
        std::lock_guard lock(_mutex);
        std::cout << std::string(msg->response.sBuffer.begin(), msg->response.sBuffer.end()) << std::endl;
        ++_pushes;
        _changed.notify_all();
        return 0;
    }

    bool waitFor(int wanted, std::chrono::seconds timeout) {
        std::unique_lock lock(_mutex);
        return _changed.wait_for(lock, timeout, [&] { return _pushes >= wanted; });
    }

private:
    std::mutex _mutex;
    std::condition_variable _changed;
    int _pushes = 0;
};

}  // namespace

int main(int argc, char* argv[]) {
    std::vector<std::string> args;
    std::string sslCa;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg.starts_with("--ssl-ca=")) {
            sslCa = arg.substr(9);
        } else {
            args.push_back(arg);
        }
    }
    const int port = args.size() > 0 ? std::atoi(args[0].c_str()) : 20011;
    const int count = args.size() > 1 ? std::atoi(args[1].c_str()) : 3;
    const std::string host = args.size() > 2 ? args[2] : "127.0.0.1";
    try {
        tars::Communicator comm;
        if (!sslCa.empty()) comm.setProperty("ca", sslCa);
        auto prx = comm.stringToProxy<tars::ServantProxy>("TestApp.PushServer.PushObj@" +
                                                          std::string(sslCa.empty() ? "tcp" : "ssl") + " -h " + host +
                                                          " -p " + std::to_string(port));
        // Both before the first call: the network thread reads them once.
        prx->tars_set_protocol(pushProtocol());
        auto pushes = std::make_shared<PushCallback>();
        prx->tars_set_push_callback(pushes);

        const std::string hello = "REGISTER";
        tars::ResponsePacket rsp;
        prx->rpc_call(prx->tars_gen_requestid(), "REGISTER", hello.data(), static_cast<uint32_t>(hello.size()), rsp);
        std::cout << std::string(rsp.sBuffer.begin(), rsp.sBuffer.end()) << std::endl;

        if (!pushes->waitFor(count, std::chrono::seconds(60))) {
            std::cerr << "timed out waiting for " << count << " pushes" << std::endl;
            return 1;
        }
        return 0;
    } catch (const std::exception& e) {
        std::cerr << e.what() << std::endl;
        return 1;
    }
}
