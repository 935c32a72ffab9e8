#include "MonitorClock.h"

#include "util/tc_common.h"

namespace tars {

std::string monitorDate(time_t t) { return TC_Common::tm2str(t, "%Y%m%d"); }

std::string monitorTflag(time_t t) { return TC_Common::tm2str(t, "%H%M"); }

std::string monitorFirstKeptDate(time_t now, int reserveDays) {
    return monitorDate(now - static_cast<time_t>(reserveDays - 1) * 24 * 3600);
}

}  // namespace tars
