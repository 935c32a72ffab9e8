'use strict';
// The values the interop checks send, the same on both sides: InteropCases.h builds the
// same ones in C++. Change one, change the other.

const { AllTypes, Inner, Color } = require('./InteropTypes.js');

const FLT_MAX = 3.4028234663852886e38;
const FLT_TRUE_MIN = 1.401298464324817e-45;
const DBL_MAX = Number.MAX_VALUE;
const DBL_TRUE_MIN = Number.MIN_VALUE;
const UNICODE = 'h\u00e9llo w\u00f6rld \u2713 \u6f22\u5b57 \ud83c\udf89';

function pattern(length) {
    const b = Buffer.alloc(length);
    for (let k = 0; k < length; k++) b[k] = (k * 7 + 3) & 0xff;
    return b;
}

function allTypes(fields) {
    return Object.assign(new AllTypes(), fields);
}

// Strings for echo: empty, short, non-ASCII, each side of the 1-byte length limit, long.
const echoStrings = [
    '',
    'hello',
    UNICODE,
    'a'.repeat(255),
    'b'.repeat(256),
    'c'.repeat(70000),
    UNICODE.repeat(50000),
];

const adds = [
    [1, 2, 3],
    [-5, 3, -2],
    [2147483646, 1, 2147483647],
    [-2147483647, -1, -2147483648],
    [0, 0, 0],
];

const roundTrips = {
    defaults: allTypes({}),
    maxima: allTypes({
        b: true,
        by: 127,
        sh: 32767,
        i: 2147483647,
        l: '9223372036854775807',
        f: FLT_MAX,
        d: DBL_MAX,
        s: 'x'.repeat(255),
        bin: pattern(256),
        vs: ['', 'a', 'y'.repeat(256), UNICODE],
        msi: { '': -1, a: 1, max: 2147483647, min: -2147483648, 10: 10, 9: 9 },
        inner: Inner.make(2147483647, 'inner'),
        vinner: [Inner.make(1, 'one'), Inner.make(-2, ''), Inner.make(0, 'zero')],
        color: Color.BLUE,
        tag15: 'tag fifteen',
        vi: [2147483647, -2147483648, 0, 1, -1],
    }),
    minima: allTypes({
        b: false,
        by: -128,
        sh: -32768,
        i: -2147483648,
        l: '-9223372036854775808',
        f: -FLT_TRUE_MIN,
        d: -DBL_TRUE_MIN,
        s: 'z'.repeat(256),
        inner: Inner.make(-2147483648, ''),
        color: Color.GREEN,
        tag15: UNICODE,
        vi: [-2147483648],
    }),
    large: allTypes({
        i: 123456,
        l: '-1',
        f: 0.5,
        d: -0.25,
        s: UNICODE.repeat(20000),
        bin: pattern(1 << 20),
        vs: Array.from({ length: 1000 }, (_, k) => 'string ' + k),
        msi: Object.fromEntries(Array.from({ length: 1000 }, (_, k) => ['key' + k, k * 1000 - 500000])),
        vinner: Array.from({ length: 500 }, (_, k) => Inner.make(k, 'inner ' + k)),
        color: Color.BLUE,
        vi: Array.from({ length: 10000 }, (_, k) => k * 214748 - 1073741824),
    }),
};

// int64 values each side of every width the encoding may choose, and past 2^53.
const longs = [
    '1', '-1', '127', '128', '-129', '32767', '32768', '-32769',
    '2147483647', '2147483648', '-2147483648', '-2147483649',
    '4294967295', '4294967296', '-4294967296',
    '9007199254740993', '-9007199254740993',
    '9223372036854775807', '-9223372036854775808',
];

const failCodes = [1, -1, -99, 12345, -12345];

module.exports = { echoStrings, adds, roundTrips, longs, failCodes, allTypes };
