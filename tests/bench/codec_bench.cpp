// Encode and decode cost of the TARS codec, beside protobuf on the same
// messages when built with -DTARS_BENCH_PROTOBUF=ON. Run:
//   build/tests/bench/codec_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include "RequestF.h"
#include "bench.h"

#include "tup/Tars.h"

#include <benchmark/benchmark.h>

#ifdef TARS_BENCH_PROTOBUF
#include "bench.pb.h"
#endif

namespace {
constexpr std::size_t kBlobSize = 64 * 1024;

Bench::Order makeOrder() {
    Bench::Order order;
    order.orderId = 9000000000123LL;
    order.userId = 4242;
    order.symbol = "ACME.NASDAQ";
    order.price = 101.25;
    order.quantity = 300;
    order.isBuy = true;
    for (int i = 0; i < 20; ++i) order.tags.push_back("tag-number-" + std::to_string(i));
    for (int i = 0; i < 5; ++i) order.attributes["attribute-" + std::to_string(i)] = "value-" + std::to_string(i * 7);
    order.timestamp = 1763700000000LL;
    order.note = "a representative order with a short free-text note";
    order.flags = 3;
    return order;
}

Bench::Blob makeBlob() {
    Bench::Blob blob;
    blob.data.resize(kBlobSize);
    for (std::size_t i = 0; i < kBlobSize; ++i) blob.data[i] = static_cast<char>(i * 31);
    return blob;
}

template <typename T>
std::string encodeOnce(const T& value) {
    tars::TarsOutputStream<tars::BufferWriterString> os;
    value.writeTo(os);
    return os.getByteBuffer();
}

template <typename T>
void tarsEncode(benchmark::State& state, const T& value) {
    tars::TarsOutputStream<tars::BufferWriterString> os;
    std::size_t bytes = 0;
    for (auto _ : state) {
        os.reset();
        value.writeTo(os);
        bytes = os.getLength();
        benchmark::DoNotOptimize(os.getBuffer());
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
    state.counters["bytes"] = static_cast<double>(bytes);
}

template <typename T>
void tarsDecode(benchmark::State& state, const T& value) {
    const std::string encoded = encodeOnce(value);
    T decoded;
    for (auto _ : state) {
        tars::TarsInputStream<tars::BufferReader> is;
        is.setBuffer(encoded.data(), encoded.size());
        decoded.readFrom(is);
        benchmark::DoNotOptimize(decoded);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * encoded.size()));
}

void BM_TarsEncodeOrder(benchmark::State& state) { tarsEncode(state, makeOrder()); }
void BM_TarsDecodeOrder(benchmark::State& state) { tarsDecode(state, makeOrder()); }
void BM_TarsEncodeBlob64K(benchmark::State& state) { tarsEncode(state, makeBlob()); }
void BM_TarsDecodeBlob64K(benchmark::State& state) { tarsDecode(state, makeBlob()); }
// What a server decodes per call: a RequestPacket carrying a 100-byte string argument.
tars::RequestPacket makeRequest() {
    tars::RequestPacket req;
    req.iVersion = 1;
    req.iRequestId = 123456;
    req.sServantName = "TestApp.HelloServer.HelloObj";
    req.sFuncName = "testHello";
    req.iTimeout = 3000;
    tars::TarsOutputStream<tars::BufferWriterVector> args;
    args.write(std::string(100, 'x'), 1);
    req.sBuffer = args.getByteBuffer();
    return req;
}
void BM_TarsDecodeRequestPacket(benchmark::State& state) { tarsDecode(state, makeRequest()); }
void BM_TarsEncodeRequestPacket(benchmark::State& state) { tarsEncode(state, makeRequest()); }
BENCHMARK(BM_TarsDecodeRequestPacket);
BENCHMARK(BM_TarsEncodeRequestPacket);
BENCHMARK(BM_TarsEncodeOrder);
BENCHMARK(BM_TarsDecodeOrder);
BENCHMARK(BM_TarsEncodeBlob64K);
BENCHMARK(BM_TarsDecodeBlob64K);

#ifdef TARS_BENCH_PROTOBUF
benchpb::Order makeProtoOrder() {
    const Bench::Order source = makeOrder();
    benchpb::Order order;
    order.set_order_id(source.orderId);
    order.set_user_id(source.userId);
    order.set_symbol(source.symbol);
    order.set_price(source.price);
    order.set_quantity(source.quantity);
    order.set_is_buy(source.isBuy);
    for (const auto& tag : source.tags) order.add_tags(tag);
    for (const auto& [key, value] : source.attributes) (*order.mutable_attributes())[key] = value;
    order.set_timestamp(source.timestamp);
    order.set_note(source.note);
    order.set_flags(source.flags);
    return order;
}

benchpb::Blob makeProtoBlob() {
    const Bench::Blob source = makeBlob();
    benchpb::Blob blob;
    blob.set_data(std::string(source.data.begin(), source.data.end()));
    return blob;
}

template <typename M>
void protoEncode(benchmark::State& state, const M& message) {
    std::string out;
    for (auto _ : state) {
        out.clear();
        message.SerializeToString(&out);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * out.size()));
    state.counters["bytes"] = static_cast<double>(out.size());
}

template <typename M>
void protoDecode(benchmark::State& state, const M& message) {
    const std::string encoded = message.SerializeAsString();
    M decoded;
    for (auto _ : state) {
        decoded.ParseFromString(encoded);
        benchmark::DoNotOptimize(decoded);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * encoded.size()));
}

void BM_ProtobufEncodeOrder(benchmark::State& state) { protoEncode(state, makeProtoOrder()); }
void BM_ProtobufDecodeOrder(benchmark::State& state) { protoDecode(state, makeProtoOrder()); }
void BM_ProtobufEncodeBlob64K(benchmark::State& state) { protoEncode(state, makeProtoBlob()); }
void BM_ProtobufDecodeBlob64K(benchmark::State& state) { protoDecode(state, makeProtoBlob()); }
BENCHMARK(BM_ProtobufEncodeOrder);
BENCHMARK(BM_ProtobufDecodeOrder);
BENCHMARK(BM_ProtobufEncodeBlob64K);
BENCHMARK(BM_ProtobufDecodeBlob64K);
#endif
}  // namespace

BENCHMARK_MAIN();
