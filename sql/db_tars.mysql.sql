-- db_tars for MySQL / MariaDB: the tables the registry, the nodes and the admin tool
-- share. Column names are TARS's (deploy/framework/sql/db_tars.sql of TarsFramework),
-- so rows written by TARS tools read the same here. The embedded twin of this file is
-- db_tars.sqlite.sql; README.md says how they differ and how to load them.
--
-- Every statement ends with ';' at the end of a line: the registry runs this file
-- statement by statement at start (createschema=Y), and IF NOT EXISTS makes that
-- harmless on a database that already has the tables.
-- Times are UTC (the registry sets time_zone='+00:00' on its connections).

-- One server instance deployed on one node.
CREATE TABLE IF NOT EXISTS t_server_conf (
  id                  INT NOT NULL AUTO_INCREMENT,
  application         VARCHAR(128) NOT NULL DEFAULT '',
  server_name         VARCHAR(128) NOT NULL DEFAULT '',
  node_name           VARCHAR(128) NOT NULL DEFAULT '',
  registry_timestamp  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  base_path           VARCHAR(255) NOT NULL DEFAULT '',
  exe_path            VARCHAR(255) NOT NULL DEFAULT '',
  template_name       VARCHAR(128) NOT NULL DEFAULT '',
  bak_flag            INT NOT NULL DEFAULT 0,
  setting_state       ENUM('active','inactive') NOT NULL DEFAULT 'inactive',
  present_state       ENUM('active','inactive','activating','deactivating','destroying','destroyed') NOT NULL DEFAULT 'inactive',
  process_id          INT NOT NULL DEFAULT 0,
  patch_version       VARCHAR(128) NOT NULL DEFAULT '',
  patch_time          DATETIME NULL DEFAULT NULL,
  patch_user          VARCHAR(128) NOT NULL DEFAULT '',
  tars_version        VARCHAR(128) NOT NULL DEFAULT '',
  posttime            DATETIME NULL DEFAULT NULL,
  lastuser            VARCHAR(64) NOT NULL DEFAULT '',
  server_type         VARCHAR(32) NOT NULL DEFAULT 'tars_cpp',
  start_script_path   VARCHAR(255) NOT NULL DEFAULT '',
  stop_script_path    VARCHAR(255) NOT NULL DEFAULT '',
  monitor_script_path VARCHAR(255) NOT NULL DEFAULT '',
  enable_group        CHAR(1) NOT NULL DEFAULT 'N',
  enable_set          CHAR(1) NOT NULL DEFAULT 'N',
  set_name            VARCHAR(16) NOT NULL DEFAULT '',
  set_area            VARCHAR(16) NOT NULL DEFAULT '',
  set_group           VARCHAR(64) NOT NULL DEFAULT '',
  ip_group_name       VARCHAR(64) NOT NULL DEFAULT '',
  profile             TEXT NULL,
  config_center_port  INT NOT NULL DEFAULT 0,
  async_thread_num    INT NOT NULL DEFAULT 3,
  flow_state          ENUM('active','inactive') NOT NULL DEFAULT 'active',
  run_type            VARCHAR(32) NOT NULL DEFAULT '',
  PRIMARY KEY (id),
  UNIQUE KEY application (application, server_name, node_name),
  KEY node_name (node_name),
  KEY index_regtime (registry_timestamp)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- One adapter (listening endpoint + servant) of a deployed server.
CREATE TABLE IF NOT EXISTS t_adapter_conf (
  id                  INT NOT NULL AUTO_INCREMENT,
  application         VARCHAR(128) NOT NULL DEFAULT '',
  server_name         VARCHAR(128) NOT NULL DEFAULT '',
  node_name           VARCHAR(128) NOT NULL DEFAULT '',
  adapter_name        VARCHAR(128) NOT NULL DEFAULT '',
  registry_timestamp  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  thread_num          INT NOT NULL DEFAULT 1,
  endpoint            VARCHAR(255) NOT NULL DEFAULT '',
  max_connections     INT NOT NULL DEFAULT 1000,
  allow_ip            VARCHAR(255) NOT NULL DEFAULT '',
  servant             VARCHAR(255) NOT NULL DEFAULT '',
  queuecap            INT NOT NULL DEFAULT 10000,
  queuetimeout        INT NOT NULL DEFAULT 60000,
  posttime            DATETIME NULL DEFAULT NULL,
  lastuser            VARCHAR(64) NOT NULL DEFAULT '',
  protocol            VARCHAR(64) NOT NULL DEFAULT 'tars',
  handlegroup         VARCHAR(64) NOT NULL DEFAULT '',
  PRIMARY KEY (id),
  UNIQUE KEY application (application, server_name, node_name, adapter_name),
  KEY adapter_conf_servant_index (servant),
  KEY index_regtime_1 (registry_timestamp)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- One node (tarsnode) and its last heartbeat.
CREATE TABLE IF NOT EXISTS t_node_info (
  id                  INT NOT NULL AUTO_INCREMENT,
  node_name           VARCHAR(128) NOT NULL DEFAULT '',
  node_obj            VARCHAR(255) NOT NULL DEFAULT '',
  endpoint_ip         VARCHAR(64) NOT NULL DEFAULT '',
  endpoint_port       INT NOT NULL DEFAULT 0,
  data_dir            VARCHAR(255) NOT NULL DEFAULT '',
  load_avg1           FLOAT NOT NULL DEFAULT 0,
  load_avg5           FLOAT NOT NULL DEFAULT 0,
  load_avg15          FLOAT NOT NULL DEFAULT 0,
  last_reg_time       DATETIME NULL DEFAULT NULL,
  last_heartbeat      DATETIME NULL DEFAULT NULL,
  setting_state       ENUM('active','inactive') NOT NULL DEFAULT 'inactive',
  present_state       ENUM('active','inactive') NOT NULL DEFAULT 'inactive',
  tars_version        VARCHAR(128) NOT NULL DEFAULT '',
  template_name       VARCHAR(128) NOT NULL DEFAULT '',
  modify_time         TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  group_id            INT NOT NULL DEFAULT -1,
  label               TEXT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY node_name (node_name),
  KEY indx_node_info_1 (last_heartbeat)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The registries' own servants (QueryObj, RegistryObj), one row per registry and servant.
CREATE TABLE IF NOT EXISTS t_registry_info (
  id                  INT NOT NULL AUTO_INCREMENT,
  locator_id          VARCHAR(128) NOT NULL DEFAULT '',
  servant             VARCHAR(128) NOT NULL DEFAULT '',
  endpoint            VARCHAR(255) NOT NULL DEFAULT '',
  last_heartbeat      DATETIME NULL DEFAULT NULL,
  present_state       ENUM('active','inactive') NOT NULL DEFAULT 'inactive',
  tars_version        VARCHAR(128) NOT NULL DEFAULT '',
  modify_time         TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  enable_group        CHAR(1) NOT NULL DEFAULT 'N',
  PRIMARY KEY (id),
  UNIQUE KEY locator_id (locator_id, servant)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Config templates: profile is a TARS config text; parents_name its parent template.
CREATE TABLE IF NOT EXISTS t_profile_template (
  id                  INT NOT NULL AUTO_INCREMENT,
  template_name       VARCHAR(128) NOT NULL DEFAULT '',
  parents_name        VARCHAR(128) NOT NULL DEFAULT '',
  profile             TEXT NOT NULL,
  posttime            DATETIME NULL DEFAULT NULL,
  lastuser            VARCHAR(64) NOT NULL DEFAULT '',
  PRIMARY KEY (id),
  UNIQUE KEY template_name (template_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Config files served by the config service. level 1: application (server_name = App),
-- 2: server (App.Server), 3: host (host set).
CREATE TABLE IF NOT EXISTS t_config_files (
  id                  INT NOT NULL AUTO_INCREMENT,
  server_name         VARCHAR(128) NOT NULL DEFAULT '',
  set_name            VARCHAR(16) NOT NULL DEFAULT '',
  set_area            VARCHAR(16) NOT NULL DEFAULT '',
  set_group           VARCHAR(16) NOT NULL DEFAULT '',
  host                VARCHAR(64) NOT NULL DEFAULT '',
  filename            VARCHAR(128) NOT NULL DEFAULT '',
  config              LONGTEXT NULL,
  posttime            DATETIME NULL DEFAULT NULL,
  lastuser            VARCHAR(64) NOT NULL DEFAULT '',
  level               INT NOT NULL DEFAULT 2,
  config_flag         INT NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY application (server_name, filename, host, level, set_name, set_area, set_group)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- A config file that includes another one (by t_config_files.id).
CREATE TABLE IF NOT EXISTS t_config_references (
  id                  INT NOT NULL AUTO_INCREMENT,
  config_id           INT NOT NULL DEFAULT 0,
  reference_id        INT NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY config_id (config_id, reference_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Group priority lists: group_list holds group ids separated by '|', ',' or ';'.
CREATE TABLE IF NOT EXISTS t_group_priority (
  id                  INT NOT NULL AUTO_INCREMENT,
  name                VARCHAR(128) NOT NULL DEFAULT '',
  group_list          TEXT NULL,
  list_order          INT NOT NULL DEFAULT 0,
  station             VARCHAR(128) NOT NULL DEFAULT '',
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- IP groups: allow_ip_rule holds exact IPs or a.b.c.* patterns separated by '|'.
CREATE TABLE IF NOT EXISTS t_server_group_rule (
  group_id            INT NOT NULL AUTO_INCREMENT,
  ip_order            ENUM('allow_denny','denny_allow') NOT NULL DEFAULT 'denny_allow',
  allow_ip_rule       TEXT NULL,
  denny_ip_rule       TEXT NULL,
  lastuser            VARCHAR(64) NOT NULL DEFAULT '',
  modify_time         TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  group_name          VARCHAR(128) NOT NULL DEFAULT '',
  group_name_cn       VARCHAR(128) NOT NULL DEFAULT '',
  PRIMARY KEY (group_id),
  UNIQUE KEY group_name_index (group_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Published versions of a server (TARS's t_server_patchs, the columns tarsadmin uses):
-- server is App.Server, tgz the package's file name on tarspatch, update_text the
-- publish comment; file_size (bytes) is an extension. version compares byte for byte, as
-- on SQLite and as the nodes' version folders do: v1 and V1 are two versions.
CREATE TABLE IF NOT EXISTS t_server_patchs (
  id                  INT NOT NULL AUTO_INCREMENT,
  server              VARCHAR(128) NOT NULL DEFAULT '',
  version             VARCHAR(128) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '',
  tgz                 TEXT NOT NULL,
  md5                 VARCHAR(40) NOT NULL DEFAULT '',
  file_size           BIGINT NOT NULL DEFAULT 0,
  update_text         VARCHAR(1024) NOT NULL DEFAULT '',
  upload_time         DATETIME NULL DEFAULT NULL,
  upload_user         VARCHAR(64) NOT NULL DEFAULT '',
  PRIMARY KEY (id),
  UNIQUE KEY server_version (server, version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
