// libFuzzer target over the text parsers of util: TC_Config (the TARS config
// format) and TC_Endpoint / TC_ObjectEndpoints (endpoint and object strings).
// Any input must parse or throw a TC_Exception; what parses must print back to
// text that parses to the same thing.
#include "util/tc_config.h"
#include "util/tc_endpoint.h"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);

    try {
        tars::TC_Config config;
        config.parseString(text);
        const std::string printed = config.tostr();
        tars::TC_Config again;
        again.parseString(printed);
        if (again.tostr() != printed) std::abort();
    } catch (const tars::TC_Exception&) {
    }

    try {
        tars::TC_Endpoint endpoint(text);
        tars::TC_Endpoint again(endpoint.toString());
        if (again.toString() != endpoint.toString()) std::abort();
    } catch (const tars::TC_Exception&) {
    }

    try {
        (void)tars::TC_ObjectEndpoints::parse(text);
    } catch (const tars::TC_Exception&) {
    }
    return 0;
}
