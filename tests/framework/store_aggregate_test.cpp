// The aggregate stores on their own, each over a SharedSqlConnection of its own (no
// RegistryStore facade), on every backend: the SQLite file and, when TARS_TEST_MYSQL
// names a MariaDB server, MariaDB. Each aggregate writes a record with every member set
// to a value other than its default and reads back the same record, so a column that is
// missing from a write or a read, or bound to the wrong member, fails here; and each
// table's column list is checked against the schema of sql/.
//
// RecordColumns itself (the one list the SQL and the row reader come from) is tested
// without a database at the end.
#include <gtest/gtest.h>

#include <ostream>
#include <set>
#include <type_traits>
#include <variant>

#include "ConfigFileStore.h"
#include "GroupPriorityStore.h"
#include "GroupRuleStore.h"
#include "NodeStore.h"
#include "RegistryInfoStore.h"
#include "ServerPatchStore.h"
#include "ServerStore.h"
#include "SharedSqlConnection.h"
#include "TemplateStore.h"
#include "TestDatabase.h"

namespace tars {

// Every column of a record, for gtest's failure messages.
template <typename Record>
void printColumns(const RecordColumns<Record>& columns, const Record& record, std::ostream* os) {
    *os << "{";
    for (const auto& column : columns.columns()) {
        *os << " " << column.name() << "=";
        std::visit(
            [os](const auto& value) {
                using T = std::decay_t<decltype(value)>;
                if constexpr (std::is_same_v<T, std::nullptr_t>) {
                    *os << "NULL";
                } else if constexpr (std::is_same_v<T, std::string>) {
                    *os << "'" << value << "'";
                } else {
                    *os << value;
                }
            },
            column.value(record));
    }
    *os << " }";
}

void PrintTo(const ServerConf& r, std::ostream* os) { printColumns(ServerStore::serverColumns(), r, os); }
void PrintTo(const AdapterConf& r, std::ostream* os) { printColumns(ServerStore::adapterColumns(), r, os); }
void PrintTo(const NodeRecord& r, std::ostream* os) { printColumns(NodeStore::columns(), r, os); }
void PrintTo(const RegistryRecord& r, std::ostream* os) { printColumns(RegistryInfoStore::columns(), r, os); }
void PrintTo(const ProfileTemplate& r, std::ostream* os) { printColumns(TemplateStore::columns(), r, os); }
void PrintTo(const GroupRule& r, std::ostream* os) { printColumns(GroupRuleStore::columns(), r, os); }
void PrintTo(const GroupPriority& r, std::ostream* os) { printColumns(GroupPriorityStore::columns(), r, os); }
void PrintTo(const ConfigFile& r, std::ostream* os) { printColumns(ConfigFileStore::columns(), r, os); }
void PrintTo(const ServerPatch& r, std::ostream* os) { printColumns(ServerPatchStore::columns(), r, os); }

}  // namespace tars

using namespace tars;
using tars::test::TestDatabase;

namespace {

constexpr int64_t kNow = 1'700'000'000;  // 2023-11-14 22:13:20 UTC

// Every member a deployment writes differs from its default (StoreRecords.h) and fits
// the schema's widths; the patch, version and timestamp members are the node's and the
// store's to write.
ServerConf fullServer() {
    ServerConf s;
    s.application = "FullApp";
    s.serverName = "FullServer";
    s.nodeName = "10.0.0.7";
    s.basePath = "/opt/full/";
    s.exePath = "/opt/full/bin/FullServer";
    s.templateName = "full.template";
    s.bakFlag = 1;
    s.settingState = "active";
    s.presentState = "activating";
    s.processId = 4321;
    s.postTime = kNow - 100;
    s.lastUser = "deployer";
    s.serverType = "tars_go";
    s.startScriptPath = "/opt/full/start.sh";
    s.stopScriptPath = "/opt/full/stop.sh";
    s.monitorScriptPath = "/opt/full/monitor.sh";
    s.enableGroup = "Y";
    s.enableSet = "Y";
    s.setName = "sz";
    s.setArea = "nanshan";
    s.setGroup = "g1";
    s.ipGroupName = "shenzhen";
    s.profile = "<tars>\n<full>\nkey = value\n</full>\n</tars>";
    s.configCenterPort = 18888;
    s.asyncThreadNum = 7;
    s.flowState = "inactive";
    s.runType = "container";
    return s;
}

AdapterConf fullAdapter(const std::string& name, int port) {
    AdapterConf a;
    a.adapterName = name;
    a.threadNum = 6;
    a.endpoint = "tcp -h 10.0.0.7 -p " + std::to_string(port) + " -t 30000";
    a.maxConnections = 2048;
    a.allowIp = "10.0.0.1|10.0.0.2";
    a.servant = "FullApp.FullServer." + name;
    a.queuecap = 500;
    a.queuetimeout = 7000;
    a.postTime = kNow - 50;
    a.lastUser = "deployer";
    a.protocol = "not_tars";
    a.handlegroup = "group";
    return a;
}

// Names of the columns of table in the database itself.
std::set<std::string> schemaColumns(SqlConnection& connection, const std::string& table) {
    std::string sql = std::string(connection.backend()) == "sqlite"
                          ? "SELECT name FROM pragma_table_info(?)"
                          : "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() AND "
                            "table_name = ?";
    std::set<std::string> names;
    for (const auto& row : connection.query("schema columns", sql, {table})) names.insert(row.text(0));
    return names;
}

class AggregateStoreTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        _db = std::make_unique<TestDatabase>(GetParam());
        if (!_db->available()) GTEST_SKIP() << _db->skipReason();
        auto connection = openSqlConnection(_db->settings());
        connection->executeScript("createSchema", connection->schemaScript());
        shared = std::make_unique<SharedSqlConnection>(std::move(connection));
    }
    void TearDown() override {
        shared.reset();
        _db.reset();
    }

    // Every column a store maps is a column of its table, and every column of the table
    // is mapped, but the ids the database assigns and the times it keeps by itself.
    template <typename Record>
    void expectColumnsMatchSchema(const RecordColumns<Record>& columns, std::set<std::string> unmapped) {
        std::set<std::string> schema;
        {
            auto connection = shared->lock();
            schema = schemaColumns(*connection, columns.table());
        }
        ASSERT_FALSE(schema.empty()) << columns.table();
        for (std::string_view name : columns.names()) {
            EXPECT_TRUE(schema.count(std::string(name))) << columns.table() << "." << name << " is not in sql/";
            schema.erase(std::string(name));
        }
        EXPECT_EQ(schema, unmapped) << columns.table() << ": columns of sql/ that the store does not map";
    }

    std::unique_ptr<TestDatabase> _db;
    std::unique_ptr<SharedSqlConnection> shared;
};

TEST_P(AggregateStoreTest, EveryTableMapsTheColumnsOfTheSchema) {
    expectColumnsMatchSchema(ServerStore::serverColumns(), {"id"});
    expectColumnsMatchSchema(ServerStore::adapterColumns(), {"id"});
    expectColumnsMatchSchema(NodeStore::columns(), {"id", "modify_time"});
    expectColumnsMatchSchema(RegistryInfoStore::columns(), {"id", "modify_time"});
    expectColumnsMatchSchema(TemplateStore::columns(), {"id"});
    expectColumnsMatchSchema(GroupRuleStore::columns(), {"modify_time"});
    expectColumnsMatchSchema(GroupPriorityStore::columns(), {});
    expectColumnsMatchSchema(ConfigFileStore::columns(), {});
    expectColumnsMatchSchema(ServerPatchStore::columns(), {});
}

TEST_P(AggregateStoreTest, ServerStoreRoundTripsEveryColumnOfAnInstanceAndItsAdapters) {
    ServerStore servers(*shared);
    ServerConf server = fullServer();
    AdapterConf first = fullAdapter("FirstObjAdapter", 20001);
    AdapterConf second = fullAdapter("SecondObjAdapter", 20002);
    second.postTime = 0;  // becomes the deployment's now
    servers.deployServer(server, {first, second}, kNow);
    ASSERT_TRUE(servers.setPatchResult(server.key(), "patch-42", "patcher", kNow + 1));
    ASSERT_TRUE(servers.setServerTarsVersion(server.key(), "3.0.7", kNow + 2));

    ServerConf expected = server;
    expected.patchVersion = "patch-42";
    expected.patchUser = "patcher";
    expected.patchTime = kNow + 1;
    expected.tarsVersion = "3.0.7";
    expected.registryTimestamp = kNow + 2;
    auto read = servers.getServer(server.key());
    ASSERT_TRUE(read);
    EXPECT_EQ(*read, expected);

    // Adapters take the instance's key; registry_timestamp is the deployment's now.
    for (AdapterConf* a : {&first, &second}) {
        a->application = server.application;
        a->serverName = server.serverName;
        a->nodeName = server.nodeName;
        a->registryTimestamp = kNow;
    }
    second.postTime = kNow;
    EXPECT_EQ(servers.listAdapters(), (std::vector<AdapterConf>{first, second}));
}

TEST_P(AggregateStoreTest, RedeployWritesEveryDeploymentColumnAndKeepsWhatTheNodeReported) {
    ServerStore servers(*shared);
    ServerConf server = fullServer();
    servers.deployServer(server, {}, kNow);
    ASSERT_TRUE(servers.setPatchResult(server.key(), "patch-1", "patcher", kNow + 1));
    ASSERT_TRUE(servers.setServerTarsVersion(server.key(), "3.0.7", kNow + 1));
    ASSERT_TRUE(servers.updateServerState(server.key(), "active", 99, kNow + 1));

    ServerConf changed;  // every deployment column changed; the node's columns differ too
    changed.application = server.application;
    changed.serverName = server.serverName;
    changed.nodeName = server.nodeName;
    changed.basePath = "/srv/other/";
    changed.exePath = "/srv/other/bin/x";
    changed.templateName = "other.template";
    changed.bakFlag = 0;
    changed.settingState = "inactive";
    changed.presentState = "destroyed";
    changed.processId = 1;
    changed.patchVersion = "ignored";
    changed.patchTime = kNow + 500;
    changed.patchUser = "ignored";
    changed.tarsVersion = "ignored";
    changed.postTime = kNow + 9;
    changed.lastUser = "other";
    changed.serverType = "tars_java";
    changed.startScriptPath = "/srv/start";
    changed.stopScriptPath = "/srv/stop";
    changed.monitorScriptPath = "/srv/monitor";
    changed.enableGroup = "N";
    changed.enableSet = "N";
    changed.ipGroupName = "other";
    changed.profile = "<tars>\n</tars>";
    changed.configCenterPort = 1;
    changed.asyncThreadNum = 2;
    changed.flowState = "active";
    changed.runType = "native";
    servers.deployServer(changed, {}, kNow + 10);

    ServerConf expected = changed;
    expected.presentState = "active";
    expected.processId = 99;
    expected.patchVersion = "patch-1";
    expected.patchUser = "patcher";
    expected.patchTime = kNow + 1;
    expected.tarsVersion = "3.0.7";
    expected.registryTimestamp = kNow + 10;
    auto read = servers.getServer(server.key());
    ASSERT_TRUE(read);
    EXPECT_EQ(*read, expected);
}

TEST_P(AggregateStoreTest, NodeStoreRoundTripsEveryColumn) {
    NodeStore nodes(*shared);
    NodeRecord node;
    node.nodeName = "10.0.0.7";
    node.nodeObj = "tars.tarsnode.NodeObj@tcp -h 10.0.0.7 -p 19385";
    node.endpointIp = "10.0.0.7";
    node.endpointPort = 19385;
    node.dataDir = "/usr/local/app/tars/tarsnode/data";
    node.loadAvg1 = 1.5;  // exact in MySQL's FLOAT too
    node.loadAvg5 = 0.75;
    node.loadAvg15 = 0.125;
    node.lastRegTime = kNow - 60;
    node.lastHeartbeat = kNow;
    node.settingState = "inactive";
    node.presentState = "active";
    node.tarsVersion = "3.0.7";
    node.templateName = "tars.tarsnode";
    node.groupId = 3;
    node.label = "rack=7";
    nodes.upsertNode(node);

    auto read = nodes.getNode(node.nodeName);
    ASSERT_TRUE(read);
    EXPECT_EQ(*read, node);
    EXPECT_EQ(nodes.listNodes(), std::vector<NodeRecord>{node});
}

TEST_P(AggregateStoreTest, NodeInactiveTakesDownTheServersOfThatNodeOnly) {
    NodeStore nodes(*shared);
    ServerStore servers(*shared);
    NodeRecord node;
    node.nodeName = "10.0.0.7";
    node.presentState = "active";
    nodes.upsertNode(node);
    ServerConf here = fullServer();
    ServerConf elsewhere = fullServer();
    elsewhere.nodeName = "10.0.0.8";
    servers.deployServer(here, {}, kNow);
    servers.deployServer(elsewhere, {}, kNow);

    ASSERT_TRUE(nodes.setNodeInactive(node.nodeName, kNow + 5));

    auto down = servers.getServer(here.key());
    EXPECT_EQ(down->presentState, "inactive");
    EXPECT_EQ(down->processId, 0);
    EXPECT_EQ(down->registryTimestamp, kNow + 5);
    EXPECT_EQ(servers.getServer(elsewhere.key())->presentState, elsewhere.presentState);
}

TEST_P(AggregateStoreTest, RegistryInfoStoreRoundTripsEveryColumn) {
    RegistryInfoStore registries(*shared);
    RegistryRecord registry{
        "10.0.0.7:17890", "tars.tarsregistry.QueryObj", "tcp -h 10.0.0.7 -p 17890", kNow, "inactive", "3.0.7", "Y"};
    registries.upsertRegistry(registry);
    EXPECT_EQ(registries.listRegistries(), std::vector<RegistryRecord>{registry});
}

TEST_P(AggregateStoreTest, TemplateStoreRoundTripsEveryColumn) {
    TemplateStore templates(*shared);
    ProfileTemplate profileTemplate{"full.template", "tars.default", "<tars>\n<x>\ny = 1\n</x>\n</tars>", kNow,
                                    "operator"};
    templates.upsertTemplate(profileTemplate);
    auto read = templates.getTemplate(profileTemplate.templateName);
    ASSERT_TRUE(read);
    EXPECT_EQ(*read, profileTemplate);
}

TEST_P(AggregateStoreTest, GroupRuleStoreRoundTripsEveryColumn) {
    GroupRuleStore rules(*shared);
    GroupRule rule{7, "allow_denny", "10.0.0.*", "10.0.0.9", "shenzhen", "sz-cn", "operator"};
    EXPECT_EQ(rules.upsertGroupRule(rule), 7);
    EXPECT_EQ(rules.listGroupRules(), std::vector<GroupRule>{rule});
}

TEST_P(AggregateStoreTest, GroupPriorityStoreRoundTripsEveryColumn) {
    GroupPriorityStore priorities(*shared);
    GroupPriority priority{0, "south", "1|2|3", 4, "sz"};
    priority.id = priorities.addGroupPriority(priority);
    EXPECT_GT(priority.id, 0);
    EXPECT_EQ(priorities.listGroupPriorities(), std::vector<GroupPriority>{priority});
}

TEST_P(AggregateStoreTest, ConfigFileStoreRoundTripsEveryColumn) {
    ConfigFileStore files(*shared);
    ConfigFile file;
    file.serverName = "FullApp.FullServer";
    file.setName = "sz";
    file.setArea = "nanshan";
    file.setGroup = "g1";
    file.host = "10.0.0.7";
    file.filename = "full.conf";
    file.config = "a = 1\nb = 2";
    file.postTime = kNow;
    file.lastUser = "operator";
    file.level = 3;
    file.configFlag = 1;
    file.id = files.upsertConfigFile(file);
    EXPECT_GT(file.id, 0);

    auto read = files.getConfigFile(file.id);
    ASSERT_TRUE(read);
    EXPECT_EQ(*read, file);
    EXPECT_EQ(files.listConfigFiles(), std::vector<ConfigFile>{file});
}

TEST_P(AggregateStoreTest, ServerPatchStoreRoundTripsEveryColumnAndListsNewestFirst) {
    ServerPatchStore patches(*shared);
    ServerPatch first{0,
                      "FullApp.FullServer",
                      "20231114-221320-0123abcd",
                      "tars.upload/FullApp.FullServer/v1.tgz",
                      std::string(32, 'a'),
                      5'000'000'000,
                      "first release",
                      kNow - 60,
                      "operator"};
    first.id = patches.addPatch(first).id;
    EXPECT_GT(first.id, 0);
    ServerPatch second = first;
    second.version = "v2";
    second.tgz = "tars.upload/FullApp.FullServer/v2.tgz";
    second.comment = "fixes the crash";
    second.uploadTime = kNow;
    second.id = patches.addPatch(second).id;
    EXPECT_NE(second.id, first.id);
    ServerPatch other = first;
    other.server = "FullApp.OtherServer";
    other.id = patches.addPatch(other).id;

    EXPECT_EQ(patches.listPatches("FullApp.FullServer"), (std::vector<ServerPatch>{second, first}));
    EXPECT_EQ(patches.listPatches("FullApp.OtherServer"), std::vector<ServerPatch>{other});
    EXPECT_TRUE(patches.listPatches("FullApp.NoServer").empty());
    auto read = patches.getPatch("FullApp.FullServer", first.version);
    ASSERT_TRUE(read);
    EXPECT_EQ(*read, first);
    EXPECT_FALSE(patches.getPatch("FullApp.FullServer", "v3"));

    // The same version again replaces its row (same id), and is the newest now.
    ServerPatch again = first;
    again.comment = "uploaded again";
    again.uploadTime = kNow + 60;
    again.id = patches.addPatch(again).id;
    EXPECT_EQ(again.id, first.id);
    EXPECT_EQ(patches.listPatches("FullApp.FullServer"), (std::vector<ServerPatch>{again, second}));
    // The same MD5 in other letter case is the same package.
    ServerPatch upper = again;
    upper.md5 = std::string(32, 'A');
    auto sameAgain = patches.addPatch(upper);
    EXPECT_EQ(sameAgain.id, first.id);
    EXPECT_FALSE(sameAgain.conflicting);
}

TEST_P(AggregateStoreTest, ServerPatchStoreRefusesAnotherPackageUnderARecordedVersion) {
    ServerPatchStore patches(*shared);
    ServerPatch first{0,       "App.Server", "v1",      "tars.upload/App.Server/v1.tgz", std::string(32, 'a'), 100,
                      "first", kNow,         "operator"};
    first.id = patches.addPatch(first).id;
    ASSERT_GT(first.id, 0);
    ServerPatch different = first;
    different.id = 0;
    different.md5 = std::string(32, 'b');
    different.size = 200;
    different.comment = "another package";
    different.uploadTime = kNow + 60;
    auto refused = patches.addPatch(different);
    EXPECT_EQ(refused.id, 0);
    ASSERT_TRUE(refused.conflicting);
    EXPECT_EQ(*refused.conflicting, first);
    // The recorded row is unchanged.
    EXPECT_EQ(patches.listPatches("App.Server"), std::vector<ServerPatch>{first});
}

// Versions compare byte for byte on both databases (MariaDB's default collation would
// make v1 and V1 one row), as the nodes' version folders and tarspatch's files do.
TEST_P(AggregateStoreTest, ServerPatchVersionsDifferingOnlyInCaseAreTwoVersions) {
    ServerPatchStore patches(*shared);
    ServerPatch lower{0, "CaseApp.CaseServer", "v1", "lower.tgz", std::string(32, 'a'), 10, "", kNow, "op"};
    ServerPatch upper = lower;
    upper.version = "V1";
    upper.tgz = "upper.tgz";
    upper.uploadTime = kNow + 1;
    lower.id = patches.addPatch(lower).id;
    upper.id = patches.addPatch(upper).id;
    EXPECT_NE(lower.id, upper.id);
    EXPECT_EQ(patches.listPatches("CaseApp.CaseServer"), (std::vector<ServerPatch>{upper, lower}));
    auto read = patches.getPatch("CaseApp.CaseServer", "v1");
    ASSERT_TRUE(read);
    EXPECT_EQ(read->tgz, "lower.tgz");
}

TEST_P(AggregateStoreTest, StoresOnOneConnectionSeeEachOthersWrites) {
    ServerStore servers(*shared);
    ServerStore sameTables(*shared);
    servers.deployServer(fullServer(), {}, kNow);
    EXPECT_EQ(sameTables.listServers().size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, AggregateStoreTest, ::testing::Values("sqlite", "mysql"),
                         [](const auto& info) { return info.param; });

// ---- RecordColumns, without a database

struct Sample {
    std::string name;
    int count = 0;
    int64_t big = 0;
    double ratio = 0;
    int64_t when = 0;
    int64_t stamp = 0;
};

const RecordColumns<Sample>& sampleColumns() {
    using C = Column<Sample>;
    static const RecordColumns<Sample> columns("t_sample", {
                                                               C::text("name", &Sample::name),
                                                               C::integer("count", &Sample::count),
                                                               C::integer("big", &Sample::big),
                                                               C::real("ratio", &Sample::ratio),
                                                               C::time("when_at", &Sample::when),
                                                               C::stamp("stamp", &Sample::stamp),
                                                           });
    return columns;
}

TEST(RecordColumns, SqlListsTheColumnsInTheTablesOrder) {
    const auto& columns = sampleColumns();
    EXPECT_EQ(columns.selectSql(), "SELECT name, count, big, ratio, when_at, stamp FROM t_sample");
    EXPECT_EQ(columns.insertSql(columns.namesExcept({"count", "stamp"})),
              "INSERT INTO t_sample (name, big, ratio, when_at) VALUES (?, ?, ?, ?)");
}

TEST(RecordColumns, ValuesBindEachMemberByItsType) {
    Sample sample{"", 3, 5'000'000'000, 0.5, 0, 0};
    SqlParams values = sampleColumns().values(sample, sampleColumns().names());
    ASSERT_EQ(values.size(), 6u);
    EXPECT_EQ(values[0], SqlValue(std::string()));  // "" is text, never NULL
    EXPECT_EQ(values[1], SqlValue(int64_t{3}));
    EXPECT_EQ(values[2], SqlValue(int64_t{5'000'000'000}));
    EXPECT_EQ(values[3], SqlValue(0.5));
    EXPECT_EQ(values[4], SqlValue(nullptr));                             // a time of 0 is NULL
    EXPECT_EQ(values[5], SqlValue(std::string("1970-01-01 00:00:00")));  // a stamp never is

    sample.when = kNow;
    EXPECT_EQ(sampleColumns().values(sample, {"when_at", "name"}),
              (SqlParams{std::string("2023-11-14 22:13:20"), std::string()}));
}

TEST(RecordColumns, ReadTakesTheCellsInTheTablesOrder) {
    SqlRow row({std::string("x"), std::string("3"), std::string("5000000000"), std::string("0.5"),
                std::string("2023-11-14 22:13:20"), std::nullopt});
    Sample sample = sampleColumns().read(row);
    EXPECT_EQ(sample.name, "x");
    EXPECT_EQ(sample.count, 3);
    EXPECT_EQ(sample.big, 5'000'000'000);
    EXPECT_DOUBLE_EQ(sample.ratio, 0.5);
    EXPECT_EQ(sample.when, kNow);
    EXPECT_EQ(sample.stamp, 0);  // NULL
}

TEST(RecordColumns, NamingAColumnTheTableDoesNotHaveIsALogicError) {
    EXPECT_THROW(sampleColumns().namesExcept({"nmae"}), std::logic_error);
    EXPECT_THROW(sampleColumns().values(Sample{}, {"missing"}), std::logic_error);
    EXPECT_THROW(sampleColumns().insertSql({"name", "missing"}), std::logic_error);
}

}  // namespace
