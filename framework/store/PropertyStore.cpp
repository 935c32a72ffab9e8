#include "PropertyStore.h"

namespace tars {

void insertPropertyRows(SqlConnection& connection, const std::vector<PropertyRow>& rows) {
    if (rows.empty()) return;
    SqlTransaction transaction(connection, "insert property rows");
    const std::string sql =
        "INSERT INTO t_property_realtime (f_date, f_tflag, master_name, master_ip, property_name, set_name, "
        "set_area, set_id, policy, value, distr) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    for (const auto& row : rows) {
        connection.execute("insert property rows", sql,
                           {row.date, row.tflag, row.masterName, row.masterIp, row.propertyName, row.setName,
                            row.setArea, row.setId, row.policy, row.value, row.distr});
    }
    transaction.commit();
}

int64_t trimPropertyRowsBefore(SqlConnection& connection, const std::string& date) {
    return connection.execute("trim property rows", "DELETE FROM t_property_realtime WHERE f_date < ?", {date});
}

}  // namespace tars
