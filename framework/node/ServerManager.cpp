#include "ServerManager.h"

#include "util/tc_logger.h"

namespace tars {

ServerManager::ServerManager(const ServerConfigBuilder& builder, CommunicatorPtr communicator,
                             ServerObject::Options options, ServerObject::StateListener listener)
    : _builder(builder), _communicator(std::move(communicator)), _options(options), _listener(std::move(listener)) {}

std::shared_ptr<ServerObject> ServerManager::find(const std::string& app, const std::string& serverName) const {
    std::lock_guard lock(_mutex);
    auto it = _servers.find({app, serverName});
    return it == _servers.end() ? nullptr : it->second;
}

std::pair<std::shared_ptr<ServerObject>, bool> ServerManager::load(const ServerDescriptor& descriptor) {
    Key key{descriptor.application, descriptor.serverName};
    std::shared_ptr<ServerObject> object;
    bool created = false;
    {
        std::lock_guard lock(_mutex);
        auto it = _servers.find(key);
        if (it != _servers.end()) {
            object = it->second;
        } else {
            object = std::make_shared<ServerObject>(descriptor.application, descriptor.serverName, _builder,
                                                    _communicator, _options, _listener);
            created = true;
        }
    }
    object->load(descriptor);  // throws: a new object is then dropped
    if (created) {
        std::lock_guard lock(_mutex);
        auto [it, inserted] = _servers.emplace(key, object);
        if (!inserted) {
            // Loaded concurrently by another caller: keep the first, and load it too.
            it->second->load(descriptor);
            return {it->second, false};
        }
    }
    return {object, created};
}

size_t ServerManager::loadAll(const std::vector<ServerDescriptor>& descriptors) {
    size_t loaded = 0;
    for (const auto& d : descriptors) {
        try {
            load(d);
            ++loaded;
        } catch (const std::exception& e) {
            TLOGERROR("[node] load " << d.application << "." << d.serverName << ": " << e.what() << std::endl);
        }
    }
    return loaded;
}

std::shared_ptr<ServerObject> ServerManager::remove(const std::string& app, const std::string& serverName) {
    std::lock_guard lock(_mutex);
    auto it = _servers.find({app, serverName});
    if (it == _servers.end()) return nullptr;
    auto object = std::move(it->second);
    _servers.erase(it);
    return object;
}

std::vector<std::shared_ptr<ServerObject>> ServerManager::all() const {
    std::lock_guard lock(_mutex);
    std::vector<std::shared_ptr<ServerObject>> out;
    out.reserve(_servers.size());
    for (const auto& [key, object] : _servers) out.push_back(object);
    return out;
}

void ServerManager::monitorAll() {
    for (const auto& object : all()) object->monitor();
}

std::vector<ServerStateInfo> ServerManager::states() const {
    std::vector<ServerStateInfo> out;
    for (const auto& object : all()) out.push_back(object->stateInfo());
    return out;
}

}  // namespace tars
