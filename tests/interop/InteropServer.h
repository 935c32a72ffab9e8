// InteropServer: the Application serving Test.InteropServer.InteropObj (InteropImp) for
// the interop tests. Start: InteropServer --config=FILE, with an adapter for
// Test.InteropServer.InteropObj in FILE (docs/interop.md shows one).
#pragma once

#include "servant/Application.h"

class InteropServer : public tars::Application {
public:
    ~InteropServer() override = default;

    void initialize() override;
    void destroyApp() override {}
};
