'use strict';
// The Test.Interop servant on @tars/rpc, written by hand (see InteropTypes.js), with the
// semantics interop.tars states:
//   echo(s) -> s; add(a, b) -> a + b; roundTrip(req, out rsp) -> rsp = req, returns
//   req.bin.length + req.vs.length + keys of req.msi; getContext(key) -> request
//   context[key] or ""; fail(code) -> an error reply with iRet = code ("fail requested").
// Beyond the IDL, for the tests: getContext('@dyeing') answers "dyed:<key>" or "not dyed"
// (the request's dyeing as @tars/rpc reads it); getContext sends the request context back as the
// response context (TARS replies only: @tars/rpc writes no context into TUP replies), and
// every one-way request is printed on stdout as "oneway <method>: <first argument>".
//
// @tars/rpc calls onDispatch(current, funcName, body) for every request; a non-zero
// return value becomes an error reply with that iRet (-3 for an unknown method).

const TarsRpc = require('@tars/rpc');
const TarsStream = require('@tars/stream');
const codec = require('./InteropCodec.js');

const implementation = {
    echo: (current, s) => ({ ret: s }),
    add: (current, a, b) => ({ ret: (a + b) | 0 }),
    roundTrip: (current, req) => ({
        ret: req.bin.length + req.vs.length + Object.keys(req.msi).length,
        outs: { rsp: req },
    }),
    getContext: (current, key) => {
        // '@dyeing': what @tars/rpc makes of the request's dyeing (0x04, STATUS_DYED_KEY).
        if (key === '@dyeing') {
            const dyeing = current.getDyeingObj();
            return { ret: dyeing.dyeing ? 'dyed:' + (dyeing.key || '') : 'not dyed' };
        }
        const context = current.getContext();
        const value = context && context.has(key) ? context.get(key) : '';
        const echoed = {};
        if (context) context.forEach((k, v) => {
            echoed[k] = v;
        });
        current.setResponseContext(echoed);
        return { ret: value };
    },
    fail: (current, code) => ({ error: code }),
};

function InteropImp() {}

InteropImp.prototype.initialize = function () {};

InteropImp.prototype.onDispatch = function (current, funcName, body) {
    if (funcName === 'tars_ping') {
        // Printed for the keep-alive test (our client's idle pings); answered as the
        // servants tars2node generates do.
        console.log('tars_ping answered');
        current.doResponse(new TarsStream.BinBuffer());
        return TarsRpc.error.SUCCESS;
    }
    const impl = implementation[funcName];
    if (!impl) return TarsRpc.error.SERVER.FUNC_NOT_FOUND;

    const version = current.getRequestVersion();
    const args = codec.decodeRequest(funcName, version, body);
    if (current.getRequest().cPacketType === 1) {
        console.log('oneway ' + funcName + ': ' + String(args[0]));
    }
    const result = impl(current, ...args);
    if (result.error !== undefined) {
        current.sendErrorResponse(result.error, 'fail requested');
    } else {
        current.doResponse(codec.encodeResult(funcName, version, result.ret, result.outs || {}));
    }
    return TarsRpc.error.SUCCESS;
};

module.exports = { InteropImp };
