-- The observability tables for the embedded store (SQLite): call statistics (tarsstat,
-- read by tarsquerystat), properties (tarsproperty, read by tarsqueryproperty) and server
-- events (tarsnotify). Same tables and columns as tars_monitor.mysql.sql.
--
-- TARS cuts its stat and property data into one table per hour (tars_stat_YYYYMMDDHH);
-- here one table holds every slice, indexed by (f_date, f_tflag), and retention deletes
-- the old dates. f_date is 'YYYYMMDD' and f_tflag 'HHMM', the start of the interval the
-- row aggregates, in the service's local time.
--
-- Every statement ends with ';' at the end of a line: the store splits the file there.

CREATE TABLE IF NOT EXISTS t_stat_realtime (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  f_date          TEXT NOT NULL DEFAULT '',
  f_tflag         TEXT NOT NULL DEFAULT '',
  from_client     INTEGER NOT NULL DEFAULT 0,
  master_name     TEXT NOT NULL DEFAULT '',
  slave_name      TEXT NOT NULL DEFAULT '',
  interface_name  TEXT NOT NULL DEFAULT '',
  master_ip       TEXT NOT NULL DEFAULT '',
  slave_ip        TEXT NOT NULL DEFAULT '',
  slave_port      INTEGER NOT NULL DEFAULT 0,
  return_value    INTEGER NOT NULL DEFAULT 0,
  slave_set_name  TEXT NOT NULL DEFAULT '',
  slave_set_area  TEXT NOT NULL DEFAULT '',
  slave_set_id    TEXT NOT NULL DEFAULT '',
  tars_version    TEXT NOT NULL DEFAULT '',
  succ_count      INTEGER NOT NULL DEFAULT 0,
  timeout_count   INTEGER NOT NULL DEFAULT 0,
  exce_count      INTEGER NOT NULL DEFAULT 0,
  total_time      INTEGER NOT NULL DEFAULT 0,
  max_rsp_time    INTEGER NOT NULL DEFAULT 0,
  min_rsp_time    INTEGER NOT NULL DEFAULT 0,
  interv_5        INTEGER NOT NULL DEFAULT 0,
  interv_10       INTEGER NOT NULL DEFAULT 0,
  interv_50       INTEGER NOT NULL DEFAULT 0,
  interv_100      INTEGER NOT NULL DEFAULT 0,
  interv_200      INTEGER NOT NULL DEFAULT 0,
  interv_500      INTEGER NOT NULL DEFAULT 0,
  interv_1000     INTEGER NOT NULL DEFAULT 0,
  interv_2000     INTEGER NOT NULL DEFAULT 0,
  interv_3000     INTEGER NOT NULL DEFAULT 0,
  interv_over     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ix_stat_realtime_time ON t_stat_realtime (f_date, f_tflag);
CREATE INDEX IF NOT EXISTS ix_stat_realtime_slave ON t_stat_realtime (slave_name, f_date);

CREATE TABLE IF NOT EXISTS t_property_realtime (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  f_date          TEXT NOT NULL DEFAULT '',
  f_tflag         TEXT NOT NULL DEFAULT '',
  master_name     TEXT NOT NULL DEFAULT '',
  master_ip       TEXT NOT NULL DEFAULT '',
  property_name   TEXT NOT NULL DEFAULT '',
  set_name        TEXT NOT NULL DEFAULT '',
  set_area        TEXT NOT NULL DEFAULT '',
  set_id          TEXT NOT NULL DEFAULT '',
  policy          TEXT NOT NULL DEFAULT '',
  value           REAL NOT NULL DEFAULT 0,
  distr           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS ix_property_realtime_time ON t_property_realtime (f_date, f_tflag);
CREATE INDEX IF NOT EXISTS ix_property_realtime_master ON t_property_realtime (master_name, f_date);

CREATE TABLE IF NOT EXISTS t_server_notifys (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  application     TEXT NOT NULL DEFAULT '',
  server_name     TEXT NOT NULL DEFAULT '',
  container_name  TEXT NOT NULL DEFAULT '',
  node_name       TEXT NOT NULL DEFAULT '',
  set_name        TEXT NOT NULL DEFAULT '',
  set_area        TEXT NOT NULL DEFAULT '',
  set_group       TEXT NOT NULL DEFAULT '',
  server_id       TEXT NOT NULL DEFAULT '',
  thread_id       TEXT NOT NULL DEFAULT '',
  command         TEXT NOT NULL DEFAULT '',
  result          TEXT NOT NULL DEFAULT '',
  notifytime      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS ix_server_notifys_server ON t_server_notifys (application, server_name, id);
