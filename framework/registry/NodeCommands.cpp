#include "NodeCommands.h"

#include "util/tc_logger.h"

namespace tars {

namespace {

// A proxy type of its own for commands: the communicator keeps one proxy per object
// string and type, so the command proxy of a node keeps the long timeout while its
// query proxy keeps the short one.
class NodeCommandProxy : public NodeProxy {};

}  // namespace

NodeCommands::NodeCommands(NodeStore& nodes, CommunicatorPtr communicator, Timeouts timeouts)
    : _nodes(nodes), _communicator(std::move(communicator)), _timeouts(timeouts) {}

template <typename Call>
NodeCommands::Outcome NodeCommands::invoke(const ServerKey& key, const char* method, CallKind kind, Call call) {
    Outcome outcome;
    const std::string& nodeName = key.nodeName;
    std::optional<NodeRecord> node;
    try {
        node = _nodes.getNode(nodeName);
    } catch (const std::exception& e) {
        outcome.status = Outcome::Status::Unreachable;
        outcome.text = "node " + nodeName + ": cannot read t_node_info: " + e.what();
        return outcome;
    }
    if (!node) {
        outcome.status = Outcome::Status::UnknownNode;
        outcome.text = "node " + nodeName + " is not registered";
        return outcome;
    }
    if (node->nodeObj.empty()) {
        outcome.status = Outcome::Status::UnknownNode;
        outcome.text = "node " + nodeName + " registered no node_obj";
        return outcome;
    }
    const std::string where = "node " + nodeName + " (" + node->nodeObj + ")";
    try {
        NodePrx proxy;
        if (kind == CallKind::Command) {
            proxy = _communicator->stringToProxy<NodeCommandProxy>(node->nodeObj);
            proxy->tars_set_timeout(_timeouts.commandMs);
        } else {
            proxy = _communicator->stringToProxy<NodeProxy>(node->nodeObj);
            proxy->tars_set_timeout(_timeouts.queryMs);
        }
        outcome.ret = call(proxy, outcome.text);
        outcome.status = Outcome::Status::Answered;
        TLOGDEBUG("adminreg: " << where << " " << method << "(" << key.application << "." << key.serverName
                               << ") = " << outcome.ret << " " << outcome.text << std::endl);
    } catch (const TarsCallException& e) {
        outcome.status = Outcome::Status::Unreachable;
        outcome.text =
            where + " did not answer " + method + ": " + e.what() + " (code " + std::to_string(e.getErrCode()) + ")";
    } catch (const std::exception& e) {
        outcome.status = Outcome::Status::Unreachable;
        outcome.text = where + ": " + method + " failed: " + e.what();
    }
    if (!outcome.answered()) TLOGWARN("adminreg: " << outcome.text << std::endl);
    return outcome;
}

NodeCommands::Outcome NodeCommands::loadServer(const ServerKey& key) {
    return invoke(key, "loadServer", CallKind::Command, [&](const NodePrx& node, std::string& result) {
        return node->loadServer(key.application, key.serverName, result);
    });
}

NodeCommands::Outcome NodeCommands::startServer(const ServerKey& key) {
    return invoke(key, "startServer", CallKind::Command, [&](const NodePrx& node, std::string& result) {
        return node->startServer(key.application, key.serverName, result);
    });
}

NodeCommands::Outcome NodeCommands::stopServer(const ServerKey& key) {
    return invoke(key, "stopServer", CallKind::Command, [&](const NodePrx& node, std::string& result) {
        return node->stopServer(key.application, key.serverName, result);
    });
}

NodeCommands::Outcome NodeCommands::destroyServer(const ServerKey& key) {
    return invoke(key, "destroyServer", CallKind::Command, [&](const NodePrx& node, std::string& result) {
        return node->destroyServer(key.application, key.serverName, result);
    });
}

NodeCommands::Outcome NodeCommands::notifyServer(const ServerKey& key, const std::string& command) {
    return invoke(key, "notifyServer", CallKind::Query, [&](const NodePrx& node, std::string& result) {
        return node->notifyServer(key.application, key.serverName, command, result);
    });
}

NodeCommands::Outcome NodeCommands::getStateInfo(const ServerKey& key, ServerStateInfo& info) {
    return invoke(key, "getStateInfo", CallKind::Query, [&](const NodePrx& node, std::string& result) {
        return node->getStateInfo(key.application, key.serverName, info, result);
    });
}

NodeCommands::Outcome NodeCommands::getLogFileList(const ServerKey& key, std::vector<std::string>& files) {
    return invoke(key, "getLogFileList", CallKind::Query, [&](const NodePrx& node, std::string& result) {
        int ret = node->getLogFileList(key.application, key.serverName, files);
        if (ret != 0) result = key.application + "." + key.serverName + " has no log directory on this node";
        return ret;
    });
}

NodeCommands::Outcome NodeCommands::getLogData(const ServerKey& key, const std::string& file, const std::string& cmd,
                                               std::string& data) {
    return invoke(key, "getLogData", CallKind::Query, [&](const NodePrx& node, std::string& result) {
        int ret = node->getLogData(key.application, key.serverName, file, cmd, data);
        if (ret < 0) result.swap(data);  // the node puts its reason in the data
        return ret;
    });
}

NodeCommands::Outcome NodeCommands::patchPro(const PatchRequest& request) {
    ServerKey key{request.appname, request.servername, request.nodename};
    return invoke(key, "patchPro", CallKind::Query,
                  [&](const NodePrx& node, std::string& result) { return node->patchPro(request, result); });
}

NodeCommands::Outcome NodeCommands::getPatchPercent(const ServerKey& key, PatchInfo& info) {
    return invoke(key, "getPatchPercent", CallKind::Query, [&](const NodePrx& node, std::string& result) {
        int ret = node->getPatchPercent(key.application, key.serverName, info);
        result = info.sResult;
        return ret;
    });
}

}  // namespace tars
