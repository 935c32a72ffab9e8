// tarsadmin: deploys and manages servers through the registry's AdminRegObj.
// AdminTool.h has the command line; framework/admin/README.md the manual.
#include <iostream>
#include <string>
#include <vector>

#include "AdminTool.h"
#include "util/tc_logger.h"

int main(int argc, char* argv[]) {
    // The client runtime's reconnect warnings would interleave with the output; the
    // command's own message says what failed.
    tars::TC_Logger::global().setLogLevel(tars::TC_Logger::ERROR_LOG);
    std::vector<std::string> args(argv + 1, argv + argc);
    tars::admin::AdminTool tool(std::cout, std::cerr);
    return tool.run(args);
}
