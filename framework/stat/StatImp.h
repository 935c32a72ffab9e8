// StatImp: the servant tars.tarsstat.StatObj (interface StatF, protocol/StatF.tars). One
// instance per handle thread, all sharing one StatService.
//
// reportMicMsg answers 0 when the rows were taken, -1 for a malformed report and -2 for
// one too large (StatAggregator says which); a refused report stores nothing and is
// logged with its reason and the caller's address. reportSampleMsg (which no TARS
// runtime sends any more) is accepted and ignored: 0.
#pragma once

#include <memory>

#include "StatF.h"
#include "StatService.h"

namespace tars {

class StatImp : public StatF {
public:
    explicit StatImp(std::shared_ptr<StatService> service) : _service(std::move(service)) {}

    Int32 reportMicMsg(const std::map<StatMicMsgHead, StatMicMsgBody>& msg, Bool bFromClient,
                       CurrentPtr current) override;
    Int32 reportSampleMsg(const std::vector<StatSampleMsg>& msg, CurrentPtr current) override;

private:
    std::shared_ptr<StatService> _service;
};

}  // namespace tars
