#include "internal/CustomServerProtocol.h"

#include "BaseF.h"
#include "internal/NetThread.h"
#include "internal/RequestQueue.h"
#include "servant/BindAdapter.h"
#include "servant/Current.h"
#include "servant/Servant.h"
#include "util/tc_logger.h"
#include "util/tc_timeprovider.h"

namespace tars {

CustomServerProtocol::CustomServerProtocol(std::string name, ProtocolParser parser, std::string refusalReply)
    : ServerProtocol(std::move(name)), _parser(std::move(parser)), _refusalReply(std::move(refusalReply)) {}

PACKET_TYPE CustomServerProtocol::parse(const BindAdapter&, TC_NetWorkBuffer& in, std::vector<char>& out) const {
    return _parser(in, out);
}

ServerProtocol::Refusal CustomServerProtocol::refuse(const std::vector<char>&, AdapterStats& stats) const {
    stats.countResult(TARSSERVEROVERLOAD);
    stats.requests.fetch_add(1, std::memory_order_relaxed);
    Refusal refusal;
    refusal.reply = _refusalReply;
    refusal.close = true;
    return refusal;
}

void CustomServerProtocol::dispatch(DispatchContext& dc, RecvContext& ctx, bool fromQueue) const {
    BindAdapter& adapter = dc.adapter;
    AdapterStats& stats = adapter.stats();
    stats.requests.fetch_add(1, std::memory_order_relaxed);
    int64_t startUs = TC_TimeProvider::steadyNowUs();
    stats.queueWait.record(startUs - ctx.recvTimeUs);
    if (fromQueue && (startUs - ctx.recvTimeUs) / 1000 > adapter.getQueueTimeout()) {
        stats.countResult(TARSSERVERQUEUETIMEOUT);
        stats.closedByServer.fetch_add(1, std::memory_order_relaxed);
        TLOGWARN("[servant] " << adapter.getName() << ": packet from " << ctx.conn->ip << ":" << ctx.conn->port
                              << " timed out in the queue, closing the connection" << std::endl);
        Current::post(ctx.conn, ctx.seq, std::string(), true);
        return;
    }
    CurrentPtr current = Current::create(ctx.conn, ctx.seq, ctx.recvTimeUs);
    current->setRawRequest(std::move(ctx.buffer));
    std::vector<char> response;
    bool failed = false;
    current->beginDispatch();
    {
        std::lock_guard guard(dc.servantLock);
        try {
            int ret = dc.servant.doRequest(current, response);
            if (ret != 0) {
                TLOGDEBUG("[servant] " << adapter.getServant() << " doRequest returned " << ret << std::endl);
            }
        } catch (const std::exception& e) {
            failed = true;
            TLOGERROR("[servant] " << adapter.getServant() << " doRequest threw: " << e.what() << std::endl);
        } catch (...) {
            failed = true;
            TLOGERROR("[servant] " << adapter.getServant() << " doRequest threw" << std::endl);
        }
    }
    stats.handleTime.record(TC_TimeProvider::steadyNowUs() - startUs);
    bool close = current->endDispatch() || failed;
    if (failed) stats.countResult(TARSSERVERUNKNOWNERR);
    if (!response.empty()) {
        finishReply(*current, response);
        stats.responses.fetch_add(1, std::memory_order_relaxed);
    }
    // Always post, even empty: it releases the replies queued behind this one.
    if (response.size() >= NetThread::kMoveThreshold) {
        Current::post(ctx.conn, ctx.seq, std::string(response.begin(), response.end()), close);
    } else {
        Current::post(ctx.conn, ctx.seq, std::string_view(response.data(), response.size()), close);
    }
}

void CustomServerProtocol::finishReply(const Current&, std::vector<char>&) const {}

ServerProtocolPtr makeCustomServerProtocol(std::string name, ProtocolParser parser) {
    return std::make_shared<CustomServerProtocol>(std::move(name), std::move(parser));
}

}  // namespace tars
