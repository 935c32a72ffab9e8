// The JSON form of TARS values, used by generated writeToJson()/readFromJson()
// and by the JSON protocol (iVersion 5).
//
// Mapping: a struct is an object keyed by field name; an enum is its name
// (reading also takes the number); integers are JSON integers and keep their
// exact 64-bit value (reading also takes a decimal string, which is how
// JavaScript peers send longs); vector<byte> is an array of byte values
// (reading also takes a string of raw bytes); a map with string, number, bool
// or enum keys is an object whose keys are the key's text; a map with struct
// keys is an array of [key, value] pairs. Strings that are not valid UTF-8 are
// written with U+FFFD replacements.
//
// Reading throws tars::TarsDecodeException naming the field path and what was
// wrong. Stateless: safe from any thread.
#pragma once

#include "tup/TarsType.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <concepts>
#include <limits>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

namespace tars {

using JsonValue = nlohmann::ordered_json;

namespace detail {
template <typename T>
inline constexpr bool isTarsInteger =
    std::is_same_v<T, Char> || std::is_same_v<T, UInt8> || std::is_same_v<T, Short> || std::is_same_v<T, UInt16> ||
    std::is_same_v<T, Int32> || std::is_same_v<T, UInt32> || std::is_same_v<T, Int64>;

inline std::string jsonTypeName(const JsonValue& value) { return value.type_name(); }
}  // namespace detail

struct JsonOutput {
    static JsonValue writeJson(Bool value) { return JsonValue(value); }

    template <typename T>
    requires detail::isTarsInteger<T>
    static JsonValue writeJson(T value) { return JsonValue(static_cast<Int64>(value)); }

    static JsonValue writeJson(Float value) { return JsonValue(static_cast<double>(value)); }
    static JsonValue writeJson(Double value) { return JsonValue(value); }
    static JsonValue writeJson(const std::string& value) { return JsonValue(value); }

    static JsonValue writeJson(const std::vector<Char>& value) {
        JsonValue array = JsonValue::array();
        for (Char byte : value) array.push_back(static_cast<int>(static_cast<std::uint8_t>(byte)));
        return array;
    }

    static JsonValue writeJson(const std::vector<Bool>& value) {
        JsonValue array = JsonValue::array();
        for (bool element : value) array.push_back(element);
        return array;
    }

    template <typename T, typename Alloc>
    static JsonValue writeJson(const std::vector<T, Alloc>& value) {
        JsonValue array = JsonValue::array();
        for (const auto& element : value) array.push_back(writeJson(element));
        return array;
    }

    template <typename K, typename V, typename Cmp, typename Alloc>
    static JsonValue writeJson(const std::map<K, V, Cmp, Alloc>& value) {
        if constexpr (std::is_base_of_v<TarsStructBase, K>) {
            JsonValue pairs = JsonValue::array();
            for (const auto& [key, mapped] : value)
                pairs.push_back(JsonValue::array({writeJson(key), writeJson(mapped)}));
            return pairs;
        } else {
            JsonValue object = JsonValue::object();
            for (const auto& [key, mapped] : value) object[keyText(key)] = writeJson(mapped);
            return object;
        }
    }

    template <typename E>
    requires std::is_enum_v<E>
    static JsonValue writeJson(E value) {
        return JsonValue(etos(value));  // found by ADL in the enum's namespace
    }

    template <typename S>
    requires std::is_base_of_v<TarsStructBase, S>
    static JsonValue writeJson(const S& value) { return value.writeToJson(); }

    static std::string toString(const JsonValue& value) {
        return value.dump(-1, ' ', false, JsonValue::error_handler_t::replace);
    }

private:
    template <typename K>
    static std::string keyText(const K& key) {
        const JsonValue text = writeJson(key);
        return text.is_string() ? text.template get<std::string>() : text.dump();
    }
};

struct JsonInput {
    static JsonValue parse(const std::string& text) {
        try {
            return JsonValue::parse(text);
        } catch (const JsonValue::exception& e) {
            throw TarsDecodeException(std::string("invalid JSON: ") + e.what());
        }
    }

    static void readJson(Bool& value, const JsonValue& json) {
        if (json.is_boolean())
            value = json.get<bool>();
        else if (json.is_number_integer())
            value = json.get<Int64>() != 0;
        else if (json.is_string() &&
                 (json.get_ref<const std::string&>() == "true" || json.get_ref<const std::string&>() == "false"))
            value = json.get_ref<const std::string&>() == "true";
        else
            throw TarsDecodeException("expected a bool, got " + detail::jsonTypeName(json));
    }

    template <typename T>
    requires detail::isTarsInteger<T>
    static void readJson(T& value, const JsonValue& json) {
        Int64 wide = 0;
        if (json.is_number_unsigned()) {
            const auto unsignedValue = json.get<std::uint64_t>();
            if (unsignedValue > static_cast<std::uint64_t>(std::numeric_limits<Int64>::max()))
                throw TarsDecodeException("integer " + std::to_string(unsignedValue) + " is out of range");
            wide = static_cast<Int64>(unsignedValue);
        } else if (json.is_number_integer()) {
            wide = json.get<Int64>();
        } else if (json.is_number_float()) {
            const double number = json.get<double>();
            if (number != std::floor(number) || number < -9.2233720368547758e18 || number >= 9.2233720368547758e18)
                throw TarsDecodeException("expected an integer, got " + json.dump());
            wide = static_cast<Int64>(number);
        } else if (json.is_string()) {
            wide = parseInteger(json.get_ref<const std::string&>());
        } else {
            throw TarsDecodeException("expected an integer, got " + detail::jsonTypeName(json));
        }
        using Signed = std::make_signed_t<T>;
        if (wide < static_cast<Int64>(std::numeric_limits<Signed>::min()) ||
            wide > static_cast<Int64>(std::numeric_limits<T>::max()))
            throw TarsDecodeException("integer " + std::to_string(wide) + " does not fit its field");
        value = static_cast<T>(wide);
    }

    static void readJson(Float& value, const JsonValue& json) {
        Double wide = 0;
        readJson(wide, json);
        value = static_cast<Float>(wide);
    }

    static void readJson(Double& value, const JsonValue& json) {
        if (json.is_number())
            value = json.get<double>();
        else if (json.is_null())
            value = std::numeric_limits<double>::quiet_NaN();  // how JSON writers spell NaN/inf
        else
            throw TarsDecodeException("expected a number, got " + detail::jsonTypeName(json));
    }

    static void readJson(std::string& value, const JsonValue& json) {
        if (!json.is_string()) throw TarsDecodeException("expected a string, got " + detail::jsonTypeName(json));
        value = json.get<std::string>();
    }

    static void readJson(std::vector<Char>& value, const JsonValue& json) {
        if (json.is_string()) {
            const auto& text = json.get_ref<const std::string&>();
            value.assign(text.begin(), text.end());
            return;
        }
        if (!json.is_array())
            throw TarsDecodeException("expected an array of bytes, got " + detail::jsonTypeName(json));
        value.clear();
        value.reserve(json.size());
        for (const auto& element : json) {
            Int32 byte = 0;
            readJson(byte, element);
            if (byte < -128 || byte > 255)
                throw TarsDecodeException("byte value " + std::to_string(byte) + " is out of range");
            value.push_back(static_cast<Char>(byte));
        }
    }

    static void readJson(std::vector<Bool>& value, const JsonValue& json) {
        if (!json.is_array()) throw TarsDecodeException("expected an array, got " + detail::jsonTypeName(json));
        value.clear();
        for (const auto& element : json) {
            Bool flag = false;
            readJson(flag, element);
            value.push_back(flag);
        }
    }

    template <typename T, typename Alloc>
    static void readJson(std::vector<T, Alloc>& value, const JsonValue& json) {
        if (!json.is_array()) throw TarsDecodeException("expected an array, got " + detail::jsonTypeName(json));
        value.clear();
        value.reserve(json.size());
        std::size_t index = 0;
        for (const auto& element : json) {
            value.emplace_back();
            try {
                readJson(value.back(), element);
            } catch (const TarsDecodeException& e) {
                throw TarsDecodeException("[" + std::to_string(index) + "]: " + e.what());
            }
            ++index;
        }
    }

    template <typename K, typename V, typename Cmp, typename Alloc>
    static void readJson(std::map<K, V, Cmp, Alloc>& value, const JsonValue& json) {
        value.clear();
        if constexpr (std::is_base_of_v<TarsStructBase, K>) {
            if (!json.is_array())
                throw TarsDecodeException("expected an array of [key, value] pairs, got " + detail::jsonTypeName(json));
            for (const auto& pair : json) {
                if (!pair.is_array() || pair.size() != 2)
                    throw TarsDecodeException("map entry is not a [key, value] pair");
                std::pair<K, V> entry{};
                readJson(entry.first, pair[0]);
                readJson(entry.second, pair[1]);
                value.insert(std::move(entry));
            }
        } else {
            if (!json.is_object()) throw TarsDecodeException("expected an object, got " + detail::jsonTypeName(json));
            for (const auto& [keyText, mapped] : json.items()) {
                std::pair<K, V> entry{};
                try {
                    readJson(entry.first, JsonValue(keyText));
                    readJson(entry.second, mapped);
                } catch (const TarsDecodeException& e) {
                    throw TarsDecodeException("[\"" + keyText + "\"]: " + e.what());
                }
                value.insert(std::move(entry));
            }
        }
    }

    template <typename E>
    requires std::is_enum_v<E>
    static void readJson(E& value, const JsonValue& json) {
        if (json.is_string()) {
            if (stoe(json.get_ref<const std::string&>(), value) != 0)  // found by ADL
                throw TarsDecodeException("unknown enum value \"" + json.get<std::string>() + "\"");
            return;
        }
        Int32 number = 0;
        readJson(number, json);
        value = static_cast<E>(number);
    }

    template <typename S>
    requires std::is_base_of_v<TarsStructBase, S>
    static void readJson(S& value, const JsonValue& json) { value.readFromJson(json, true); }

    // Reads member `name` of `object`. An absent member is an error when
    // required and leaves `value` as it is otherwise.
    template <typename T>
    static void readField(T& value, const JsonValue& object, const char* name, bool isRequire) {
        if (!object.is_object()) throw TarsDecodeException("expected an object, got " + detail::jsonTypeName(object));
        const auto found = object.find(name);
        if (found == object.end()) {
            if (isRequire) throw TarsDecodeException(std::string("required field '") + name + "' is missing");
            return;
        }
        try {
            readJson(value, *found);
        } catch (const TarsDecodeException& e) {
            throw TarsDecodeException(std::string("field '") + name + "': " + e.what());
        }
    }

private:
    static Int64 parseInteger(const std::string& text) {
        std::size_t used = 0;
        long long parsed = 0;
        try {
            parsed = std::stoll(text, &used, 10);
        } catch (const std::exception&) {
            throw TarsDecodeException("expected an integer, got \"" + text + "\"");
        }
        if (used != text.size()) throw TarsDecodeException("expected an integer, got \"" + text + "\"");
        return parsed;
    }
};

}  // namespace tars
