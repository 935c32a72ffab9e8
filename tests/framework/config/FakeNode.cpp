#include "FakeNode.h"

#include <chrono>

#include "NodeF.h"
#include "servant/BindAdapter.h"

namespace tars::test {

namespace {

class RecordingServerF : public ServerF {
public:
    explicit RecordingServerF(std::shared_ptr<FakeNode::Recorder> recorder) : _recorder(std::move(recorder)) {}

    Int32 keepAlive(const ServerInfo& info, CurrentPtr) override {
        _recorder->add(fromInfo("keepAlive", info));
        return 0;
    }
    Int32 keepActiving(const ServerInfo& info, CurrentPtr) override {
        _recorder->add(fromInfo("keepActiving", info));
        return 0;
    }
    Int32 reportVersion(const std::string& app, const std::string& server, const std::string& version,
                        CurrentPtr) override {
        NodeCall call;
        call.method = "reportVersion";
        call.application = app;
        call.serverName = server;
        call.version = version;
        _recorder->add(std::move(call));
        return 0;
    }
    UInt32 getLatestKeepAliveTime(CurrentPtr) override { return 0; }  // servers never call it

private:
    static NodeCall fromInfo(const char* method, const ServerInfo& info) {
        NodeCall call;
        call.method = method;
        call.application = info.application;
        call.serverName = info.serverName;
        call.pid = info.pid;
        call.adapter = info.adapter;
        return call;
    }

    std::shared_ptr<FakeNode::Recorder> _recorder;
};

}  // namespace

void FakeNode::Recorder::add(NodeCall call) {
    call.atMs = nowMs();
    {
        std::lock_guard lock(mutex);
        calls.push_back(std::move(call));
    }
    changed.notify_all();
}

FakeNode::FakeNode() : _recorder(std::make_shared<Recorder>()), _server(std::make_unique<TC_EpollServer>(1)) {
    TC_Endpoint endpoint("tcp -h 127.0.0.1 -p " + std::to_string(_port.port()) + " -t 60000");
    auto adapter = std::make_shared<BindAdapter>("tars.tarsnode.ServerObjAdapter", endpoint, "tars.tarsnode.ServerObj");
    adapter->setHandleNum(1);
    auto recorder = _recorder;
    adapter->setServantFactory([recorder] { return std::make_shared<RecordingServerF>(recorder); });
    _server->addAdapter(adapter);
    _server->start();
}

FakeNode::~FakeNode() { _server->stop(1000); }

std::string FakeNode::objectString() const {
    return "tars.tarsnode.ServerObj@tcp -h 127.0.0.1 -p " + std::to_string(_port.port()) + " -t 60000";
}

std::vector<NodeCall> FakeNode::calls() const {
    std::lock_guard lock(_recorder->mutex);
    return _recorder->calls;
}

bool FakeNode::waitFor(const std::function<bool(const std::vector<NodeCall>&)>& pred, int timeoutMs) const {
    std::unique_lock lock(_recorder->mutex);
    return _recorder->changed.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                                       [&] { return pred(_recorder->calls); });
}

}  // namespace tars::test
