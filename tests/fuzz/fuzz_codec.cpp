// libFuzzer target over the decoders of RequestPacket, ResponsePacket and a rich
// struct (Test::AllTypes). Any input must decode or throw a TarsDecodeException;
// whatever decodes must encode to bytes that decode and re-encode identically.
#include "RequestF.h"
#include "interop.h"

#include "tup/Tars.h"

#include <cstdint>
#include <cstdlib>
#include <string>

namespace {
template <typename T>
std::string encode(const T& value) {
    tars::TarsOutputStream<tars::BufferWriterString> os;
    value.writeTo(os);
    return os.getByteBuffer();
}

template <typename T>
void roundTrip(const char* data, std::size_t size) {
    tars::TarsInputStream<tars::BufferReader> is;
    is.setBuffer(data, size);
    T value;
    try {
        value.readFrom(is);
    } catch (const tars::TarsDecodeException&) {
        return;
    }
    const std::string first = encode(value);
    tars::TarsInputStream<tars::BufferReader> again;
    again.setBuffer(first.data(), first.size());
    T reread;
    reread.readFrom(again);  // must not throw: we wrote it
    if (encode(reread) != first) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const char* bytes = reinterpret_cast<const char*>(data);
    roundTrip<tars::RequestPacket>(bytes, size);
    roundTrip<tars::ResponsePacket>(bytes, size);
    roundTrip<Test::AllTypes>(bytes, size);
    return 0;
}
