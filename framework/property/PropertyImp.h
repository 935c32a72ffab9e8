// PropertyImp: the servant tars.tarsproperty.PropertyObj (interface PropertyF,
// protocol/PropertyF.tars). One instance per handle thread, all sharing one PropertyService.
//
// reportPropMsg answers 0 when the values were taken, -1 for a malformed report and -2 for
// one too large (PropertyAggregator says which); a refused report stores nothing and is
// logged with its reason and the caller's address.
#pragma once

#include <memory>

#include "PropertyF.h"
#include "PropertyService.h"

namespace tars {

class PropertyImp : public PropertyF {
public:
    explicit PropertyImp(std::shared_ptr<PropertyService> service) : _service(std::move(service)) {}

    Int32 reportPropMsg(const std::map<StatPropMsgHead, StatPropMsgBody>& statmsg, CurrentPtr current) override;

private:
    std::shared_ptr<PropertyService> _service;
};

}  // namespace tars
