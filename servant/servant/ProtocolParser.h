// ProtocolParser: how an adapter cuts its byte stream into packets.
//
// A parser looks at the bytes received on one connection (in) and either
//  - returns PACKET_FULL after moving one complete packet out of in into out,
//  - returns PACKET_LESS when in holds only the start of a packet (nothing consumed),
//  - returns PACKET_ERR when the bytes can never become a valid packet: the server closes
//    that connection and counts it.
// The network thread calls it in a loop while it returns PACKET_FULL. A parser is a plain
// function of the buffer (it keeps no state between calls, so one parser serves every
// connection of every network thread at once) and must not throw.
//
// Built-in parsers are chosen by the adapter's `protocol` key: "tars" (TarsProtocol) and
// "http" (HttpProtocol); Application::addServantProtocol() installs any other.
#pragma once

#include <functional>
#include <vector>

#include "util/tc_network_buffer.h"

namespace tars {

enum PACKET_TYPE { PACKET_LESS = 0, PACKET_FULL = 1, PACKET_ERR = -1 };

using ProtocolParser = std::function<PACKET_TYPE(TC_NetWorkBuffer& in, std::vector<char>& out)>;

}  // namespace tars
