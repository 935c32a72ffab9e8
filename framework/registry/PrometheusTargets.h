// PrometheusTargets: the registry's answer to `GET /prometheus/targets` on its ops
// endpoint, in the format of Prometheus's HTTP service discovery: a JSON array with one
// object per server instance that is active now and has an ops endpoint,
//   {"targets": ["host:port"], "labels": {"app", "server", "node", "set"}}
// so one scrape config (`http_sd_configs`) covers every deployed server.
//
// An instance's ops endpoint is /tars/application/server<ops> of its own profile (the
// deploy file's `ops` key is stored there). Its host: a localip host or a wildcard one
// (0.0.0.0, *, ::) is the node's IP (the IP the node registered, else its name when that
// is an address; without either the instance is left out), no -h is 127.0.0.1 (where the
// server then listens), anything else as written. `set` is name.area.group, "" when the
// instance is in no set. Entries are sorted by app, server, node.
//
// Pure functions over their arguments: thread-safe. An unreadable profile or endpoint
// leaves that instance out; nothing throws but std::bad_alloc.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "StoreRecords.h"

namespace tars {

struct PrometheusTarget {
    std::string address;  // host:port ([v6]:port)
    std::string app;
    std::string server;
    std::string node;
    std::string set;
};

// The target of one instance; nullopt when it is not active or has no usable ops endpoint.
std::optional<PrometheusTarget> prometheusTarget(const ServerConf& server, const std::vector<NodeRecord>& nodes);
// Every instance's target, as the JSON text of the answer.
std::string prometheusTargetsJson(const std::vector<ServerConf>& servers, const std::vector<NodeRecord>& nodes);

}  // namespace tars
