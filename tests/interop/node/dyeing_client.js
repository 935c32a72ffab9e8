#!/usr/bin/env node
'use strict';
// Makes two echo calls through @tars/rpc's client: the first dyed with KEY (its
// `dyeing` call property: message type 0x04, status STATUS_DYED_KEY), the second not:
//
//   dyeing_client.js --endpoint "tcp -h H -p P -t MS" --key KEY
//
// echo("dyed-probe-KEY") and echo("plain-probe-KEY"). Exits 0 when both answered their
// argument, 1 when a call failed, 2 on bad arguments, 3 past its deadline.

const TarsRpc = require('@tars/rpc');
const { InteropProxy } = require('./InteropProxy.js');

const RUN_DEADLINE_MS = 30000;

const args = {};
const argv = process.argv.slice(2);
for (let k = 0; k < argv.length; k++) {
    const [flag, inline] = argv[k].split(/=(.*)/s);
    const value = inline !== undefined ? inline : argv[++k];
    if (flag === '--endpoint') args.endpoint = value;
    else if (flag === '--key') args.key = value;
    else args.bad = true;
}
if (args.bad || !args.endpoint || !args.key) {
    console.error('usage: dyeing_client.js --endpoint "tcp -h H -p P" --key KEY');
    process.exit(2);
}
setTimeout(() => {
    console.log('dyeing_client.js: the run passed its ' + RUN_DEADLINE_MS + ' ms deadline');
    process.exit(3);
}, RUN_DEADLINE_MS).unref();

const prx = TarsRpc.client.stringToProxy(InteropProxy, 'Test.InteropServer.InteropObj@' + args.endpoint);

(async () => {
    const dyed = 'dyed-probe-' + args.key;
    const plain = 'plain-probe-' + args.key;
    // The shape @tars/dyeing's gen(true, key) makes, which @tars/rpc's client reads.
    const r1 = await prx.echo(dyed, { dyeing: { dyeing: true, key: args.key } });
    const r2 = await prx.echo(plain);
    if (r1.ret !== dyed || r2.ret !== plain) {
        console.log('echo answered ' + JSON.stringify([r1.ret, r2.ret]));
        process.exit(1);
    }
    console.log('dyed and plain calls answered');
    process.exit(0);
})().catch((e) => {
    console.log('a call failed: ' + (e && (e.message || JSON.stringify(e))));
    process.exit(1);
});
