// NodeCommands: the registry's calls to the tarsnode of a server instance (its NodeObj,
// interface Node), for AdminRegObj. The node is found by name in t_node_info; its
// node_obj ("tars.tarsnode.NodeObj@tcp -h ... -p ...") becomes a proxy of the registry's
// communicator.
//
// Two timeouts: queries (getStateInfo, notifyServer, the log reads) wait queryTimeoutMs; commands that
// start or stop processes (loadServer, startServer, stopServer, destroyServer) wait
// commandTimeoutMs, since a node's stop waits up to the server's deactivating-timeout.
// Each kind has its own proxy per node, so one call's timeout never changes another's.
//
// Errors never escape as exceptions: every call gives an Outcome saying whether the node
// answered (with its return code and text), is not registered, or could not be reached.
// Threads: every method may be called from any thread (the node store and the
// communicator are thread-safe). Lifetime: holds references to the node store and the
// communicator, which must outlive it.
#pragma once

#include <memory>
#include <string>

#include "Node.h"
#include "NodeStore.h"
#include "servant/Communicator.h"

namespace tars {

class NodeCommands {
public:
    struct Timeouts {
        int queryMs = 5000;
        int commandMs = 70000;
    };

    struct Outcome {
        enum class Status {
            Answered,     // ret and text are the node's
            UnknownNode,  // no t_node_info row (or no node_obj): text says which
            Unreachable,  // the call failed (connect, timeout ...): text has the error and code
        };
        Status status = Status::Answered;
        int ret = 0;
        std::string text;

        bool succeeded() const { return status == Status::Answered && ret == 0; }
        bool answered() const { return status == Status::Answered; }
    };

    NodeCommands(NodeStore& nodes, CommunicatorPtr communicator, Timeouts timeouts);

    Outcome loadServer(const ServerKey& key);
    Outcome startServer(const ServerKey& key);
    Outcome stopServer(const ServerKey& key);
    Outcome destroyServer(const ServerKey& key);
    Outcome notifyServer(const ServerKey& key, const std::string& command);
    Outcome getStateInfo(const ServerKey& key, ServerStateInfo& info);
    // The node's answer goes to files / data; on failure text says why (the node's text
    // for getLogData).
    Outcome getLogFileList(const ServerKey& key, std::vector<std::string>& files);
    Outcome getLogData(const ServerKey& key, const std::string& file, const std::string& cmd, std::string& data);
    // patchPro: the node starts installing the version (a query: the node answers at once).
    Outcome patchPro(const PatchRequest& request);
    Outcome getPatchPercent(const ServerKey& key, PatchInfo& info);

private:
    enum class CallKind { Query, Command };
    // Runs call(proxy, result) against the key's node with the timeout of kind.
    template <typename Call>
    Outcome invoke(const ServerKey& key, const char* method, CallKind kind, Call call);

    NodeStore& _nodes;
    CommunicatorPtr _communicator;
    Timeouts _timeouts;
};

}  // namespace tars
