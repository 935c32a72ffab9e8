// Byte sinks and the byte source the TARS streams are built on.
//
// A writer owns its buffer and only grows it; a stream is a writer (it derives
// from one), so `TarsOutputStream<BufferWriterString> os; ...; os.getByteBuffer()`
// hands back what was written. BufferReader does not own its input: the bytes
// given to setBuffer() must outlive the reads. None of these classes is
// thread-safe; each is used by one thread at a time.
#pragma once

#include "tup/TarsType.h"

#include <cstring>
#include <string>
#include <vector>

namespace tars {

// Writes into a std::string (the usual choice: strings move cheaply into packets).
class BufferWriterString {
public:
    void reset() { _buffer.clear(); }
    void reserve(std::size_t bytes) { _buffer.reserve(bytes); }
    void writeBuf(const void* data, std::size_t length) { _buffer.append(static_cast<const char*>(data), length); }

    const char* getBuffer() const { return _buffer.data(); }
    std::size_t getLength() const { return _buffer.size(); }
    const std::string& getByteBuffer() const { return _buffer; }

    // Overwrites bytes already written, e.g. a length prefix reserved up front.
    void patch(std::size_t offset, const void* data, std::size_t length) {
        if (offset > _buffer.size() || length > _buffer.size() - offset)
            throw TarsEncodeException("patch outside the written bytes");
        std::memcpy(_buffer.data() + offset, data, length);
    }

    // Moves the bytes out, leaving the writer empty.
    std::string takeByteBuffer() { return std::move(_buffer); }
    void swap(std::string& other) { _buffer.swap(other); }

protected:
    std::string _buffer;
};

// Writes into a std::vector<char>.
class BufferWriterVector {
public:
    void reset() { _buffer.clear(); }
    void reserve(std::size_t bytes) { _buffer.reserve(bytes); }
    void writeBuf(const void* data, std::size_t length) {
        const char* bytes = static_cast<const char*>(data);
        _buffer.insert(_buffer.end(), bytes, bytes + length);
    }

    const char* getBuffer() const { return _buffer.data(); }
    std::size_t getLength() const { return _buffer.size(); }
    const std::vector<char>& getByteBuffer() const { return _buffer; }

    void patch(std::size_t offset, const void* data, std::size_t length) {
        if (offset > _buffer.size() || length > _buffer.size() - offset)
            throw TarsEncodeException("patch outside the written bytes");
        std::memcpy(_buffer.data() + offset, data, length);
    }

    std::vector<char> takeByteBuffer() { return std::move(_buffer); }
    void swap(std::vector<char>& other) { _buffer.swap(other); }

protected:
    std::vector<char> _buffer;
};

// TARS code also names the vector writer plainly.
using BufferWriter = BufferWriterVector;

// Reads from memory it does not own. Every read checks the bounds first and
// throws TarsNotEnoughBuff rather than run past the end.
class BufferReader {
public:
    void reset() { _position = 0; }

    void setBuffer(const char* data, std::size_t length) {
        _data = data;
        _length = length;
        _position = 0;
    }
    void setBuffer(const std::vector<char>& bytes) { setBuffer(bytes.data(), bytes.size()); }
    void setBuffer(const std::string& bytes) { setBuffer(bytes.data(), bytes.size()); }
    // The reader keeps a pointer: a temporary would dangle.
    void setBuffer(std::vector<char>&&) = delete;
    void setBuffer(std::string&&) = delete;

    std::size_t tellp() const { return _position; }
    std::size_t size() const { return _length; }
    std::size_t remaining() const { return _length - _position; }
    const char* current() const { return _data + _position; }

    void readBuf(void* out, std::size_t length) {
        need(length);
        std::memcpy(out, _data + _position, length);
        _position += length;
    }

    void skip(std::size_t length) {
        need(length);
        _position += length;
    }

    // Byte at `offset` past the current position; false past the end.
    bool peekByte(std::size_t offset, std::uint8_t& byte) const {
        if (offset >= remaining()) return false;
        byte = static_cast<std::uint8_t>(_data[_position + offset]);
        return true;
    }

protected:
    void need(std::size_t length) const {
        if (length > remaining()) [[unlikely]]
            throwShort(length);
    }

private:
    // Out of line, so that the checks above stay small enough to inline.
    [[noreturn, gnu::cold, gnu::noinline]] void throwShort(std::size_t length) const {
        throw TarsNotEnoughBuff("input ends early: need " + std::to_string(length) + " bytes at offset " +
                                std::to_string(_position) + ", have " + std::to_string(remaining()));
    }

protected:
    const char* _data = nullptr;
    std::size_t _length = 0;
    std::size_t _position = 0;
};

}  // namespace tars
