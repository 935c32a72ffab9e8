'use strict';
// The methods of interface Test.Interop (interop.tars) and how their arguments travel,
// shared by the hand-written proxy (InteropProxy.js) and servant (InteropServant.js).
//
// iVersion 1 (TARS): parameters at tags 1..n in declaration order (out parameters
// counted), the return value at tag 0. iVersion 3 (TUP): a UniAttribute keyed by
// parameter name, the return value under "" (what generated node servers write).
// Requests carry the input parameters only, as node proxies send them.

const TarsStream = require('@tars/stream');
const { AllTypes } = require('./InteropTypes.js');

const TUP_VERSIONS = [TarsStream.Tup.TUP_COMPLEX, TarsStream.Tup.TUP_SIMPLE];
const isTup = (version) => TUP_VERSIONS.includes(version);

// One IDL type in both encodings: write/read by tag, put/get by name.
const types = {
    string: {
        write: (os, tag, v) => os.writeString(tag, v),
        read: (is, tag, require) => is.readString(tag, require, ''),
        put: (ua, name, v) => ua.writeString(name, v),
        get: (ua, name, def) => ua.readString(name, def),
        zero: () => '',
    },
    int: {
        write: (os, tag, v) => os.writeInt32(tag, v),
        read: (is, tag, require) => is.readInt32(tag, require, 0),
        put: (ua, name, v) => ua.writeInt32(name, v),
        get: (ua, name, def) => ua.readInt32(name, def),
        zero: () => 0,
    },
    AllTypes: {
        write: (os, tag, v) => os.writeStruct(tag, v),
        read: (is, tag, require) => is.readStruct(tag, require, AllTypes),
        put: (ua, name, v) => ua.writeStruct(name, v),
        get: (ua, name, def) => ua.readStruct(name, AllTypes, def),
        zero: () => new AllTypes(),
    },
};

const methods = {
    echo: { ret: types.string, params: [{ name: 's', type: types.string }] },
    add: {
        ret: types.int,
        params: [
            { name: 'a', type: types.int },
            { name: 'b', type: types.int },
        ],
    },
    roundTrip: {
        ret: types.int,
        params: [
            { name: 'req', type: types.AllTypes },
            { name: 'rsp', type: types.AllTypes, out: true },
        ],
    },
    getContext: { ret: types.string, params: [{ name: 'key', type: types.string }] },
    fail: { ret: types.int, params: [{ name: 'code', type: types.int }] },
};

function newAttribute(version) {
    const ua = new TarsStream.UniAttribute();
    ua.tupVersion = version;
    return ua;
}

// ---- client side
// The request body: a BinBuffer (TARS) or a UniAttribute (TUP, for tup_invoke).
function encodeRequest(method, version, inputs) {
    const spec = methods[method];
    const ins = spec.params.filter((p) => !p.out);
    if (isTup(version)) {
        const ua = newAttribute(version);
        ins.forEach((p, k) => p.type.put(ua, p.name, inputs[k]));
        return ua;
    }
    const os = new TarsStream.TarsOutputStream();
    spec.params.forEach((p, k) => {
        if (!p.out) p.type.write(os, k + 1, inputs[ins.indexOf(p)]);
    });
    return os.getBinBuffer();
}

// {ret, outs: {name: value}} from the response @tars/rpc resolved with: a ResponsePacket
// (TARS) or a RequestPacket-shaped reply whose .tup is the decoded UniAttribute (TUP).
function decodeResponse(method, version, response) {
    const spec = methods[method];
    const outs = {};
    if (isTup(version)) {
        const ua = response.tup;
        const ret = spec.ret.get(ua, '');
        for (const p of spec.params.filter((q) => q.out)) outs[p.name] = p.type.get(ua, p.name);
        return { ret, outs };
    }
    const is = new TarsStream.TarsInputStream(response.sBuffer);
    const ret = spec.ret.read(is, 0, true);
    spec.params.forEach((p, k) => {
        if (p.out) outs[p.name] = p.type.read(is, k + 1, true);
    });
    return { ret, outs };
}

// ---- server side
// The arguments in declaration order; out parameters start at their zero value.
function decodeRequest(method, version, body) {
    const spec = methods[method];
    if (isTup(version)) {
        const ua = newAttribute(version);
        ua.decode(body);
        return spec.params.map((p) => (p.out ? p.type.get(ua, p.name, p.type.zero()) : p.type.get(ua, p.name)));
    }
    const is = new TarsStream.TarsInputStream(body);
    return spec.params.map((p, k) => (p.out ? p.type.zero() : p.type.read(is, k + 1, true)));
}

// The reply body (a BinBuffer) for the return value and the out parameters by name.
function encodeResult(method, version, ret, outs) {
    const spec = methods[method];
    if (isTup(version)) {
        const ua = newAttribute(version);
        spec.ret.put(ua, '', ret);
        for (const p of spec.params.filter((q) => q.out)) p.type.put(ua, p.name, outs[p.name]);
        return ua.encode();
    }
    const os = new TarsStream.TarsOutputStream();
    spec.ret.write(os, 0, ret);
    spec.params.forEach((p, k) => {
        if (p.out) p.type.write(os, k + 1, outs[p.name]);
    });
    return os.getBinBuffer();
}

module.exports = { methods, isTup, encodeRequest, decodeResponse, decodeRequest, encodeResult };
