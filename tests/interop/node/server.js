#!/usr/bin/env node
'use strict';
// A node TARS server (@tars/rpc) serving Test.Interop (InteropServant.js), started like
// any TARS server:
//
//   server.js --config=FILE
//
// It reads FILE in the TARS config format and serves InteropImp on every adapter of
// /tars/application/server whose servant ends with ".InteropObj" (normally
// Test.InteropServer.InteropObj). SIGTERM or SIGINT stop it with exit status 0.

const TarsRpc = require('@tars/rpc');
const { InteropImp } = require('./InteropServant.js');

const configArg = process.argv.slice(2).find((a) => a.startsWith('--config='));
if (!configArg) {
    console.error('usage: server.js --config=FILE');
    process.exit(2);
}

const server = TarsRpc.server.createServer();
server.initialize(configArg.slice('--config='.length), (svr) => {
    for (const adapter of svr._adapters) {
        if (adapter.servantName.endsWith('.InteropObj')) svr.addServant(InteropImp, adapter.servantName);
    }
});
server.start();
console.log('node interop server started');

const stop = () => {
    server.stop();
    process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
