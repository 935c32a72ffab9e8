// TemplateStore: the profile templates, t_profile_template, keyed by name; a template's
// parents_name chains it to the one whose values it overrides.
//
// Threads: every method from any thread; each call holds the shared connection for its
// duration. Errors: StoreError when the database fails; "not found" is a return value.
// Lifetime: refers to the SharedSqlConnection, which must outlive it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "RecordColumns.h"
#include "SharedSqlConnection.h"
#include "StoreRecords.h"

namespace tars {

class TemplateStore {
public:
    explicit TemplateStore(SharedSqlConnection& connection) : _connection(connection) {}

    void upsertTemplate(const ProfileTemplate& profileTemplate);
    std::optional<ProfileTemplate> getTemplate(const std::string& templateName);
    std::vector<ProfileTemplate> listTemplates();
    bool deleteTemplate(const std::string& templateName);

    static const RecordColumns<ProfileTemplate>& columns();

private:
    // "" selects every template. Callers hold the lease.
    static std::vector<ProfileTemplate> selectTemplates(SqlConnection& connection, const std::string& templateName,
                                                        std::string_view operation);

    SharedSqlConnection& _connection;
};

}  // namespace tars
