// libFuzzer target over tars2cpp: the input is one or more .tars files
// separated by NUL bytes. The first is main.tars, the next ones inc1.tars,
// inc2.tars, ..., so `#include "inc1.tars"` (and include cycles) work without
// touching the disk. Every input must either compile into headers or be
// reported as errors; anything else (a crash, a hang, a leak, undefined
// behaviour, a result that is both or neither) is a finding.
#include "Compiler.h"
#include "SourceLoader.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::map<std::string, std::string> files;
    const char* text = reinterpret_cast<const char*>(data);
    std::size_t start = 0;
    int index = 0;
    for (std::size_t i = 0; i <= size; ++i) {
        if (i < size && data[i] != 0) continue;
        const std::string name = index == 0 ? "main.tars" : "inc" + std::to_string(index) + ".tars";
        files.emplace(name, std::string(text + start, i - start));
        start = i + 1;
        ++index;
    }

    const tars2cpp::MemoryLoader loader(files);
    tars2cpp::CompileOptions compileOptions;
    compileOptions.withTars = size % 2 == 0;
    tars2cpp::GenerateOptions generateOptions;
    generateOptions.json = size % 3 != 0;
    const tars2cpp::CompileResult result = tars2cpp::compile(loader, {"main.tars"}, compileOptions, generateOptions);
    if (result.ok() != (result.headers.size() == 1) || result.ok() == !result.errors.empty()) std::abort();
    return 0;
}
