#include "servant/Current.h"

#include "BaseF.h"
#include "servant/BindAdapter.h"
#include "servant/NetThread.h"
#include "servant/TarsProtocol.h"
#include "util/tc_logger.h"

namespace tars {

Current::Current(std::shared_ptr<ConnectionState> conn, bool isTars, uint64_t seq, int64_t recvTimeUs)
    : _conn(std::move(conn)), _isTars(isTars), _seq(seq), _recvTimeUs(recvTimeUs) {}

const std::string& Current::getServantName() const {
    return _isTars ? _request.sServantName : _conn->adapter->getServant();
}

bool Current::isOneway() const { return _isTars && _request.cPacketType == TARSONEWAY; }

bool Current::post(const std::shared_ptr<ConnectionState>& conn, uint64_t seq, std::string&& data, bool close) {
    const bool hasData = !data.empty();
    if (!conn->closed.load(std::memory_order_acquire)) {
        if (auto owner = conn->owner.lock()) {
            NetThread::SendItem item;
            item.uid = conn->uid;
            item.seq = seq;
            item.data = std::move(data);
            item.close = close;
            if (owner->send(std::move(item))) return true;
        }
    }
    if (hasData) {
        conn->adapter->stats().droppedResponses.fetch_add(1, std::memory_order_relaxed);
        TLOGDEBUG("[servant] reply to " << conn->ip << ":" << conn->port << " (uid " << conn->uid
                                        << ") dropped: connection closed" << std::endl);
    }
    return false;
}

bool Current::sendResponse(int iRet, const std::vector<char>& buffer, const std::map<std::string, std::string>& status,
                           const std::string& resultDesc) {
    if (!_isTars) {
        TLOGERROR("[servant] " << getServantName() << ": sendResponse(iRet, buffer) needs a TARS protocol adapter"
                               << std::endl);
        return false;
    }
    AdapterStats& stats = _conn->adapter->stats();
    if (isOneway()) return true;
    stats.countResult(iRet);
    stats.responses.fetch_add(1, std::memory_order_relaxed);
    std::string bytes = TarsProtocol::encodeResponse(_request, iRet, buffer, status, resultDesc, _responseContext);
    return post(_conn, 0, std::move(bytes), false);
}

bool Current::sendResponse(const char* data, size_t length) {
    if (length == 0) return isConnectionOpen();
    return post(_conn, 0, std::string(data, length), false);
}

void Current::close() {
    {
        std::lock_guard lock(_closeMutex);
        if (_dispatching) {
            _closeRequested = true;
            return;
        }
    }
    post(_conn, 0, std::string(), true);
}

void Current::beginDispatch() {
    std::lock_guard lock(_closeMutex);
    _dispatching = true;
}

bool Current::endDispatch() {
    std::lock_guard lock(_closeMutex);
    _dispatching = false;
    return std::exchange(_closeRequested, false);
}

}  // namespace tars
