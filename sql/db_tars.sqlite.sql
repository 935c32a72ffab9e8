-- db_tars for the embedded store (SQLite): the same tables and column names as
-- db_tars.mysql.sql, in SQLite's dialect. MySQL ENUM columns become TEXT with a CHECK
-- of the same values; TIMESTAMP/DATETIME columns hold UTC text 'YYYY-MM-DD HH:MM:SS'
-- (the store writes every time itself, including registry_timestamp, which MySQL
-- would update on its own).
--
-- Every statement ends with ';' at the end of a line: the registry runs this file
-- statement by statement when it opens the database file.

CREATE TABLE IF NOT EXISTS t_server_conf (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  application         TEXT NOT NULL DEFAULT '',
  server_name         TEXT NOT NULL DEFAULT '',
  node_name           TEXT NOT NULL DEFAULT '',
  registry_timestamp  TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  base_path           TEXT NOT NULL DEFAULT '',
  exe_path            TEXT NOT NULL DEFAULT '',
  template_name       TEXT NOT NULL DEFAULT '',
  bak_flag            INTEGER NOT NULL DEFAULT 0,
  setting_state       TEXT NOT NULL DEFAULT 'inactive' CHECK (setting_state IN ('active','inactive')),
  present_state       TEXT NOT NULL DEFAULT 'inactive'
                      CHECK (present_state IN ('active','inactive','activating','deactivating','destroying','destroyed')),
  process_id          INTEGER NOT NULL DEFAULT 0,
  patch_version       TEXT NOT NULL DEFAULT '',
  patch_time          TEXT NULL DEFAULT NULL,
  patch_user          TEXT NOT NULL DEFAULT '',
  tars_version        TEXT NOT NULL DEFAULT '',
  posttime            TEXT NULL DEFAULT NULL,
  lastuser            TEXT NOT NULL DEFAULT '',
  server_type         TEXT NOT NULL DEFAULT 'tars_cpp',
  start_script_path   TEXT NOT NULL DEFAULT '',
  stop_script_path    TEXT NOT NULL DEFAULT '',
  monitor_script_path TEXT NOT NULL DEFAULT '',
  enable_group        TEXT NOT NULL DEFAULT 'N',
  enable_set          TEXT NOT NULL DEFAULT 'N',
  set_name            TEXT NOT NULL DEFAULT '',
  set_area            TEXT NOT NULL DEFAULT '',
  set_group           TEXT NOT NULL DEFAULT '',
  ip_group_name       TEXT NOT NULL DEFAULT '',
  profile             TEXT NULL,
  config_center_port  INTEGER NOT NULL DEFAULT 0,
  async_thread_num    INTEGER NOT NULL DEFAULT 3,
  flow_state          TEXT NOT NULL DEFAULT 'active' CHECK (flow_state IN ('active','inactive')),
  run_type            TEXT NOT NULL DEFAULT '',
  UNIQUE (application, server_name, node_name)
);
CREATE INDEX IF NOT EXISTS t_server_conf_node_name ON t_server_conf (node_name);
CREATE INDEX IF NOT EXISTS t_server_conf_regtime ON t_server_conf (registry_timestamp);

CREATE TABLE IF NOT EXISTS t_adapter_conf (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  application         TEXT NOT NULL DEFAULT '',
  server_name         TEXT NOT NULL DEFAULT '',
  node_name           TEXT NOT NULL DEFAULT '',
  adapter_name        TEXT NOT NULL DEFAULT '',
  registry_timestamp  TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  thread_num          INTEGER NOT NULL DEFAULT 1,
  endpoint            TEXT NOT NULL DEFAULT '',
  max_connections     INTEGER NOT NULL DEFAULT 1000,
  allow_ip            TEXT NOT NULL DEFAULT '',
  servant             TEXT NOT NULL DEFAULT '',
  queuecap            INTEGER NOT NULL DEFAULT 10000,
  queuetimeout        INTEGER NOT NULL DEFAULT 60000,
  posttime            TEXT NULL DEFAULT NULL,
  lastuser            TEXT NOT NULL DEFAULT '',
  protocol            TEXT NOT NULL DEFAULT 'tars',
  handlegroup         TEXT NOT NULL DEFAULT '',
  UNIQUE (application, server_name, node_name, adapter_name)
);
CREATE INDEX IF NOT EXISTS t_adapter_conf_servant ON t_adapter_conf (servant);
CREATE INDEX IF NOT EXISTS t_adapter_conf_regtime ON t_adapter_conf (registry_timestamp);

CREATE TABLE IF NOT EXISTS t_node_info (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  node_name           TEXT NOT NULL DEFAULT '',
  node_obj            TEXT NOT NULL DEFAULT '',
  endpoint_ip         TEXT NOT NULL DEFAULT '',
  endpoint_port       INTEGER NOT NULL DEFAULT 0,
  data_dir            TEXT NOT NULL DEFAULT '',
  load_avg1           REAL NOT NULL DEFAULT 0,
  load_avg5           REAL NOT NULL DEFAULT 0,
  load_avg15          REAL NOT NULL DEFAULT 0,
  last_reg_time       TEXT NULL DEFAULT NULL,
  last_heartbeat      TEXT NULL DEFAULT NULL,
  setting_state       TEXT NOT NULL DEFAULT 'inactive' CHECK (setting_state IN ('active','inactive')),
  present_state       TEXT NOT NULL DEFAULT 'inactive' CHECK (present_state IN ('active','inactive')),
  tars_version        TEXT NOT NULL DEFAULT '',
  template_name       TEXT NOT NULL DEFAULT '',
  modify_time         TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  group_id            INTEGER NOT NULL DEFAULT -1,
  label               TEXT NULL,
  UNIQUE (node_name)
);
CREATE INDEX IF NOT EXISTS t_node_info_heartbeat ON t_node_info (last_heartbeat);

CREATE TABLE IF NOT EXISTS t_registry_info (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  locator_id          TEXT NOT NULL DEFAULT '',
  servant             TEXT NOT NULL DEFAULT '',
  endpoint            TEXT NOT NULL DEFAULT '',
  last_heartbeat      TEXT NULL DEFAULT NULL,
  present_state       TEXT NOT NULL DEFAULT 'inactive' CHECK (present_state IN ('active','inactive')),
  tars_version        TEXT NOT NULL DEFAULT '',
  modify_time         TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  enable_group        TEXT NOT NULL DEFAULT 'N',
  UNIQUE (locator_id, servant)
);

CREATE TABLE IF NOT EXISTS t_profile_template (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  template_name       TEXT NOT NULL DEFAULT '',
  parents_name        TEXT NOT NULL DEFAULT '',
  profile             TEXT NOT NULL DEFAULT '',
  posttime            TEXT NULL DEFAULT NULL,
  lastuser            TEXT NOT NULL DEFAULT '',
  UNIQUE (template_name)
);

CREATE TABLE IF NOT EXISTS t_config_files (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  server_name         TEXT NOT NULL DEFAULT '',
  set_name            TEXT NOT NULL DEFAULT '',
  set_area            TEXT NOT NULL DEFAULT '',
  set_group           TEXT NOT NULL DEFAULT '',
  host                TEXT NOT NULL DEFAULT '',
  filename            TEXT NOT NULL DEFAULT '',
  config              TEXT NULL,
  posttime            TEXT NULL DEFAULT NULL,
  lastuser            TEXT NOT NULL DEFAULT '',
  level               INTEGER NOT NULL DEFAULT 2,
  config_flag         INTEGER NOT NULL DEFAULT 0,
  UNIQUE (server_name, filename, host, level, set_name, set_area, set_group)
);

CREATE TABLE IF NOT EXISTS t_config_references (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  config_id           INTEGER NOT NULL DEFAULT 0,
  reference_id        INTEGER NOT NULL DEFAULT 0,
  UNIQUE (config_id, reference_id)
);

CREATE TABLE IF NOT EXISTS t_group_priority (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  name                TEXT NOT NULL DEFAULT '',
  group_list          TEXT NULL,
  list_order          INTEGER NOT NULL DEFAULT 0,
  station             TEXT NOT NULL DEFAULT ''
);

CREATE TABLE IF NOT EXISTS t_server_group_rule (
  group_id            INTEGER PRIMARY KEY AUTOINCREMENT,
  ip_order            TEXT NOT NULL DEFAULT 'denny_allow' CHECK (ip_order IN ('allow_denny','denny_allow')),
  allow_ip_rule       TEXT NULL,
  denny_ip_rule       TEXT NULL,
  lastuser            TEXT NOT NULL DEFAULT '',
  modify_time         TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
  group_name          TEXT NOT NULL DEFAULT '',
  group_name_cn       TEXT NOT NULL DEFAULT '',
  UNIQUE (group_name)
);

CREATE TABLE IF NOT EXISTS t_server_patchs (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  server              TEXT NOT NULL DEFAULT '',
  version             TEXT NOT NULL DEFAULT '',
  tgz                 TEXT NOT NULL DEFAULT '',
  md5                 TEXT NOT NULL DEFAULT '',
  file_size           INTEGER NOT NULL DEFAULT 0,
  update_text         TEXT NOT NULL DEFAULT '',
  upload_time         TEXT NULL DEFAULT NULL,
  upload_user         TEXT NOT NULL DEFAULT '',
  UNIQUE (server, version)
);
