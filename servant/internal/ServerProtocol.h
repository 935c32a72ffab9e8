// ServerProtocol: everything an adapter's protocol decides, behind one interface, so that
// the event loop (NetThread), the handles (ServantHandle) and Current never ask which
// protocol they serve. A protocol owns:
//   - framing: cutting packets out of a connection's bytes (ProtocolParser's contract);
//   - reply order: whether replies leave in request order (each request then gets a
//     sequence number) or as they come (TARS: by request id);
//   - dispatch: decoding a packet, the queue-timeout answer, calling the servant, the reply;
//   - the overload answer when a request finds the adapter's queue full;
//   - close handling: whether the servant hears of closed connections (doClose).
// One class per protocol, each in its own file: TarsServerProtocol (TARS, TUP and JSON
// packets), HttpServerProtocol, CustomServerProtocol (a user's ProtocolParser, the push
// pattern). Adding a protocol is one more class and one more name in makeServerProtocol();
// no event-loop file changes. Bytes reach the protocol through the connection's transport
// (Transport.h), so TLS plugs in below this interface and protocols never see it.
//
// Ownership: an adapter holds its protocol in a shared_ptr<const ServerProtocol> set
// before the server starts. Protocols are immutable, so one object may serve every
// connection of every thread at once; every method is const and thread-safe.
// Errors: parse() returns PACKET_ERR for bytes that can never be a packet (the connection
// is closed and counted); dispatch() never throws (a servant's exception becomes the
// protocol's error answer).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "servant/ProtocolParser.h"

namespace tars {

struct AdapterStats;
class BindAdapter;
class Current;
class Servant;
struct RecvContext;

// What a handle lends the protocol for one packet.
struct DispatchContext {
    BindAdapter& adapter;
    Servant& servant;
    std::mutex& servantLock;      // held around every call into the servant (admin commands take it too)
    std::vector<char>& response;  // a reply buffer the handle reuses from request to request
};

class ServerProtocol {
public:
    // What a request that found the adapter's queue full gets.
    struct Refusal {
        std::string reply;       // bytes for the connection (empty: none)
        bool close = false;      // close the connection once the earlier replies are out
        bool badPacket = false;  // the packet was malformed: close, counted as a bad packet
    };

    explicit ServerProtocol(std::string name) : _name(std::move(name)) {}
    virtual ~ServerProtocol() = default;
    ServerProtocol(const ServerProtocol&) = delete;
    ServerProtocol& operator=(const ServerProtocol&) = delete;

    // The adapter's `protocol` value ("tars", "http", or the custom protocol's name).
    const std::string& name() const { return _name; }

    // ---- on the network thread
    // ProtocolParser's contract (ProtocolParser.h); adapter gives the limits it applies.
    virtual PACKET_TYPE parse(const BindAdapter& adapter, TC_NetWorkBuffer& in, std::vector<char>& out) const = 0;
    // True: replies leave in the order their requests came (HTTP pipelining, custom
    // protocols without ids); false: each as soon as it is ready.
    virtual bool ordersReplies() const = 0;
    // True: the servant's doClose() hears of every connection that closes.
    virtual bool notifiesClose() const = 0;
    // The answer to packet, which found the adapter's queue full. Counts it in stats.
    virtual Refusal refuse(const std::vector<char>& packet, AdapterStats& stats) const = 0;

    // ---- on a handle thread (the network thread in merge mode)
    // Serves one packet: decode, answer a request that waited past the queue timeout,
    // call the servant under dc.servantLock, send the reply. fromQueue: it waited in the
    // adapter's queue (the queue timeout applies).
    virtual void dispatch(DispatchContext& dc, RecvContext& ctx, bool fromQueue) const = 0;
    // The connection of ctx closed (only when notifiesClose()): the servant's doClose().
    void dispatchClose(DispatchContext& dc, RecvContext& ctx) const;

    // ---- from any thread: Current::sendResponse(iRet, ...) of a request of this protocol.
    // Sends the protocol's reply with that result; false when it was not sent (the
    // connection is gone, or the protocol has no such reply: the default, which logs it).
    virtual bool sendResponse(Current& current, int iRet, const std::vector<char>& buffer,
                              const std::map<std::string, std::string>& status, const std::string& resultDesc) const;

private:
    std::string _name;
};

using ServerProtocolPtr = std::shared_ptr<const ServerProtocol>;

// The protocols. TARS and HTTP are stateless (one shared object each).
ServerProtocolPtr tarsServerProtocol();
ServerProtocolPtr httpServerProtocol();
ServerProtocolPtr makeCustomServerProtocol(std::string name, ProtocolParser parser);
// By the adapter's `protocol` value, lower case: "tars" (or empty) and "http"; nullptr for any other
// name, whose parser must come from Application::addServantProtocol().
ServerProtocolPtr makeServerProtocol(const std::string& name);

}  // namespace tars
