'use strict';
// A client proxy of Test.Interop for @tars/rpc, written by hand (see InteropTypes.js).
//
//   const prx = communicator.stringToProxy(InteropProxy, 'Test.InteropServer.InteropObj@tcp -h .. -p ..');
//   prx.setVersion(3);                               // TUP; 1 (TARS) is the default
//   const r = await prx.roundTrip(req, { context: { k: 'v' } });
//   r.ret, r.outs.rsp, r.context                     // return value, out parameters, response context
//
// Every method returns a promise. A failed call rejects with @tars/rpc's RpcCallError:
// error.code is the server's iRet (or a client-side code), error.message its text.
// property.packetType = 1 makes the call one-way: @tars/rpc then rejects at once with
// "one way call do not need response" once the request is written; callOneWay() hides that.
// A proxy's version belongs to its Communicator's ObjectProxy for that object string: use
// one Communicator per version.

const TarsStream = require('@tars/stream');
const codec = require('./InteropCodec.js');

function InteropProxy() {
    this._name = undefined;
    this._worker = undefined;
}

InteropProxy.prototype.setTimeout = function (ms) {
    this._worker.timeout = ms;
};
InteropProxy.prototype.setVersion = function (version) {
    this._worker.version = version;
};
InteropProxy.prototype.getVersion = function () {
    return this._worker.version;
};

function mapToObject(map) {
    const object = {};
    if (map) map.forEach((key, value) => {
        object[key] = value;
    });
    return object;
}

// Calls `method` with the already encoded body; resolves with {ret, outs, context}.
InteropProxy.prototype._invoke = function (method, body, property) {
    const version = this.getVersion();
    const call = codec.isTup(version)
        ? this._worker.tup_invoke(method, body, property)
        : this._worker.tars_invoke(method, body, property);
    return call.then((data) => {
        const result = codec.decodeResponse(method, version, data.response);
        result.context = mapToObject(data.response.context);
        return result;
    });
};

for (const method of Object.keys(codec.methods)) {
    const inputs = codec.methods[method].params.filter((p) => !p.out).length;
    InteropProxy.prototype[method] = function (...args) {
        const property = args.length > inputs ? args[inputs] : undefined;
        return this._invoke(method, codec.encodeRequest(method, this.getVersion(), args.slice(0, inputs)), property);
    };
}

// A one-way call of `method`: resolves once the request was handed to the socket.
InteropProxy.prototype.callOneWay = function (method, ...args) {
    const version = this.getVersion();
    const body = codec.encodeRequest(method, version, args);
    const property = { packetType: 1 };
    const call = codec.isTup(version)
        ? this._worker.tup_invoke(method, body, property)
        : this._worker.tars_invoke(method, body, property);
    return call.then(
        () => {
            throw new Error('one-way call ' + method + ' got a reply');
        },
        (e) => {
            if (e && e.error && /one way call/.test(e.error.message)) return;
            throw e;
        },
    );
};

// A call of a method the IDL does not have, with an empty body (for the -3 check).
InteropProxy.prototype.callUnknown = function (method) {
    if (codec.isTup(this.getVersion())) return this._worker.tup_invoke(method, new TarsStream.UniAttribute(), {});
    return this._worker.tars_invoke(method, new TarsStream.BinBuffer(), {});
};

module.exports = { InteropProxy };
