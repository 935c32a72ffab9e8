'use strict';
// The types of interop.tars (module Test) for @tars/stream, written by hand.
//
// The node ecosystem's generator, tars2node, is a C++ program that is not published on
// npm, so these classes are what it would produce, in the shape @tars/stream expects of
// a struct: a constructor giving the defaults, static _write/_read/_readFrom, and
// prototype._writeTo. As generated node code does, _writeTo writes every field, optional
// ones at their default included.
//
// JavaScript values: `long` is a decimal string (exact over the whole int64 range; a JS
// number is exact only up to 2^53), `vector<byte>` a Buffer, vectors arrays, the map a
// plain object, the enum a number.

const TarsStream = require('@tars/stream');

const Color = Object.freeze({ RED: 0, GREEN: 1, BLUE: 2 });

function Inner() {
    this.id = 0;
    this.name = '';
}
Inner._classname = 'Test.Inner';
Inner._write = (os, tag, value) => os.writeStruct(tag, value);
Inner._read = (is, tag, def) => is.readStruct(tag, true, def);
Inner._readFrom = (is) => {
    const v = new Inner();
    v.id = is.readInt32(0, true, 0);
    v.name = is.readString(1, false, '');
    return v;
};
Inner.prototype._writeTo = function (os) {
    os.writeInt32(0, this.id);
    os.writeString(1, this.name);
};
Inner.make = (id, name) => Object.assign(new Inner(), { id, name });

function AllTypes() {
    this.b = false;
    this.by = 0;
    this.sh = 0;
    this.i = 0;
    this.l = '0';
    this.f = 0;
    this.d = 0;
    this.s = '';
    this.bin = Buffer.alloc(0);
    this.vs = [];
    this.msi = {};
    this.inner = new Inner();
    this.vinner = [];
    this.color = Color.RED;
    this.untouched = 42;
    this.tag15 = '';
    this.vi = [];
}
AllTypes._classname = 'Test.AllTypes';
AllTypes._write = (os, tag, value) => os.writeStruct(tag, value);
AllTypes._read = (is, tag, def) => is.readStruct(tag, true, def);

// @tars/stream lists and maps are objects of their own; these convert at the codec edge.
function toList(proto, values) {
    const list = TarsStream.List(proto);
    for (const v of values) list.push(v);
    return list;
}
function toStringIntMap(object) {
    const map = TarsStream.Map(TarsStream.String, TarsStream.Int32);
    for (const key of Object.keys(object)) map.insert(key, object[key]);
    return map;
}
function fromMap(map) {
    const object = {};
    map.forEach((key, value) => {
        object[key] = value;
    });
    return object;
}

AllTypes._readFrom = (is) => {
    const v = new AllTypes();
    v.b = is.readBoolean(0, false, false);
    v.by = is.readInt8(1, false, 0);
    v.sh = is.readInt16(2, false, 0);
    v.i = is.readInt32(3, false, 0);
    // readInt64 returns the number 0 (not '0') for a ZERO_TAG value, even in string mode.
    v.l = String(is.readInt64(4, false, '0', true));
    v.f = is.readFloat(5, false, 0);
    v.d = is.readDouble(6, false, 0);
    v.s = is.readString(7, false, '');
    v.bin = is.readBytes(8, false, TarsStream.BinBuffer).toNodeBuffer();
    // readList/readMap return the type object they were given when the tag is absent.
    v.vs = is.readList(9, false, TarsStream.List(TarsStream.String)).value.slice();
    v.msi = fromMap(is.readMap(10, false, TarsStream.Map(TarsStream.String, TarsStream.Int32)));
    v.inner = is.readStruct(11, false, Inner);
    v.vinner = is.readList(12, false, TarsStream.List(Inner)).value.slice();
    v.color = is.readInt32(13, false, Color.RED);
    v.untouched = is.readInt32(14, false, 42);
    v.tag15 = is.readString(15, false, '');
    v.vi = is.readList(200, false, TarsStream.List(TarsStream.Int32)).value.slice();
    return v;
};
AllTypes.prototype._writeTo = function (os) {
    os.writeBoolean(0, this.b);
    os.writeInt8(1, this.by);
    os.writeInt16(2, this.sh);
    os.writeInt32(3, this.i);
    os.writeInt64(4, this.l, true);
    os.writeFloat(5, this.f);
    os.writeDouble(6, this.d);
    os.writeString(7, this.s);
    os.writeBytes(8, new TarsStream.BinBuffer(this.bin));
    os.writeList(9, toList(TarsStream.String, this.vs));
    os.writeMap(10, toStringIntMap(this.msi));
    os.writeStruct(11, this.inner);
    os.writeList(12, toList(Inner, this.vinner));
    os.writeInt32(13, this.color);
    os.writeInt32(14, this.untouched);
    os.writeString(15, this.tag15);
    os.writeList(200, toList(TarsStream.Int32, this.vi));
};

module.exports = { Color, Inner, AllTypes };
