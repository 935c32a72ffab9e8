#include "QueryImp.h"

#include "MonitorQueryBuilder.h"
#include "util/tc_logger.h"

namespace tars {

Int32 QueryImp::query(const MonitorQueryReq& req, MonitorQueryRsp& rsp, CurrentPtr current) {
    rsp.activeDb = 1;
    rsp.totalDb = 1;
    try {
        if (!req.method.empty() && req.method != "query") {
            throw MonitorQueryError("unknown method '" + req.method + "': query");
        }
        MonitorQuerySpec spec;
        spec.dataid = req.dataid;
        spec.date = req.date;
        spec.tflag1 = req.tflag1;
        spec.tflag2 = req.tflag2;
        for (const auto& condition : req.conditions) {
            spec.conditions.push_back({condition.field, static_cast<int>(condition.op), condition.val});
        }
        spec.indexs = req.indexs;
        spec.groupby = req.groupby;
        buildMonitorQuery(spec);  // refuses a bad request before touching the store
        _database->run([&](SqlConnection& connection) {
            rsp.result = runMonitorQuery(connection, spec);
            rsp.lastTime = monitorLastTime(connection, spec.dataid);
        });
        rsp.ret = 0;
    } catch (const MonitorQueryError& e) {
        rsp.ret = -1;
        rsp.msg = e.what();
    } catch (const StoreError& e) {
        rsp.ret = -1;
        rsp.msg = e.what();
        TLOGERROR("query: " << e.what() << std::endl);
    }
    rsp.retThreads = {rsp.ret};
    if (rsp.ret != 0) {
        TLOGDEBUG("query: refused uid '" << req.uid << "' from " << current->getIp() << ": " << rsp.msg << std::endl);
    }
    return rsp.ret;
}

}  // namespace tars
