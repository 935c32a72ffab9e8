// bench-grpc-server: the gRPC peer of examples/hello's HelloServer for the load
// benchmarks. Echo.Call answers ret 0 and the request's payload, as testHello does.
// It is gRPC's fastest C++ server style: the async API, one completion queue per thread,
// many calls requested ahead on each queue (a call only starts when one is waiting).
//
//   bench-grpc-server [--host ADDR] [--port PORT] [--threads N] [--requested N]
//                     [--cert FILE --key FILE]
//
// With --cert and --key it serves TLS (grpc::SslServerCredentials, no client certificate
// asked for); bench-grpc-client --ssl --ca FILE calls it.
// Prints "port <n>" once it listens (port 0, the default: the kernel chooses), serves
// until SIGTERM or SIGINT, then shuts down (calls in progress are cancelled) and exits 0.
// Exit 1 when it cannot listen, 2 for bad usage.
#include <getopt.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "CommandLine.h"
#include "echo.grpc.pb.h"

namespace {

// One call, from being requested to its reply; deletes itself when done.
class EchoCall {
public:
    EchoCall(benchgrpc::Echo::AsyncService& service, grpc::ServerCompletionQueue& queue)
        : _service(service), _queue(queue), _responder(&_context) {
        _service.RequestCall(&_context, &_request, &_responder, &_queue, &_queue, this);
    }

    // The queue returned this call's tag: ok is false when the server shuts down.
    void proceed(bool ok) {
        if (!ok || _replied) {
            delete this;
            return;
        }
        new EchoCall(_service, _queue);  // keep one requested in its place
        _reply.set_ret(0);
        _reply.set_payload(_request.payload());
        _replied = true;
        _responder.Finish(_reply, grpc::Status::OK, this);
    }

private:
    benchgrpc::Echo::AsyncService& _service;
    grpc::ServerCompletionQueue& _queue;
    grpc::ServerContext _context;
    benchgrpc::EchoRequest _request;
    benchgrpc::EchoReply _reply;
    grpc::ServerAsyncResponseWriter<benchgrpc::EchoReply> _responder;
    bool _replied = false;
};

// The whole file, or UsageError naming it.
std::string readFile(const char* option, const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in || text.str().empty()) {
        throw tars::bench::UsageError(std::string("option ") + option + ": cannot read '" + path + "'");
    }
    return text.str();
}

void usage(FILE* to) {
    std::fputs(
        "Usage: bench-grpc-server [--host ADDR] [--port PORT] [--threads N] [--requested N]\n"
        "                         [--cert FILE --key FILE]\n"
        "gRPC echo server (async API) of the load benchmarks: Echo.Call returns the payload.\n"
        "Prints 'port <n>' once it listens; runs until SIGTERM or SIGINT.\n"
        "  --host ADDR      address to listen on (default 127.0.0.1)\n"
        "  --port PORT      port (default 0: the kernel chooses)\n"
        "  --threads N      completion queues, one thread each (default 2)\n"
        "  --requested N    calls requested ahead per queue (default 1024)\n"
        "  --cert FILE      PEM certificate: serve TLS (with --key)\n"
        "  --key FILE       PEM private key of --cert\n",
        to);
}

}  // namespace

int main(int argc, char** argv) {
    using tars::bench::parseInteger;
    std::string host = "127.0.0.1";
    int port = 0;
    int threads = 2;
    int requested = 1024;
    std::string certPem;
    std::string keyPem;
    static const option longOptions[] = {
        {"host", required_argument, nullptr, 'H'},    {"port", required_argument, nullptr, 'p'},
        {"threads", required_argument, nullptr, 't'}, {"requested", required_argument, nullptr, 'r'},
        {"cert", required_argument, nullptr, 'C'},    {"key", required_argument, nullptr, 'K'},
        {"help", no_argument, nullptr, 'h'},          {nullptr, 0, nullptr, 0}};
    opterr = 0;
    try {
        for (int c; (c = getopt_long(argc, argv, ":H:p:t:h", longOptions, nullptr)) != -1;) {
            switch (c) {
                case 'H': host = optarg; break;
                case 'p': port = static_cast<int>(parseInteger("--port", optarg, 0, 65535)); break;
                case 't': threads = static_cast<int>(parseInteger("--threads", optarg, 1, 256)); break;
                case 'r': requested = static_cast<int>(parseInteger("--requested", optarg, 1, 1000000)); break;
                case 'C': certPem = readFile("--cert", optarg); break;
                case 'K': keyPem = readFile("--key", optarg); break;
                case 'h': usage(stdout); return 0;
                default: throw tars::bench::UsageError("bad option '" + std::string(argv[optind - 1]) + "'");
            }
        }
        if (optind < argc) throw tars::bench::UsageError("unexpected argument '" + std::string(argv[optind]) + "'");
        if (certPem.empty() != keyPem.empty()) throw tars::bench::UsageError("--cert and --key go together");
    } catch (const tars::bench::UsageError& e) {
        std::fprintf(stderr, "bench-grpc-server: %s\n", e.what());
        usage(stderr);
        return 2;
    }
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);  // before gRPC starts its threads

    benchgrpc::Echo::AsyncService service;
    grpc::ServerBuilder builder;
    int selectedPort = 0;
    std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
    if (!certPem.empty()) {
        grpc::SslServerCredentialsOptions tls;
        tls.pem_key_cert_pairs.push_back({keyPem, certPem});
        credentials = grpc::SslServerCredentials(tls);
    }
    builder.AddListeningPort(host + ":" + std::to_string(port), credentials, &selectedPort);
    builder.RegisterService(&service);
    std::vector<std::unique_ptr<grpc::ServerCompletionQueue>> queues;
    for (int i = 0; i < threads; ++i) queues.push_back(builder.AddCompletionQueue());
    std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
    if (!server || selectedPort == 0) {
        std::fprintf(stderr, "bench-grpc-server: cannot listen on %s:%d\n", host.c_str(), port);
        return 1;
    }

    std::vector<std::thread> workers;
    for (auto& queue : queues) {
        for (int i = 0; i < requested; ++i) new EchoCall(service, *queue);
        workers.emplace_back([q = queue.get()] {
            void* tag = nullptr;
            bool ok = false;
            while (q->Next(&tag, &ok)) static_cast<EchoCall*>(tag)->proceed(ok);
        });
    }
    std::printf("port %d\n", selectedPort);
    std::fflush(stdout);

    int signal = 0;
    sigwait(&stopSignals, &signal);
    server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
    for (auto& queue : queues) queue->Shutdown();  // Next() drains every tag, then returns false
    for (auto& worker : workers) worker.join();
    return 0;
}
