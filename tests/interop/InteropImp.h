// InteropImp: the C++ implementation of Test.Interop (tests/vectors/interop.tars) that the
// node client (node/client.js) calls. One instance per handle thread; it keeps no state.
//
// Semantics, as interop.tars states them: echo(s) -> s; add(a, b) -> a + b;
// roundTrip(req, out rsp) -> rsp = req, returns req.bin.size() + req.vs.size() +
// req.msi.size(); getContext(key) -> request context[key] or ""; fail(code) -> an error
// reply with iRet = code and sResultDesc "fail requested".
// Beyond the IDL, for the tests: getContext sends the request context back as the
// response context, and every one-way request is logged as "oneway <method>: <argument>"
// (the node servant prints the same line on stdout).
#pragma once

#include "interop.h"

class InteropImp : public Test::Interop {
public:
    void initialize() override {}
    void destroy() override {}

    std::string echo(const std::string& s, tars::TarsCurrentPtr current) override;
    tars::Int32 add(tars::Int32 a, tars::Int32 b, tars::TarsCurrentPtr current) override;
    tars::Int32 roundTrip(const Test::AllTypes& req, Test::AllTypes& rsp, tars::TarsCurrentPtr current) override;
    std::string getContext(const std::string& key, tars::TarsCurrentPtr current) override;
    tars::Int32 fail(tars::Int32 code, tars::TarsCurrentPtr current) override;
};
