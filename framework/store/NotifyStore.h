// NotifyStore: server events in t_server_notifys (TARS's table and columns), as tarsnotify
// writes and reads them. Plain functions over a connection the caller holds; they throw
// StoreError.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "SqlConnection.h"

namespace tars {

struct NotifyRow {
    int64_t id = 0;  // set by the store
    std::string application, serverName, containerName, nodeName;
    std::string setName, setArea, setGroup;
    std::string serverId;  // App.Server_<node>
    std::string threadId;
    std::string command;     // [alarm] [error] [warn] [normal]
    std::string result;      // the message
    std::string notifyTime;  // "YYYY-MM-DD HH:MM:SS" (UTC)
};

// Inserts the row, then deletes the rows of its server_id beyond the newest keep; both in
// one transaction.
void insertNotifyRow(SqlConnection& connection, const NotifyRow& row, int keep);
// The rows of application.serverName (of nodeName too unless empty), newest first,
// skipping `offset` rows, at most `limit`.
std::vector<NotifyRow> selectNotifyRows(SqlConnection& connection, const std::string& application,
                                        const std::string& serverName, const std::string& nodeName, int64_t offset,
                                        int64_t limit);

}  // namespace tars
