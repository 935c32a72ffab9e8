// PushClient: registers with PushServer and prints the pushes it receives.
//   PushClient [port=20011] [count=3] [host=127.0.0.1]
// Exits 0 after `count` pushes, 1 on a connection error or after 60 s without them.
#include <poll.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include "PushProtocol.h"
#include "util/tc_socket.h"

int main(int argc, char* argv[]) {
    int port = argc > 1 ? std::atoi(argv[1]) : 20011;
    int count = argc > 2 ? std::atoi(argv[2]) : 3;
    std::string host = argc > 3 ? argv[3] : "127.0.0.1";
    try {
        auto addr = tars::TC_SockAddr::parse(host, static_cast<uint16_t>(port));
        tars::TC_Socket sock = tars::TC_Socket::create(addr.family(), SOCK_STREAM, false);
        if (int err = sock.connect(addr); err != 0) {
            std::cerr << "connect " << addr.toString() << ": " << tars::errnoText(err) << std::endl;
            return 1;
        }
        std::string hello = push::frame("REGISTER");
        if (sock.send(hello.data(), hello.size()) != static_cast<ssize_t>(hello.size())) return 1;

        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        std::string buffer;
        int pushes = 0;
        while (pushes < count) {
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) {
                std::cerr << "timed out" << std::endl;
                return 1;
            }
            pollfd p{sock.getfd(), POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
            char chunk[4096];
            ssize_t r = sock.recv(chunk, sizeof(chunk));
            if (r <= 0) {
                std::cerr << "server closed the connection" << std::endl;
                return 1;
            }
            buffer.append(chunk, static_cast<size_t>(r));
            while (buffer.size() >= 4) {
                uint32_t n = (static_cast<uint32_t>(static_cast<uint8_t>(buffer[0])) << 24) |
                             (static_cast<uint32_t>(static_cast<uint8_t>(buffer[1])) << 16) |
                             (static_cast<uint32_t>(static_cast<uint8_t>(buffer[2])) << 8) |
                             static_cast<uint32_t>(static_cast<uint8_t>(buffer[3]));
                if (buffer.size() < 4 + n) break;
                std::string message = buffer.substr(4, n);
                buffer.erase(0, 4 + n);
                std::cout << message << std::endl;
                if (message.rfind("PUSH ", 0) == 0) ++pushes;
            }
        }
        return 0;
    } catch (const std::exception& e) {
        std::cerr << e.what() << std::endl;
        return 1;
    }
}
