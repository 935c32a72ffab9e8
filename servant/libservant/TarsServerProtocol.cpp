// The TARS protocol of a server adapter (`protocol=tars`, the default): length-prefixed
// RequestPackets in any version (TARS binary, TUP, JSON), dispatched to the servant's
// onDispatch, answered by request id as soon as each reply is ready (TarsProtocol.h has
// the framing and the reply encoding).
#include "BaseF.h"
#include "internal/Dyeing.h"
#include "internal/NetThread.h"
#include "internal/RequestQueue.h"
#include "internal/StatCollector.h"
#include "internal/Tracing.h"
#include "internal/ServerProtocol.h"
#include "servant/BindAdapter.h"
#include "servant/CallContext.h"
#include "servant/Current.h"
#include "servant/Servant.h"
#include "servant/ServerConfig.h"
#include "servant/SetDivision.h"
#include "servant/TarsProtocol.h"
#include "util/tc_logger.h"
#include "util/tc_timeprovider.h"

namespace tars {

namespace {

// onDispatch's buffer keeps its capacity up to this size between requests.
constexpr size_t kMaxKeptResponse = 1024 * 1024;

// Bytes of the reply being encoded on this thread (copied into the network thread's inbox).
thread_local std::string t_replyBuffer;

// Counts one answered (or one-way) call in the adapter's served-call statistics. doneUs:
// when the servant finished (steady clock), or 0 to read the clock here.
// Continues the request's trace in context; when it is sampled and spans are exported,
// the request's SERVER span starts (ended by the reply). sampledRoot: the request carries
// no status and the caller's tracing->sample() already said yes, so a new root starts.
void beginTrace(const Tracing* tracing, Current& current, CallContext& context, bool sampledRoot) {
    const RequestPacket& req = current.getRequest();
    std::array<uint8_t, 8> parent{};
    bool hasParent = false;
    if (sampledRoot) {
        context.trace = TraceContext::newRoot(true);
    } else if (!Tracing::continueServerCall(tracing, req, context.trace, parent, hasParent)) {
        return;
    }
    context.traced = true;
    if (!context.trace.sampled() || tracing == nullptr || !tracing->exporter()) return;
    TraceSpanPtr span = TraceSpan::make();
    SpanRecord& record = span->record;
    record.context = context.trace;
    record.parentSpanId = parent;
    record.hasParent = hasParent;
    record.kind = SpanRecord::Kind::Server;
    record.servant = req.sServantName;
    record.method = req.sFuncName;
    const ConnectionState& conn = *current.connection();
    record.peerHost = conn.ip;
    record.peerPort = conn.port;
    record.startUnixNs = Tracing::nowUnixNs();
    span->exporter = tracing->exporter();
    current.setTraceSpan(std::move(span));
}

void recordServed(const Current& current, int iRet, int64_t doneUs) {
    BindAdapter* adapter = current.getBindAdapter();
    StatCollector* stats = adapter != nullptr ? adapter->servedStats() : nullptr;
    if (stats == nullptr) return;
    StatCollector::Outcome outcome = StatCollector::Outcome::Success;
    if (current.isOneway()) {
        outcome = StatCollector::Outcome::OneWay;
    } else if (iRet == TARSSERVERQUEUETIMEOUT) {
        outcome = StatCollector::Outcome::Timeout;
    } else if (iRet != TARSSERVERSUCCESS) {
        outcome = StatCollector::Outcome::Exception;
    }
    if (doneUs == 0) doneUs = TC_TimeProvider::steadyNowUs();
    int64_t elapsedMs = (doneUs - current.getRecvTimeUs()) / 1000;
    stats->record(current.getIp(), current.getRequest().sFuncName, adapter->statIp(), adapter->getEndpoint().getPort(),
                  iRet, outcome, elapsedMs);
}

// checkset (TARS-FACTS 1.7): a set call (0x80) to a server in a set is answered -11 and
// counted unless SetDivision::acceptsCaller holds for its STATUS_SETNAME_VALUE.
bool checkSet(Current& current, AdapterStats& stats) {
    const RequestPacket& req = current.getRequest();
    auto it = req.status.find(SetDivision::kStatusKey);
    if (it != req.status.end() && SetDivision::acceptsCaller(ServerConfig::SetDivision, it->second)) return true;
    stats.refusedInvalidSet.fetch_add(1, std::memory_order_relaxed);
    std::string caller = it == req.status.end() ? "no " + std::string(SetDivision::kStatusKey) : "set " + it->second;
    std::string why = "invalid set call: " + caller + " may not call server set " + ServerConfig::SetDivision;
    TLOGERROR("[servant] " << req.sServantName << "." << req.sFuncName << " id " << req.iRequestId << " from "
                           << current.getIp() << ":" << current.getPort() << ": " << why << ": answered -11"
                           << std::endl);
    current.sendResponse(TARSINVOKEBYINVALIDESET, {}, {}, why);
    return false;
}

class TarsServerProtocol final : public ServerProtocol {
public:
    TarsServerProtocol() : ServerProtocol("tars") {}

    PACKET_TYPE parse(const BindAdapter& adapter, TC_NetWorkBuffer& in, std::vector<char>& out) const override {
        return TarsProtocol::parse(in, out, adapter.getMaxPacketSize());
    }
    bool ordersReplies() const override { return false; }
    bool notifiesClose() const override { return false; }
    Refusal refuse(const std::vector<char>& packet, AdapterStats& stats) const override;
    void dispatch(DispatchContext& dc, RecvContext& ctx, bool fromQueue) const override;
    bool sendResponse(Current& current, int iRet, const std::vector<char>& buffer,
                      const std::map<std::string, std::string>& status, const std::string& resultDesc) const override;

private:
    // sendResponse with the time the servant finished (0: not known, read the clock).
    bool reply(Current& current, int iRet, const std::vector<char>& buffer,
               const std::map<std::string, std::string>& status, const std::string& resultDesc, int64_t doneUs) const;
};

ServerProtocol::Refusal TarsServerProtocol::refuse(const std::vector<char>& packet, AdapterStats& stats) const {
    Refusal refusal;
    RequestPacket req;
    try {
        TarsProtocol::decodeRequest(packet.data(), packet.size(), req);
    } catch (const std::exception&) {
        stats.closedBadPacket.fetch_add(1, std::memory_order_relaxed);
        refusal.badPacket = true;
        return refusal;
    }
    stats.requests.fetch_add(1, std::memory_order_relaxed);
    stats.countResult(TARSSERVEROVERLOAD);
    if (req.cPacketType == TARSONEWAY) {
        stats.oneway.fetch_add(1, std::memory_order_relaxed);
        return refusal;
    }
    stats.responses.fetch_add(1, std::memory_order_relaxed);
    refusal.reply = TarsProtocol::encodeResponse(req, TARSSERVEROVERLOAD, {}, {}, "server overload: queue full", {});
    return refusal;
}

void TarsServerProtocol::dispatch(DispatchContext& dc, RecvContext& ctx, bool fromQueue) const {
    BindAdapter& adapter = dc.adapter;
    AdapterStats& stats = adapter.stats();
    CurrentPtr current = Current::create(ctx.conn, 0, ctx.recvTimeUs);
    RequestPacket& req = current->mutableRequest();
    try {
        TarsProtocol::decodeRequest(ctx.buffer.data(), ctx.buffer.size(), req);
    } catch (const std::exception& e) {
        stats.closedBadPacket.fetch_add(1, std::memory_order_relaxed);
        if (uint64_t held = 0; adapter.badPacketLog().allow(held)) {
            TLOGERROR("[servant] " << adapter.getName() << ": undecodable RequestPacket from " << ctx.conn->ip << ":"
                                   << ctx.conn->port << ", closing: " << e.what() << TC_LogThrottle::heldText(held)
                                   << std::endl);
        }
        Current::post(ctx.conn, 0, std::string(), true);
        return;
    }
    stats.requests.fetch_add(1, std::memory_order_relaxed);
    if (req.cPacketType == TARSONEWAY) stats.oneway.fetch_add(1, std::memory_order_relaxed);

    int64_t startUs = TC_TimeProvider::steadyNowUs();
    int64_t waitedMs = (startUs - ctx.recvTimeUs) / 1000;
    stats.queueWait.record(startUs - ctx.recvTimeUs);
    const BindAdapter::Properties* properties = adapter.properties();
    if (properties != nullptr) properties->queueWaitTime->report(waitedMs);
    if (fromQueue && (waitedMs > adapter.getQueueTimeout() || (req.iTimeout > 0 && waitedMs > req.iTimeout))) {
        if (properties != nullptr) properties->timeoutNum->report(1);
        TLOGWARN("[servant] " << req.sServantName << "." << req.sFuncName << " id " << req.iRequestId << " waited "
                              << waitedMs << " ms in the queue: answered -6" << std::endl);
        current->sendResponse(TARSSERVERQUEUETIMEOUT, {}, {}, "queue timeout");
        return;
    }
    if (req.sServantName != adapter.getServant()) {
        current->sendResponse(TARSSERVERNOSERVANTERR, {}, {},
                              "no servant " + req.sServantName + " on adapter " + adapter.getName());
        return;
    }
    if (req.sFuncName == "tars_ping") {
        current->sendResponse(TARSSERVERSUCCESS);
        return;
    }
    if ((req.iMessageType & TARSMESSAGETYPESETNAME) != 0 && ServerConfig::IsCheckSet &&
        !ServerConfig::SetDivision.empty()) [[unlikely]] {
        if (!checkSet(*current, stats)) return;
    }

    int ret = TARSSERVERSUCCESS;
    std::string desc;
    std::vector<char>& response = dc.response;
    response.clear();
    // The request's deadline for the calls the servant makes (one-way requests have none:
    // nobody waits for them). Cleared when the dispatch returns; a reply sent earlier ends it.
    CallContext callContext;
    if (ServerConfig::PropagateDeadline && req.iTimeout > 0 && !current->isOneway()) {
        callContext.deadlineUs = ctx.recvTimeUs + static_cast<int64_t>(req.iTimeout) * 1000;
        callContext.answered = Current::answeredFlag(current);
    }
    // The request's trace (a traceparent or STATUS_TRACE_KEY received, or a root sampled
    // here when tracing is set) is current while it is handled.
    // A request without status (nearly all) is sampled here, inline: with tracing set, the
    // 99 % that are not sampled cost a draw and a branch, not two calls (docs/PERFORMANCE.md).
    const Tracing* tracing = Tracing::server();
    if (!req.status.empty()) [[unlikely]] {
        beginTrace(tracing, *current, callContext, false);
    } else if (tracing != nullptr && tracing->sample()) [[unlikely]] {
        beginTrace(tracing, *current, callContext, true);
    }
    // Dyeing: a request that came dyed, or that the tars.setdyeing rule matches.
    TC_Logger* dyeingLog = nullptr;
    Dyeing* dyeing = Dyeing::server();
    if (dyeing != nullptr && ((req.iMessageType & TARSMESSAGETYPEDYED) != 0 || dyeing->hasRule())) [[unlikely]] {
        if (dyeing->dyes(req.iMessageType, req.status, req.sServantName, req.sFuncName, callContext.dyeingKey)) {
            callContext.dyed = true;
            dyeingLog = dyeing->logger();
        }
    }
    current->beginDispatch();
    {
        std::lock_guard guard(dc.servantLock);
        CallContext::Scope scope(callContext.active() ? &callContext : nullptr);
        TC_Logger::TeeScope tee(dyeingLog);
        if (dyeingLog != nullptr) [[unlikely]] {
            TLOGDEBUG("[dyeing] " << req.sServantName << "." << req.sFuncName << " id " << req.iRequestId << " from "
                                  << current->getIp() << ":" << current->getPort() << " dyed, key '"
                                  << callContext.dyeingKey << "'" << std::endl);
        }
        try {
            ret = dc.servant.onDispatch(current, response);
        } catch (const TarsDecodeException& e) {
            ret = TARSSERVERDECODEERR;
            desc = e.what();
        } catch (const std::exception& e) {
            ret = TARSSERVERUNKNOWNERR;
            desc = e.what();
        } catch (...) {
            ret = TARSSERVERUNKNOWNERR;
            desc = "unknown exception";
        }
    }
    int64_t handledUs = TC_TimeProvider::steadyNowUs() - startUs;
    stats.handleTime.record(handledUs);
    if (properties != nullptr) properties->servantHandleTime->report(handledUs / 1000);
    if (ret != TARSSERVERSUCCESS && ret != TARSSERVERNOFUNCERR) {
        TLOGDEBUG("[servant] " << req.sServantName << "." << req.sFuncName << " id " << req.iRequestId << " answered "
                               << ret << (desc.empty() ? "" : ": ") << desc << std::endl);
    }
    const int64_t doneUs = startUs + handledUs;
    if (current->isOneway() && ret == TARSSERVERSUCCESS) recordServed(*current, ret, doneUs);
    if (current->isOneway() && current->hasTraceSpan()) current->takeTraceSpan()->finish(ret);
    if (current->isResponse()) {
        if (ret == TARSSERVERNOFUNCERR && desc.empty()) desc = "no function " + req.sFuncName;
        static const std::vector<char> kNoResult;
        reply(*current, ret, ret == TARSSERVERSUCCESS ? response : kNoResult, {}, desc, doneUs);
    }
    if (current->endDispatch()) Current::post(ctx.conn, 0, std::string(), true);
    // The generated encoder reuses this buffer's capacity; one large reply must not stay
    // pinned in the handle.
    if (response.capacity() > kMaxKeptResponse) std::vector<char>().swap(response);
}

bool TarsServerProtocol::sendResponse(Current& current, int iRet, const std::vector<char>& buffer,
                                      const std::map<std::string, std::string>& status,
                                      const std::string& resultDesc) const {
    return reply(current, iRet, buffer, status, resultDesc, 0);
}

bool TarsServerProtocol::reply(Current& current, int iRet, const std::vector<char>& buffer,
                               const std::map<std::string, std::string>& status, const std::string& resultDesc,
                               int64_t doneUs) const {
    if (current.isOneway()) return true;
    current.markAnswered();
    if (current.hasTraceSpan()) [[unlikely]]
        current.takeTraceSpan()->finish(iRet);
    AdapterStats& stats = current.getBindAdapter()->stats();
    stats.countResult(iRet);
    recordServed(current, iRet, doneUs);
    stats.responses.fetch_add(1, std::memory_order_relaxed);
    std::string& bytes = t_replyBuffer;
    TarsProtocol::encodeResponse(bytes, current.getRequest(), iRet, buffer, status, resultDesc,
                                 current.getResponseContext());
    if (bytes.size() >= NetThread::kMoveThreshold)
        return Current::post(current.connection(), 0, std::move(bytes), false);
    return Current::post(current.connection(), 0, std::string_view(bytes), false);
}

}  // namespace

ServerProtocolPtr tarsServerProtocol() {
    static const ServerProtocolPtr protocol = std::make_shared<TarsServerProtocol>();
    return protocol;
}

}  // namespace tars
