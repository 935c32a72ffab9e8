#include "TemplateStore.h"

#include "SqlWhere.h"

namespace tars {

const RecordColumns<ProfileTemplate>& TemplateStore::columns() {
    using C = Column<ProfileTemplate>;
    static const RecordColumns<ProfileTemplate> columns("t_profile_template",
                                                        {
                                                            C::text("template_name", &ProfileTemplate::templateName),
                                                            C::text("parents_name", &ProfileTemplate::parentsName),
                                                            C::text("profile", &ProfileTemplate::profile),
                                                            C::time("posttime", &ProfileTemplate::postTime),
                                                            C::text("lastuser", &ProfileTemplate::lastUser),
                                                        });
    return columns;
}

void TemplateStore::upsertTemplate(const ProfileTemplate& profileTemplate) {
    const auto& table = columns();
    static const auto written = table.names();
    static const auto updated = table.namesExcept({"template_name"});
    auto connection = _connection.lock();
    connection->execute("upsertTemplate", connection->upsertSql(table.table(), written, {"template_name"}, updated),
                        table.values(profileTemplate, written));
}

std::vector<ProfileTemplate> TemplateStore::selectTemplates(SqlConnection& connection, const std::string& templateName,
                                                            std::string_view operation) {
    const auto& table = columns();
    SqlWhere where;
    where.add("template_name", templateName);
    auto rows = connection.query(operation, table.selectSql() + where.sql + " ORDER BY template_name", where.params);
    std::vector<ProfileTemplate> templates;
    for (const auto& row : rows) templates.push_back(table.read(row));
    return templates;
}

std::optional<ProfileTemplate> TemplateStore::getTemplate(const std::string& templateName) {
    if (templateName.empty()) return std::nullopt;
    auto connection = _connection.lock();
    auto templates = selectTemplates(*connection, templateName, "getTemplate");
    if (templates.empty()) return std::nullopt;
    return templates.front();
}

std::vector<ProfileTemplate> TemplateStore::listTemplates() {
    auto connection = _connection.lock();
    return selectTemplates(*connection, "", "listTemplates");
}

bool TemplateStore::deleteTemplate(const std::string& templateName) {
    auto connection = _connection.lock();
    return connection->execute("deleteTemplate", "DELETE FROM t_profile_template WHERE template_name = ?",
                               {templateName}) > 0;
}

}  // namespace tars
