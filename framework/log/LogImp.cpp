#include "LogImp.h"

#include <ctime>
#include <sstream>

#include "util/tc_logger.h"

namespace tars {

std::string LogService::status() const {
    std::ostringstream os;
    os << "written_batches=" << writtenBatches.load() << "\n"
       << "written_lines=" << writtenLines.load() << "\n"
       << "refused_batches=" << refusedBatches.load() << "\n"
       << "failed_batches=" << failedBatches.load() << "\n"
       << "logpath=" << writer.root() << "\n";
    return os.str();
}

void LogImp::write(const LogInfo& info, const std::vector<std::string>& buffer, const Current& current) {
    try {
        if (buffer.size() > _service->maxLines) {
            throw LogRequestError("batch of " + std::to_string(buffer.size()) + " lines (at most " +
                                  std::to_string(_service->maxLines) + ")");
        }
        _service->writer.write(info, buffer, current.getIp(), time(nullptr));
        ++_service->writtenBatches;
        _service->writtenLines += buffer.size();
    } catch (const LogRequestError& e) {
        ++_service->refusedBatches;
        TLOGERROR("log: refused a batch of " << buffer.size() << " lines for '" << info.appname << "."
                                             << info.servername << "' from " << current.getIp() << ": " << e.what()
                                             << std::endl);
    } catch (const std::exception& e) {
        ++_service->failedBatches;
        TLOGERROR("log: " << e.what() << std::endl);
    }
}

void LogImp::logger(const std::string& app, const std::string& server, const std::string& file,
                    const std::string& format, const std::vector<std::string>& buffer, CurrentPtr current) {
    write(plainLogInfo(app, server, file, format), buffer, *current);
}

void LogImp::loggerbyInfo(const LogInfo& info, const std::vector<std::string>& buffer, CurrentPtr current) {
    write(info, buffer, *current);
}

}  // namespace tars
