// AdapterStats: the counters of one BindAdapter, shown by the admin command tars.viewstatus.
//
// Every member is a relaxed atomic: network threads, handle threads and user threads
// (async replies, pushes) update them without locks; a report is a snapshot that may mix
// values a few microseconds apart.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace tars {

// Durations in power-of-two microsecond buckets (1 us .. about 35 minutes); percentiles are
// the upper bound of the bucket they fall in (at most a factor of 2 above the true value).
class LatencyHistogram {
public:
    static constexpr size_t kBuckets = 32;

    void record(int64_t micros);
    uint64_t count() const;
    // Upper bound in microseconds of the q-quantile (0 < q <= 1); 0 when empty.
    int64_t percentile(double q) const;
    // "n=12 p50<=64us p90<=128us p99<=256us max<=512us"
    std::string summary() const;
    // Bucket b: the values below 2^b us (and at least 2^(b-1)); the last one also holds
    // everything longer.
    uint64_t bucket(size_t b) const { return _buckets[b].load(std::memory_order_relaxed); }
    uint64_t sumMicros() const { return _sumMicros.load(std::memory_order_relaxed); }

private:
    std::array<std::atomic<uint64_t>, kBuckets> _buckets{};
    std::atomic<uint64_t> _sumMicros{0};
};

struct AdapterStats {
    // Connections.
    std::atomic<uint64_t> accepted{0};
    std::atomic<uint64_t> refusedMaxConns{0};  // closed at accept: maxconns reached
    std::atomic<uint64_t> refusedDenied{0};    // closed at accept: allow/deny
    std::atomic<uint64_t> closedByPeer{0};
    std::atomic<uint64_t> closedIdle{0};       // idle past the endpoint's -t
    std::atomic<uint64_t> closedBadPacket{0};  // framing error or undecodable RequestPacket
    std::atomic<uint64_t> closedSendLimit{0};  // unsent responses past backpacketlimit
    std::atomic<uint64_t> closedByServer{0};   // Current::close(), overload of a non-TARS protocol ...
    std::atomic<uint64_t> closedOnError{0};    // socket errors
    // TLS (ssl endpoints): handshakes done, and connections closed by reason.
    std::atomic<uint64_t> tlsHandshakes{0};
    std::atomic<uint64_t> tlsNotTls{0};             // the peer does not speak TLS (plain TARS, HTTP, garbage)
    std::atomic<uint64_t> tlsCertRejected{0};       // no, an unverifiable, or a not allowed client certificate
    std::atomic<uint64_t> tlsProtocolErrors{0};     // any other TLS error
    std::atomic<uint64_t> tlsHandshakeTimeouts{0};  // stalled in the handshake past the endpoint's timeout
    std::atomic<uint64_t> tlsClosedInHandshake{0};  // the peer closed before the handshake was done
    // Requests.
    std::atomic<uint64_t> requests{0};           // packets handed to a servant or answered by the framework
    std::atomic<uint64_t> responses{0};          // replies queued for sending
    std::atomic<uint64_t> oneway{0};             // one-way requests (no reply)
    std::atomic<uint64_t> droppedResponses{0};   // replies for connections already gone
    std::atomic<uint64_t> refusedInvalidSet{0};  // set calls refused by checkset (-11)
    std::atomic<uint64_t> maxQueueDepth{0};
    // UDP endpoints: datagrams dropped unread, by reason, and replies too large for one.
    std::atomic<uint64_t> datagramsTooLarge{0};  // requests above kMaxDatagramSize (or maxpacketsize)
    std::atomic<uint64_t> datagramsBad{0};       // not exactly one length-prefixed packet
    std::atomic<uint64_t> responsesTooLarge{0};  // replies above kMaxDatagramSize, not sent
    // TARS authentication (-e 1): connections that passed it, and those closed by it.
    std::atomic<uint64_t> authSucceeded{0};

    // Authentication failures by AUTH_STATE code (-100 .. -106; anything else apart).
    void countAuthFailure(int code);
    uint64_t authFailureCount(int code) const;

    // Reply codes of TARS replies: 0, -1, -2, -3, -4, -6, -9, -99, and everything else.
    void countResult(int iRet);
    uint64_t resultCount(int iRet) const;

    LatencyHistogram queueWait;   // from the packet's arrival to the start of its handling
    LatencyHistogram handleTime;  // inside the servant

    void noteQueueDepth(uint64_t depth);

private:
    static size_t resultIndex(int iRet);
    static size_t authIndex(int code);
    std::array<std::atomic<uint64_t>, 9> _results{};
    std::array<std::atomic<uint64_t>, 8> _authFailures{};
};

}  // namespace tars
