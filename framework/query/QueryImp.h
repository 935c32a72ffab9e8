// QueryImp: the servant QueryObj of the query services (tars.tarsquerystat.QueryObj,
// tars.tarsqueryproperty.QueryObj; interface MonitorQuery, protocol/MonitorQuery.tars).
// One instance per handle thread, all sharing one MonitorDatabase.
//
// query() answers with MonitorQueryBuilder over the request's dataid (tars_stat or
// tars_property): rsp.ret 0 and rsp.result, or rsp.ret -1 with rsp.msg saying what was
// refused (an unknown field, index, op or dataid, a malformed date or tflag, a method
// other than "query") or what the store said. The method returns rsp.ret. lastTime is
// the newest slice stored; activeDb = totalDb = 1, retThreads = {ret} (one database).
#pragma once

#include <memory>

#include "MonitorDatabase.h"
#include "MonitorQuery.h"

namespace tars {

class QueryImp : public MonitorQuery {
public:
    explicit QueryImp(std::shared_ptr<MonitorDatabase> database) : _database(std::move(database)) {}

    Int32 query(const MonitorQueryReq& req, MonitorQueryRsp& rsp, CurrentPtr current) override;

private:
    std::shared_ptr<MonitorDatabase> _database;
};

}  // namespace tars
