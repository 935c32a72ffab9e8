#!/usr/bin/env node
'use strict';
// Calls a Test.Interop server over @tars/rpc and checks every answer:
//
//   client.js --endpoint "tcp -h 127.0.0.1 -p PORT -t 60000" [--version 1|3]
//             [--object Test.InteropServer.InteropObj]
//
// A udp endpoint ("udp -h ... -p ...") runs the same checks but those whose packets do
// not fit in one UDP datagram (a packet per datagram, 65507 bytes at most).
// --version 1 (TARS, the default) or 3 (TUP). Prints one line per check and a closing
// "N passed, N failed"; exits 0 when every check passed, 1 when one failed, 2 on bad
// arguments, 3 when the whole run passed its deadline. It also sends one one-way
// echo("oneway-marker-v<version>") for the caller to look for on the server side.

const assert = require('assert');
const TarsRpc = require('@tars/rpc');
const { InteropProxy } = require('./InteropProxy.js');
const cases = require('./cases.js');

const CALL_TIMEOUT_MS = 10000;
const RUN_DEADLINE_MS = 40000;

function parseArgs(argv) {
    const args = { version: 1, object: 'Test.InteropServer.InteropObj' };
    for (let k = 0; k < argv.length; k++) {
        const [flag, inline] = argv[k].split(/=(.*)/s);
        const value = inline !== undefined ? inline : argv[++k];
        if (flag === '--endpoint') args.endpoint = value;
        else if (flag === '--version') args.version = Number(value);
        else if (flag === '--object') args.object = value;
        else return null;
    }
    return args.endpoint && [1, 3].includes(args.version) ? args : null;
}

const args = parseArgs(process.argv.slice(2));
if (!args) {
    console.error('usage: client.js --endpoint "tcp -h HOST -p PORT [-t MS]" [--version 1|3] [--object NAME]');
    process.exit(2);
}
setTimeout(() => {
    console.log('client.js: the run passed its ' + RUN_DEADLINE_MS + ' ms deadline');
    process.exit(3);
}, RUN_DEADLINE_MS).unref();

// One Communicator per client: @tars/rpc keeps one ObjectProxy (and its version) per
// object string in a Communicator.
const communicator = TarsRpc.Communicator.New();
const prx = communicator.stringToProxy(InteropProxy, args.object + '@' + args.endpoint);
prx.setTimeout(CALL_TIMEOUT_MS);
prx.setVersion(args.version);
const tup = args.version === 3;
const udp = /^\s*udp\s/i.test(args.endpoint);
// What one UDP datagram carries, with room for the packet's own fields.
const UDP_PAYLOAD_LIMIT = 60000;
const fitsUdp = (bytes) => !udp || bytes <= UDP_PAYLOAD_LIMIT;

// ---- comparisons that say what differs
function plain(v) {
    const copy = Object.assign({}, v);
    copy.bin = v.bin.toString('hex');
    copy.inner = Object.assign({}, v.inner);
    copy.vinner = v.vinner.map((x) => Object.assign({}, x));
    return copy;
}
function assertSameAllTypes(actual, expected) {
    const a = plain(actual);
    const e = plain(expected);
    for (const key of Object.keys(e)) {
        if (key === 'f' || key === 'd') {
            assert.ok(Object.is(a[key], e[key]), key + ': ' + a[key] + ' != ' + e[key]);
        } else {
            assert.deepStrictEqual(a[key], e[key], key + ' differs');
        }
    }
}
function expectedReturn(req) {
    return req.bin.length + req.vs.length + Object.keys(req.msi).length;
}
async function expectError(promise, code, what) {
    let result;
    try {
        result = await promise;
    } catch (e) {
        assert.ok(e && e.error, what + ': rejected without an RpcCallError: ' + e);
        assert.strictEqual(e.error.code, code, what + ': ' + JSON.stringify(e.error));
        return e.error;
    }
    assert.fail(what + ': expected error ' + code + ', got ' + JSON.stringify(result && result.ret));
}

// ---- the checks
const checks = [];
const check = (name, fn) => checks.push({ name, fn });

cases.echoStrings.forEach((s, k) => {
    if (!fitsUdp(Buffer.byteLength(s))) return;
    check('echo string #' + k + ' (' + Buffer.byteLength(s) + ' bytes)', async () => {
        const r = await prx.echo(s);
        assert.strictEqual(r.ret.length, s.length);
        assert.ok(r.ret === s, 'echoed string differs');
    });
});

for (const [a, b, sum] of cases.adds) {
    check('add(' + a + ', ' + b + ')', async () => {
        assert.strictEqual((await prx.add(a, b)).ret, sum);
    });
}

for (const [name, req] of Object.entries(cases.roundTrips)) {
    if (!fitsUdp(req.bin.length)) continue;
    check('roundTrip ' + name, async () => {
        const r = await prx.roundTrip(req);
        assert.strictEqual(r.ret, expectedReturn(req));
        assertSameAllTypes(r.outs.rsp, req);
        assert.strictEqual(r.outs.rsp.untouched, 42);
    });
}

check('roundTrip int64 values at every width', async () => {
    for (const l of cases.longs) {
        const r = await prx.roundTrip(cases.allTypes({ l }));
        assert.strictEqual(r.outs.rsp.l, l);
    }
});

check('request context reaches the servant, response context comes back', async () => {
    const context = { k: 'v', other: 'x', empty: '' };
    const r = await prx.getContext('k', { context });
    assert.strictEqual(r.ret, 'v');
    assert.deepStrictEqual(r.context, context);
    assert.strictEqual((await prx.getContext('missing', { context })).ret, '');
    assert.strictEqual((await prx.getContext('k')).ret, '');
});

check('one-way call is sent and the connection keeps working', async () => {
    await prx.callOneWay('echo', 'oneway-marker-v' + args.version);
    assert.strictEqual((await prx.echo('after one-way')).ret, 'after one-way');
});

check('unknown method answers -3', async () => {
    await expectError(prx.callUnknown('noSuchMethod'), -3, 'noSuchMethod');
});

for (const code of cases.failCodes) {
    check('fail(' + code + ') answers iRet ' + code, async () => {
        const error = await expectError(prx.fail(code), code, 'fail(' + code + ')');
        // @tars/rpc's TUP client keeps STATUS_RESULT_CODE but drops STATUS_RESULT_DESC.
        if (!tup) assert.strictEqual(error.message, 'fail requested');
    });
}

// UDP has no flow control: a burst beyond a socket's receive buffer (the node client's
// own too, about 208 KiB of small datagrams by default) is dropped by the kernel, as UDP
// allows. Over UDP the burst stays well inside it.
check('calls in flight together all end right', async () => {
    const calls = [];
    for (let k = 0; k < (udp ? 50 : 200); k++) calls.push(prx.add(k, k));
    (await Promise.all(calls)).forEach((r, k) => assert.strictEqual(r.ret, 2 * k));
});

// A check whose call timed out over UDP is run once more: a datagram can be dropped when
// a socket's buffer is full (the machine under load), and UDP makes no second attempt. A
// server that never answers fails the second run too.
async function runCheck(name, fn) {
    try {
        await fn();
    } catch (e) {
        if (!udp || !e || !e.error || e.error.code !== -13001) throw e;
        console.log('     ' + name + ': timed out over UDP, trying once more');
        await fn();
    }
}

async function main() {
    let passed = 0;
    let failed = 0;
    for (const { name, fn } of checks) {
        try {
            await runCheck(name, fn);
            passed++;
            console.log('ok   ' + name);
        } catch (e) {
            failed++;
            const text = e && e.error ? JSON.stringify(e.error) : e && e.stack ? e.stack : String(e);
            console.log('FAIL ' + name + ': ' + text);
            // @tars/rpc's own codes (timeout -13001, connection -12001/-12002, no endpoint
            // -10000): the server is not answering, the other checks would only wait too.
            if (e && e.error && e.error.code <= -10000) {
                failed += checks.length - passed - failed;
                console.log('stopping: the server does not answer');
                break;
            }
        }
    }
    console.log('client.js (' + (tup ? 'TUP' : 'TARS') + (udp ? ' over UDP' : '') + '): ' + passed + ' passed, ' +
        failed + ' failed');
    process.exit(failed === 0 ? 0 : 1);
}

main();
