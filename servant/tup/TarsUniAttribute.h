// TUP attributes: the argument form of iVersion 3 and 2 packets, where each
// argument travels under its parameter name instead of at a tag.
//
//   version 3 ("simple"):  map<string, vector<byte>>                 name -> value encoded at tag 0
//   version 2 ("complex"): map<string, map<string, vector<byte>>>    name -> {type name -> value}
//
// The whole map is itself written at tag 0 of RequestPacket.sBuffer. A method's
// return value goes under the empty name "" (and, as the C++ implementation
// also writes it, under "tars_ret").
//
// One object per packet, used by one thread. get() of an absent name throws
// TarsDecodeRequireNotExist; a value that does not decode throws the codec's
// TarsDecodeException.
#pragma once

#include "tup/Tars.h"

#include <map>
#include <string>
#include <type_traits>
#include <vector>

namespace tars {

inline constexpr short TUP_VERSION_COMPLEX = 2;
inline constexpr short TUP_VERSION_SIMPLE = 3;

// Type names used by version 2 packets. Readers ignore them (other
// implementations spell them differently); writers use the C++ TARS spelling.
template <typename T, typename = void>
struct TarsTypeName {
    static std::string name() {
        if constexpr (std::is_enum_v<T>)
            return "int32";
        else
            return T::className();
    }
};
template <>
struct TarsTypeName<Bool> {
    static std::string name() { return "bool"; }
};
template <>
struct TarsTypeName<Char> {
    static std::string name() { return "char"; }
};
template <>
struct TarsTypeName<UInt8> {
    static std::string name() { return "short"; }
};
template <>
struct TarsTypeName<Short> {
    static std::string name() { return "short"; }
};
template <>
struct TarsTypeName<UInt16> {
    static std::string name() { return "int32"; }
};
template <>
struct TarsTypeName<Int32> {
    static std::string name() { return "int32"; }
};
template <>
struct TarsTypeName<UInt32> {
    static std::string name() { return "int64"; }
};
template <>
struct TarsTypeName<Int64> {
    static std::string name() { return "int64"; }
};
template <>
struct TarsTypeName<Float> {
    static std::string name() { return "float"; }
};
template <>
struct TarsTypeName<Double> {
    static std::string name() { return "double"; }
};
template <>
struct TarsTypeName<std::string> {
    static std::string name() { return "string"; }
};
template <typename T, typename A>
struct TarsTypeName<std::vector<T, A>> {
    static std::string name() { return "list<" + TarsTypeName<T>::name() + ">"; }
};
template <typename K, typename V, typename C, typename A>
struct TarsTypeName<std::map<K, V, C, A>> {
    static std::string name() { return "map<" + TarsTypeName<K>::name() + "," + TarsTypeName<V>::name() + ">"; }
};

template <typename WriterT = BufferWriterVector, typename ReaderT = BufferReader>
class TarsUniAttribute {
public:
    using Bytes = std::vector<char>;

    void setVersion(short version) {
        if (version != TUP_VERSION_SIMPLE && version != TUP_VERSION_COMPLEX)
            throw TarsEncodeException("TUP version must be 2 or 3, not " + std::to_string(version));
        _version = version;
    }
    short getVersion() const { return _version; }

    template <typename T>
    void put(const std::string& name, const T& value) {
        TarsOutputStream<BufferWriterVector> os;
        os.write(value, 0);
        _attributes[name] = Typed{TarsTypeName<T>::name(), os.takeByteBuffer()};
    }

    // Reads the attribute `name` into `value`; throws if it is absent.
    template <typename T>
    void get(const std::string& name, T& value) const {
        const auto found = _attributes.find(name);
        if (found == _attributes.end()) throw TarsDecodeRequireNotExist("TUP attribute '" + name + "' is missing");
        decodeValue(name, found->second.bytes, value);
    }

    // Reads the attribute `name`, or sets `value` to `fallback` when absent.
    template <typename T>
    void getByDefault(const std::string& name, T& value, const T& fallback) const {
        const auto found = _attributes.find(name);
        if (found == _attributes.end())
            value = fallback;
        else
            decodeValue(name, found->second.bytes, value);
    }

    bool containsKey(const std::string& name) const { return _attributes.count(name) != 0; }
    std::size_t size() const { return _attributes.size(); }
    bool empty() const { return _attributes.empty(); }
    void clear() { _attributes.clear(); }

    // The encoded attribute map, ready for RequestPacket.sBuffer.
    template <typename Container>
    void encode(Container& out) const {
        TarsOutputStream<BufferWriterVector> os;
        if (_version == TUP_VERSION_SIMPLE) {
            std::map<std::string, Bytes> simple;
            for (const auto& [name, typed] : _attributes) simple.emplace(name, typed.bytes);
            os.write(simple, 0);
        } else {
            std::map<std::string, std::map<std::string, Bytes>> complex;
            for (const auto& [name, typed] : _attributes) complex[name].emplace(typed.type, typed.bytes);
            os.write(complex, 0);
        }
        out.assign(os.getBuffer(), os.getBuffer() + os.getLength());
    }

    // Replaces the attributes with those encoded in `data` (in this object's version).
    void decode(const char* data, std::size_t length) {
        TarsInputStream<ReaderT> is;
        is.setBuffer(data, length);
        _attributes.clear();
        if (_version == TUP_VERSION_SIMPLE) {
            std::map<std::string, Bytes> simple;
            is.read(simple, 0, true);
            for (auto& [name, bytes] : simple) _attributes.emplace(name, Typed{std::string(), std::move(bytes)});
        } else {
            std::map<std::string, std::map<std::string, Bytes>> complex;
            is.read(complex, 0, true);
            for (auto& [name, byType] : complex) {
                if (byType.empty()) continue;
                // One value per name; its type name is informational.
                auto first = byType.begin();
                _attributes.emplace(name, Typed{first->first, std::move(first->second)});
            }
        }
    }
    void decode(const std::vector<char>& data) { decode(data.data(), data.size()); }
    void decode(const std::string& data) { decode(data.data(), data.size()); }

private:
    struct Typed {
        std::string type;  // version 2 only
        Bytes bytes;
    };

    template <typename T>
    static void decodeValue(const std::string& name, const Bytes& bytes, T& value) {
        TarsInputStream<ReaderT> is;
        is.setBuffer(bytes.data(), bytes.size());
        try {
            is.read(value, 0, true);
        } catch (const TarsDecodeMismatch& e) {
            throw TarsDecodeMismatch("TUP attribute '" + name + "': " + e.what());
        } catch (const TarsDecodeException& e) {
            throw TarsDecodeException("TUP attribute '" + name + "': " + e.what());
        }
    }

    short _version = TUP_VERSION_SIMPLE;
    std::map<std::string, Typed> _attributes;
};

using UniAttribute = TarsUniAttribute<>;

}  // namespace tars
