#include "util/tc_network_buffer.h"

#include <algorithm>
#include <cstring>

namespace tars {

namespace {

constexpr size_t kLargeBlock = 64 * 1024;  // NetThread's read size
constexpr size_t kCachedBlocks = 8;        // per size, per thread

// Freed blocks of the two standard sizes, per thread. `gone` outlives the cache, so a
// buffer destroyed during thread exit frees its blocks instead of touching a dead cache.
struct BlockCache {
    std::vector<char*> small;  // kBlockSize
    std::vector<char*> large;  // kLargeBlock
    static inline thread_local bool gone = false;
    BlockCache() {
        small.reserve(kCachedBlocks);
        large.reserve(kCachedBlocks);
    }
    ~BlockCache() {
        gone = true;
        for (char* p : small) delete[] p;
        for (char* p : large) delete[] p;
    }
    static BlockCache* get() {
        if (gone) return nullptr;
        thread_local BlockCache cache;
        return &cache;
    }
    std::vector<char*>* listFor(size_t capacity) {
        if (capacity == TC_NetWorkBuffer::kBlockSize) return &small;
        if (capacity == kLargeBlock) return &large;
        return nullptr;
    }
};

}  // namespace

void TC_NetWorkBuffer::BlockRelease::operator()(char* p) const noexcept {
    if (BlockCache* cache = BlockCache::get()) {
        if (std::vector<char*>* list = cache->listFor(capacity); list && list->size() < kCachedBlocks) {
            list->push_back(p);
            return;
        }
    }
    delete[] p;
}

TC_NetWorkBuffer::Block TC_NetWorkBuffer::allocBlock(size_t capacity) {
    Block b;
    b.capacity = capacity;
    char* p = nullptr;
    if (BlockCache* cache = BlockCache::get()) {
        if (std::vector<char*>* list = cache->listFor(capacity); list && !list->empty()) {
            p = list->back();
            list->pop_back();
        }
    }
    if (p == nullptr) p = new char[capacity];
    b.data = std::unique_ptr<char[], BlockRelease>(p, BlockRelease{capacity});
    return b;
}

void TC_NetWorkBuffer::ChunkRing::grow() {
    size_t capacity = _slots.empty() ? 4 : _slots.size() * 2;
    std::vector<Chunk> bigger(capacity);
    for (size_t i = 0; i < _count; ++i) bigger[i] = std::move(_slots[index(i)]);
    _slots.swap(bigger);
    _head = 0;
}

void TC_NetWorkBuffer::ChunkRing::push_back(Chunk&& c) {
    if (_count == _slots.size()) grow();
    _slots[index(_count)] = std::move(c);
    ++_count;
}

void TC_NetWorkBuffer::ChunkRing::push_front(Chunk&& c) {
    if (_count == _slots.size()) grow();
    _head = (_head + _slots.size() - 1) & (_slots.size() - 1);
    _slots[_head] = std::move(c);
    ++_count;
}

void TC_NetWorkBuffer::ChunkRing::pop_front() {
    _slots[_head] = Chunk{};  // releases the storage now
    _head = (_head + 1) & (_slots.size() - 1);
    --_count;
}

void TC_NetWorkBuffer::ChunkRing::pop_back() {
    _slots[index(_count - 1)] = Chunk{};
    --_count;
}

void TC_NetWorkBuffer::ChunkRing::clear() {
    // Releases the slots too: a buffer emptied for good holds no memory.
    std::vector<Chunk>().swap(_slots);
    _head = 0;
    _count = 0;
}

const char* TC_NetWorkBuffer::Chunk::base() const {
    switch (storage.index()) {
        case 0: return std::get<0>(storage).data.get();
        case 1: return std::get<1>(storage).data();
        case 2: return std::get<2>(storage).data();
        default: return std::get<3>(storage)->data();
    }
}

void TC_NetWorkBuffer::addBuffer(const char* data, size_t len) {
    if (len == 0) return;
    // Fill the spare room of the tail block first.
    if (!_chunks.empty()) {
        Chunk& tail = _chunks.back();
        if (Block* b = tail.block()) {
            size_t room = b->capacity - tail.end;
            size_t n = std::min(room, len);
            if (n > 0) {
                std::memcpy(b->data.get() + tail.end, data, n);
                tail.end += n;
                _length += n;
                data += n;
                len -= n;
            }
        }
    }
    if (len == 0) return;
    Block b = allocBlock(std::max(len, kBlockSize));
    std::memcpy(b.data.get(), data, len);
    _chunks.push_back(Chunk{std::move(b), 0, len});
    _length += len;
}

void TC_NetWorkBuffer::addBuffer(std::string&& data) {
    if (data.size() < kCopyThreshold) {
        addBuffer(data.data(), data.size());
        return;
    }
    size_t len = data.size();
    _chunks.push_back(Chunk{std::move(data), 0, len});
    _length += len;
}

void TC_NetWorkBuffer::addBuffer(std::vector<char>&& data) {
    if (data.size() < kCopyThreshold) {
        addBuffer(data.data(), data.size());
        return;
    }
    size_t len = data.size();
    _chunks.push_back(Chunk{std::move(data), 0, len});
    _length += len;
}

void TC_NetWorkBuffer::addBuffer(std::shared_ptr<const std::string> data) {
    if (!data || data->empty()) return;
    size_t len = data->size();
    _chunks.push_back(Chunk{std::move(data), 0, len});
    _length += len;
}

std::pair<char*, size_t> TC_NetWorkBuffer::getWriteSpace(size_t minSize) {
    if (minSize == 0) minSize = 1;
    if (!_chunks.empty()) {
        Chunk& tail = _chunks.back();
        if (Block* b = tail.block(); b && b->capacity - tail.end >= minSize) {
            return {b->data.get() + tail.end, b->capacity - tail.end};
        }
    }
    Block b = allocBlock(std::max(minSize, kBlockSize));
    char* p = b.data.get();
    size_t cap = b.capacity;
    _chunks.push_back(Chunk{std::move(b), 0, 0});
    return {p, cap};
}

void TC_NetWorkBuffer::commitWrite(size_t n) {
    if (_chunks.empty()) return;
    Chunk& tail = _chunks.back();
    Block* b = tail.block();
    if (b == nullptr) return;
    n = std::min(n, b->capacity - tail.end);
    tail.end += n;
    _length += n;
    if (tail.size() == 0) _chunks.pop_back();  // unused receive space: give it back
}

bool TC_NetWorkBuffer::getHeader(size_t len, void* out) const {
    if (len > _length) return false;
    char* dst = static_cast<char*>(out);
    for (size_t i = 0; i < _chunks.size(); ++i) {
        const Chunk& c = _chunks[i];
        if (len == 0) break;
        size_t n = std::min(len, c.size());
        std::memcpy(dst, c.base() + c.begin, n);
        dst += n;
        len -= n;
    }
    return true;
}

bool TC_NetWorkBuffer::getUint32BE(uint32_t& value) const {
    unsigned char b[4];
    if (!getHeader(4, b)) return false;
    value = (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | uint32_t(b[3]);
    return true;
}

void TC_NetWorkBuffer::popEmptyFront() {
    while (!_chunks.empty() && _chunks.front().size() == 0) _chunks.pop_front();
}

std::string_view TC_NetWorkBuffer::peek(size_t len) {
    if (len == 0 || len > _length) return {};
    popEmptyFront();
    Chunk& first = _chunks.front();
    if (first.size() >= len) return {first.base() + first.begin, len};

    // Join the first len bytes into one new block at the front.
    Block b = allocBlock(len);
    size_t copied = 0;
    while (copied < len) {
        Chunk& c = _chunks.front();
        size_t n = std::min(len - copied, c.size());
        std::memcpy(b.data.get() + copied, c.base() + c.begin, n);
        c.begin += n;
        copied += n;
        if (c.size() == 0) _chunks.pop_front();
    }
    const char* p = b.data.get();
    _chunks.push_front(Chunk{std::move(b), 0, len});
    return {p, len};
}

std::string_view TC_NetWorkBuffer::front() const {
    for (size_t i = 0; i < _chunks.size(); ++i) {
        const Chunk& c = _chunks[i];
        if (c.size() > 0) return {c.base() + c.begin, c.size()};
    }
    return {};
}

void TC_NetWorkBuffer::moveHeader(size_t len) {
    len = std::min(len, _length);
    _length -= len;
    while (len > 0) {
        Chunk& c = _chunks.front();
        size_t n = std::min(len, c.size());
        c.begin += n;
        len -= n;
        if (c.size() == 0) _chunks.pop_front();
    }
    popEmptyFront();
}

std::string TC_NetWorkBuffer::takeFront(size_t len) {
    len = std::min(len, _length);
    popEmptyFront();
    if (len > 0) {
        Chunk& c = _chunks.front();
        if (auto* s = std::get_if<std::string>(&c.storage);
            s && c.begin == 0 && c.end == s->size() && len == s->size()) {
            std::string out = std::move(*s);
            _chunks.pop_front();
            _length -= len;
            return out;
        }
    }
    std::string out(len, '\0');
    getHeader(len, out.data());
    moveHeader(len);
    return out;
}

std::string TC_NetWorkBuffer::getBuffersString() const {
    std::string out(_length, '\0');
    getHeader(_length, out.data());
    return out;
}

size_t TC_NetWorkBuffer::getIovec(iovec* iov, size_t maxIov) const {
    size_t k = 0;
    for (size_t i = 0; i < _chunks.size(); ++i) {
        const Chunk& c = _chunks[i];
        if (k >= maxIov) break;
        if (c.size() == 0) continue;
        iov[k].iov_base = const_cast<char*>(c.base() + c.begin);
        iov[k].iov_len = c.size();
        ++k;
    }
    return k;
}

void TC_NetWorkBuffer::clearBuffers() {
    _chunks.clear();
    _length = 0;
}

}  // namespace tars
