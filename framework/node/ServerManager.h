// ServerManager: the servers this node runs, by application and server name, each a
// ServerObject. load() creates or updates one from a registry descriptor; monitorAll()
// runs every object's check; states() is what the node reports to the registry.
//
// Thread-safe: the map has its own mutex, never held while an object works (objects are
// handed out as shared_ptr, so a command running on a removed object finishes safely).
// Lifetime: the builder and the communicator must outlive it.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "ServerObject.h"

namespace tars {

class ServerManager {
public:
    ServerManager(const ServerConfigBuilder& builder, CommunicatorPtr communicator, ServerObject::Options options,
                  ServerObject::StateListener listener);

    std::shared_ptr<ServerObject> find(const std::string& app, const std::string& serverName) const;
    // Creates (when new) and loads one server; the object and whether it was new. Throws
    // Node_Exception when its config cannot be built or written (a new object is then
    // not kept).
    std::pair<std::shared_ptr<ServerObject>, bool> load(const ServerDescriptor& descriptor);
    // Loads each descriptor; errors are logged per server. The number loaded.
    size_t loadAll(const std::vector<ServerDescriptor>& descriptors);
    std::shared_ptr<ServerObject> remove(const std::string& app, const std::string& serverName);
    std::vector<std::shared_ptr<ServerObject>> all() const;

    void monitorAll();
    std::vector<ServerStateInfo> states() const;

private:
    using Key = std::pair<std::string, std::string>;

    const ServerConfigBuilder& _builder;
    CommunicatorPtr _communicator;
    ServerObject::Options _options;
    ServerObject::StateListener _listener;

    mutable std::mutex _mutex;
    std::map<Key, std::shared_ptr<ServerObject>> _servers;
};

}  // namespace tars
