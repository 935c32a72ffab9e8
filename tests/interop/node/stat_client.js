#!/usr/bin/env node
'use strict';
// Calls InteropServer's echo N times through @tars/rpc's own client with its statistics
// reporting on, so that @tars/monitor sends the calls to the stat service named in the
// config file, and waits until that report has gone out:
//
//   TARS_MONITOR=1 stat_client.js --config FILE --endpoint "tcp -h H -p P -t MS" --calls N
//
// FILE is a TARS config with /tars/application/client<stat> (an OBJ@ENDPOINT),
// <modulename> and <report-interval> (@tars/monitor's floor is 10000 ms). @tars/monitor
// reports one interval after the first call, as a one-way reportMicMsg (bFromClient
// true); this script exits 0 two seconds after that, 1 when a call failed, 2 on bad
// arguments, 3 past its deadline.

const TarsRpc = require('@tars/rpc');
const { InteropProxy } = require('./InteropProxy.js');

const RUN_DEADLINE_MS = 60000;
const SEND_GRACE_MS = 2000;

const args = {};
const argv = process.argv.slice(2);
for (let k = 0; k < argv.length; k++) {
    const [flag, inline] = argv[k].split(/=(.*)/s);
    const value = inline !== undefined ? inline : argv[++k];
    if (flag === '--config') args.config = value;
    else if (flag === '--endpoint') args.endpoint = value;
    else if (flag === '--calls') args.calls = Number(value);
    else args.bad = true;
}
if (args.bad || !args.config || !args.endpoint || !(args.calls > 0) || !process.env.TARS_MONITOR) {
    console.error('usage: TARS_MONITOR=1 stat_client.js --config FILE --endpoint "tcp -h H -p P" --calls N');
    process.exit(2);
}
setTimeout(() => {
    console.log('stat_client.js: the run passed its ' + RUN_DEADLINE_MS + ' ms deadline');
    process.exit(3);
}, RUN_DEADLINE_MS).unref();

// The default client reads the config (locator, modulename) and initialises @tars/monitor
// with it (stat object, report interval).
TarsRpc.client.initialize(args.config);
const monitor = require('@tars/monitor').stat;
const prx = TarsRpc.client.stringToProxy(InteropProxy, 'Test.InteropServer.InteropObj@' + args.endpoint);

(async () => {
    for (let k = 0; k < args.calls; k++) {
        const r = await prx.echo('stat-' + k);
        if (r.ret !== 'stat-' + k) {
            console.log('echo #' + k + ' answered ' + JSON.stringify(r.ret));
            process.exit(1);
        }
    }
    console.log(args.calls + ' calls made; stat object ' + monitor.StatObj + ', report interval ' +
        monitor.reportInterval + ' ms');
    setTimeout(() => {
        console.log('the report interval passed');
        process.exit(0);
    }, monitor.reportInterval + SEND_GRACE_MS);
})().catch((e) => {
    console.log('a call failed: ' + (e && e.message));
    process.exit(1);
});
