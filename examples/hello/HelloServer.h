// HelloServer: the Application of the hello example.
#pragma once

#include "servant/Application.h"

class HelloServer : public tars::Application {
public:
    ~HelloServer() override = default;

    void initialize() override;
    void destroyApp() override;
};

extern HelloServer g_app;
