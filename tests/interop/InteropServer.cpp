#include "InteropServer.h"

#include "InteropImp.h"

void InteropServer::initialize() {
    addServant<InteropImp>(tars::ServerConfig::Application + "." + tars::ServerConfig::ServerName + ".InteropObj");
}

int main(int argc, char* argv[]) {
    InteropServer app;
    app.main(argc, argv);
    app.waitForShutdown();
    return 0;
}
