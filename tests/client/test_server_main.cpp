// client_test_server: a TestServer in its own process. Prints "PORT <n>" once listening,
// then serves until killed. Argument: the server id (testHello's return value).
#include <unistd.h>

#include <cstdio>
#include <string>

#include "TestServer.h"

int main(int argc, char* argv[]) {
    int id = argc > 1 ? std::stoi(argv[1]) : 0;
    tars::test::TestServer server(id, "process" + std::to_string(id));
    server.start(0);
    std::printf("PORT %d\n", server.port());
    std::fflush(stdout);
    for (;;) pause();
}
