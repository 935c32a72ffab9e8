// The time slice names of the observability tables: f_date "YYYYMMDD" and f_tflag "HHMM"
// of a moment in the service's local time (TARS's convention), and the first date kept
// by a retention of N days.
#pragma once

#include <ctime>
#include <string>

namespace tars {

std::string monitorDate(time_t t);   // YYYYMMDD
std::string monitorTflag(time_t t);  // HHMM
// The oldest date retention keeps: the date reserveDays - 1 days before now's.
std::string monitorFirstKeptDate(time_t now, int reserveDays);

}  // namespace tars
