// CustomServerProtocol: a protocol the framework does not decode. The adapter's parser
// (Application::addServantProtocol, the push pattern) cuts packets; the servant's
// doRequest() sees each whole packet and fills the reply, doClose() hears of closed
// connections. Replies leave in request order (the protocol has no request ids to match
// them by). A request that finds the queue full, or that waited past the queue timeout,
// gets the protocol's refusal (by default nothing) and the connection is closed: a
// protocol we do not know has no error reply, and its replies are ordered.
// HttpServerProtocol derives from it with its own parser and a 503 refusal.
#pragma once

#include <string>
#include <vector>

#include "internal/ServerProtocol.h"

namespace tars {

class CustomServerProtocol : public ServerProtocol {
public:
    // refusalReply: what a refused request gets before the connection closes ("" = nothing).
    CustomServerProtocol(std::string name, ProtocolParser parser, std::string refusalReply = "");

    PACKET_TYPE parse(const BindAdapter& adapter, TC_NetWorkBuffer& in, std::vector<char>& out) const override;
    bool ordersReplies() const override { return true; }
    bool notifiesClose() const override { return true; }
    Refusal refuse(const std::vector<char>& packet, AdapterStats& stats) const override;
    void dispatch(DispatchContext& dc, RecvContext& ctx, bool fromQueue) const override;

protected:
    // Called with each reply the servant filled (not empty), before it is sent; the HTTP
    // protocol compresses it there. On the handle thread; must not throw.
    virtual void finishReply(const Current& current, std::vector<char>& reply) const;

private:
    ProtocolParser _parser;
    std::string _refusalReply;
};

}  // namespace tars
