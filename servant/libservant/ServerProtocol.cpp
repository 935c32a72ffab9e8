#include "internal/ServerProtocol.h"

#include "internal/RequestQueue.h"
#include "servant/BindAdapter.h"
#include "servant/Current.h"
#include "servant/Servant.h"
#include "util/tc_logger.h"

namespace tars {

void ServerProtocol::dispatchClose(DispatchContext& dc, RecvContext& ctx) const {
    auto current = Current::create(ctx.conn, 0, ctx.recvTimeUs);
    current->setRawRequest({});
    std::lock_guard guard(dc.servantLock);
    try {
        dc.servant.doClose(current);
    } catch (const std::exception& e) {
        TLOGERROR("[servant] " << dc.adapter.getServant() << " doClose threw: " << e.what() << std::endl);
    }
}

bool ServerProtocol::sendResponse(Current& current, int, const std::vector<char>&,
                                  const std::map<std::string, std::string>&, const std::string&) const {
    TLOGERROR("[servant] " << current.getServantName() << ": sendResponse(iRet, buffer) needs a TARS protocol adapter, "
                           << "not '" << _name << "'" << std::endl);
    return false;
}

ServerProtocolPtr makeServerProtocol(const std::string& name) {
    if (name.empty() || name == "tars") return tarsServerProtocol();
    if (name == "http") return httpServerProtocol();
    return nullptr;
}

}  // namespace tars
