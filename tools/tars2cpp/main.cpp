// tars2cpp: compiles .tars files into C++ headers. See docs/tars2cpp.md.
#include "Tool.h"

#include <exception>
#include <iostream>

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        return tars2cpp::runTool(args, std::cout, std::cerr);
    } catch (const std::exception& e) {
        std::cerr << "tars2cpp: error: " << e.what() << '\n';
        return tars2cpp::kExitCompileError;
    }
}
