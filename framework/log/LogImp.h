// LogImp: the servant tars.tarslog.LogObj (interface Log, protocol/LogF.tars). One instance
// per handle thread, all sharing one LogService (the LogWriter and the counters).
//
// logger() and loggerbyInfo() append the batch to the file LogWriter names. A refused
// batch (a name that could leave its directory, an unknown sLogType, more than
// maxlines lines) writes nothing and is logged with the caller's address and counted
// (log.status); the methods have no return value to carry the refusal.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "LogF.h"
#include "LogWriter.h"

namespace tars {

struct LogService {
    LogService(std::string root, bool ipPrefix, size_t maxLines)
        : writer(std::move(root), ipPrefix), maxLines(maxLines) {}

    LogWriter writer;
    const size_t maxLines;
    std::atomic<uint64_t> writtenBatches{0};
    std::atomic<uint64_t> writtenLines{0};
    std::atomic<uint64_t> refusedBatches{0};
    std::atomic<uint64_t> failedBatches{0};

    std::string status() const;
};

class LogImp : public Log {
public:
    explicit LogImp(std::shared_ptr<LogService> service) : _service(std::move(service)) {}

    void logger(const std::string& app, const std::string& server, const std::string& file, const std::string& format,
                const std::vector<std::string>& buffer, CurrentPtr current) override;
    void loggerbyInfo(const LogInfo& info, const std::vector<std::string>& buffer, CurrentPtr current) override;

private:
    void write(const LogInfo& info, const std::vector<std::string>& buffer, const Current& current);

    std::shared_ptr<LogService> _service;
};

}  // namespace tars
