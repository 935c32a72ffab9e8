// SharedSqlConnection: the one SqlConnection of a RegistryStore, shared by its aggregate
// stores (ServerStore, NodeStore, ...), with the mutex that serialises its use.
//
// lock() hands out the connection for the lifetime of the returned Lease; a store holds
// the lease across a whole transaction. Functions that take a `SqlConnection&` (the
// aggregates' select...() helpers) run inside the caller's lease and transaction, which
// is how one transaction spans several aggregates (RegistryStore::loadRegistryData,
// NodeStore's "node inactive, and its servers too").
//
// Threads: lock() and backend() from any thread; a Lease belongs to the thread that took
// it. Lifetime: owns the connection; outlives the stores that refer to it.
#pragma once

#include <memory>
#include <mutex>

#include "SqlConnection.h"

namespace tars {

class SharedSqlConnection {
public:
    // The connection, locked until the lease is destroyed.
    class Lease {
    public:
        SqlConnection& operator*() const { return _connection; }
        SqlConnection* operator->() const { return &_connection; }

    private:
        friend class SharedSqlConnection;
        Lease(std::mutex& mutex, SqlConnection& connection) : _lock(mutex), _connection(connection) {}

        std::unique_lock<std::mutex> _lock;
        SqlConnection& _connection;
    };

    explicit SharedSqlConnection(std::unique_ptr<SqlConnection> connection);
    SharedSqlConnection(const SharedSqlConnection&) = delete;
    SharedSqlConnection& operator=(const SharedSqlConnection&) = delete;

    Lease lock() { return Lease(_mutex, *_connection); }
    // "sqlite" or "mysql"; needs no lock (fixed when the connection was opened).
    const char* backend() const { return _connection->backend(); }

private:
    std::mutex _mutex;
    std::unique_ptr<SqlConnection> _connection;
};

}  // namespace tars
