#include "HelloServer.h"

#include <iostream>

#include "HelloImp.h"

HelloServer g_app;

void HelloServer::initialize() {
    addServant<HelloImp>(tars::ServerConfig::Application + "." + tars::ServerConfig::ServerName + ".HelloObj");
}

void HelloServer::destroyApp() {}

int main(int argc, char* argv[]) {
    g_app.main(argc, argv);
    g_app.waitForShutdown();
    return 0;
}
