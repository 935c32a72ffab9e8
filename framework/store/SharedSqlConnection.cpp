#include "SharedSqlConnection.h"

#include <stdexcept>

namespace tars {

SharedSqlConnection::SharedSqlConnection(std::unique_ptr<SqlConnection> connection)
    : _connection(std::move(connection)) {
    if (!_connection) throw std::invalid_argument("SharedSqlConnection needs a connection");
}

}  // namespace tars
