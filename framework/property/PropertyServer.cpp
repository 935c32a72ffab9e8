// tarsproperty: the property service. An Application serving <app>.<server>.PropertyObj
// (tars.tarsproperty.PropertyObj with app=tars, server=tarsproperty; interface PropertyF)
// that aggregates reports in memory and writes them to the store of its /tars/db section
// every interval (IntervalServer, PropertyService). README.md lists the keys and what is
// stored.
#include "IntervalServer.h"
#include "PropertyImp.h"
#include "PropertyService.h"

namespace {
tars::IntervalServer<tars::PropertyKind, tars::PropertyImp> g_app;
}

int main(int argc, char* argv[]) {
    g_app.main(argc, argv);
    g_app.waitForShutdown();
    return 0;
}
