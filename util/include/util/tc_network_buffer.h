// TC_NetWorkBuffer: the byte stream of one connection direction (received bytes
// waiting to be parsed, or encoded responses waiting to be written), kept as a chain of
// chunks so that large payloads are never copied on the way through.
//
// Ownership rules:
//  * addBuffer(std::string&&) / addBuffer(std::vector<char>&&) take the caller's
//    storage (no copy; payloads under kCopyThreshold bytes are copied into the tail
//    block instead, so many small writes do not become many tiny iovecs).
//  * addBuffer(std::shared_ptr<const std::string>) shares an immutable payload (one
//    push to many connections): the buffer holds a reference until those bytes are
//    consumed. The owner must never modify the string afterwards.
//  * addBuffer(const char*, len) / addBuffer(std::string_view) copy.
//  * Views and pointers returned by peek(), front(), getIovec() and getWriteSpace()
//    stay valid until the next non-const call on the buffer.
// Memory: an empty buffer holds no heap memory (an idle connection costs nothing here);
// the chunk list is a ring that keeps its slots, and blocks of the two standard sizes
// (kBlockSize and getWriteSpace's usual 64 KiB) come from and go back to a small
// per-thread cache, so steady traffic through a buffer allocates nothing.
// Threads: not synchronised. One buffer belongs to one thread (the connection's
// network thread); hand data between threads through a queue, not through a buffer.
// Errors: none thrown except std::bad_alloc; reads past the end return false/empty.
//
// Typical use, receiving a length-prefixed protocol:
//   auto [p, n] = buf.getWriteSpace(); ssize_t r = sock.recv(p, n);
//   buf.commitWrite(r > 0 ? r : 0);
//   uint32_t len; while (buf.getUint32BE(len) && buf.getBufferLength() >= len) {
//     std::string_view packet = buf.peek(len); ...decode...; buf.moveHeader(len); }
// and sending:
//   buf.addBuffer(std::move(encoded)); iovec iov[64]; size_t k = buf.getIovec(iov, 64);
//   ssize_t w = sock.sendv(iov, k); if (w > 0) buf.moveHeader(w);
#pragma once

#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace tars {

class TC_NetWorkBuffer {
public:
    // Allocation unit of copied data and of receive space.
    static constexpr size_t kBlockSize = 16 * 1024;
    // Moved-in payloads shorter than this are copied into the tail block.
    static constexpr size_t kCopyThreshold = 1024;

    TC_NetWorkBuffer() = default;
    TC_NetWorkBuffer(TC_NetWorkBuffer&&) noexcept = default;
    TC_NetWorkBuffer& operator=(TC_NetWorkBuffer&&) noexcept = default;
    TC_NetWorkBuffer(const TC_NetWorkBuffer&) = delete;
    TC_NetWorkBuffer& operator=(const TC_NetWorkBuffer&) = delete;

    // ------------------------------------------------------------ appending
    void addBuffer(const char* data, size_t len);
    void addBuffer(std::string_view data) { addBuffer(data.data(), data.size()); }
    void addBuffer(std::string&& data);
    void addBuffer(std::vector<char>&& data);
    void addBuffer(std::shared_ptr<const std::string> data);

    // Writable space at the end of the buffer, at least minSize bytes (the returned
    // size may be larger). Write into it (e.g. recv), then commitWrite(n) with the
    // number of bytes written; make no other call on the buffer in between.
    std::pair<char*, size_t> getWriteSpace(size_t minSize = 4096);
    void commitWrite(size_t n);

    // ------------------------------------------------------------ reading
    size_t getBufferLength() const { return _length; }
    bool empty() const { return _length == 0; }
    size_t getChunkCount() const { return _chunks.size(); }

    // Copies the first len bytes into out; false (nothing copied) if fewer are buffered.
    bool getHeader(size_t len, void* out) const;
    // The first 4 bytes as a big-endian unsigned integer (a TARS length header).
    bool getUint32BE(uint32_t& value) const;

    // The first len bytes as one contiguous view, joining chunks (one copy of those
    // bytes) only when they span several; an empty view if fewer than len are buffered.
    std::string_view peek(size_t len);
    // The bytes of the first chunk (empty if the buffer is empty).
    std::string_view front() const;

    // Discards the first len bytes (all of them if len exceeds the length).
    void moveHeader(size_t len);
    // Removes and returns the first len bytes (fewer if fewer are buffered); a moved-in
    // string that is exactly the front is handed back without a copy.
    std::string takeFront(size_t len);
    // Copy of everything (for tests and slow paths).
    std::string getBuffersString() const;

    // Fills up to maxIov entries describing the front bytes in order, for writev or
    // sendmsg; returns the number filled. Follow a partial write with moveHeader(n).
    size_t getIovec(iovec* iov, size_t maxIov) const;

    void clearBuffers();

private:
    // Gives a block back to this thread's cache (or frees it).
    struct BlockRelease {
        size_t capacity;  // no initializer: default-constructible inside the incomplete class
        void operator()(char* p) const noexcept;
    };
    struct Block {
        std::unique_ptr<char[], BlockRelease> data;
        size_t capacity;  // no initializer either (a variant value-initializes it)
    };
    static Block allocBlock(size_t capacity);
    struct Chunk {
        std::variant<Block, std::string, std::vector<char>, std::shared_ptr<const std::string>> storage;
        size_t begin = 0;  // first unread byte
        size_t end = 0;    // one past the last valid byte

        const char* base() const;
        size_t size() const { return end - begin; }
        Block* block() { return std::get_if<Block>(&storage); }
    };

    // A deque of chunks in a vector that only grows (no allocation per chunk).
    class ChunkRing {
    public:
        bool empty() const { return _count == 0; }
        size_t size() const { return _count; }
        Chunk& front() { return _slots[_head]; }
        Chunk& back() { return _slots[index(_count - 1)]; }
        const Chunk& operator[](size_t i) const { return _slots[index(i)]; }
        void push_back(Chunk&& c);
        void push_front(Chunk&& c);
        void pop_front();
        void pop_back();
        void clear();

    private:
        size_t index(size_t i) const { return (_head + i) & (_slots.size() - 1); }
        void grow();
        std::vector<Chunk> _slots;  // size a power of two (or 0)
        size_t _head = 0;
        size_t _count = 0;
    };

    void popEmptyFront();

    ChunkRing _chunks;
    size_t _length = 0;
};

}  // namespace tars
