// tarsstat: the call statistics service. An Application serving <app>.<server>.StatObj
// (tars.tarsstat.StatObj with app=tars, server=tarsstat; interface StatF) that aggregates
// reports in memory and writes them to the store of its /tars/db section every interval
// (IntervalServer, StatService). README.md lists the keys and what is stored.
#include "IntervalServer.h"
#include "StatImp.h"
#include "StatService.h"

namespace {
tars::IntervalServer<tars::StatKind, tars::StatImp> g_app;
}

int main(int argc, char* argv[]) {
    g_app.main(argc, argv);
    g_app.waitForShutdown();
    return 0;
}
