-- The observability tables for MySQL/MariaDB: call statistics (tarsstat, read by
-- tarsquerystat), properties (tarsproperty, read by tarsqueryproperty) and server events
-- (tarsnotify). Same tables and columns as tars_monitor.sqlite.sql.
--
-- TARS cuts its stat and property data into one table per hour (tars_stat_YYYYMMDDHH);
-- here one table holds every slice, indexed by (f_date, f_tflag), and retention deletes
-- the old dates. f_date is 'YYYYMMDD' and f_tflag 'HHMM', the start of the interval the
-- row aggregates, in the service's local time.
--
-- Every statement ends with ';' at the end of a line: the store splits the file there.

CREATE TABLE IF NOT EXISTS t_stat_realtime (
  id              BIGINT NOT NULL AUTO_INCREMENT,
  f_date          CHAR(8) NOT NULL DEFAULT '',
  f_tflag         CHAR(4) NOT NULL DEFAULT '',
  from_client     TINYINT NOT NULL DEFAULT 0,
  master_name     VARCHAR(128) NOT NULL DEFAULT '',
  slave_name      VARCHAR(128) NOT NULL DEFAULT '',
  interface_name  VARCHAR(128) NOT NULL DEFAULT '',
  master_ip       VARCHAR(64) NOT NULL DEFAULT '',
  slave_ip        VARCHAR(64) NOT NULL DEFAULT '',
  slave_port      INT NOT NULL DEFAULT 0,
  return_value    INT NOT NULL DEFAULT 0,
  slave_set_name  VARCHAR(64) NOT NULL DEFAULT '',
  slave_set_area  VARCHAR(64) NOT NULL DEFAULT '',
  slave_set_id    VARCHAR(64) NOT NULL DEFAULT '',
  tars_version    VARCHAR(64) NOT NULL DEFAULT '',
  succ_count      BIGINT NOT NULL DEFAULT 0,
  timeout_count   BIGINT NOT NULL DEFAULT 0,
  exce_count      BIGINT NOT NULL DEFAULT 0,
  total_time      BIGINT NOT NULL DEFAULT 0,
  max_rsp_time    INT NOT NULL DEFAULT 0,
  min_rsp_time    INT NOT NULL DEFAULT 0,
  interv_5        BIGINT NOT NULL DEFAULT 0,
  interv_10       BIGINT NOT NULL DEFAULT 0,
  interv_50       BIGINT NOT NULL DEFAULT 0,
  interv_100      BIGINT NOT NULL DEFAULT 0,
  interv_200      BIGINT NOT NULL DEFAULT 0,
  interv_500      BIGINT NOT NULL DEFAULT 0,
  interv_1000     BIGINT NOT NULL DEFAULT 0,
  interv_2000     BIGINT NOT NULL DEFAULT 0,
  interv_3000     BIGINT NOT NULL DEFAULT 0,
  interv_over     BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  KEY ix_stat_realtime_time (f_date, f_tflag),
  KEY ix_stat_realtime_slave (slave_name, f_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS t_property_realtime (
  id              BIGINT NOT NULL AUTO_INCREMENT,
  f_date          CHAR(8) NOT NULL DEFAULT '',
  f_tflag         CHAR(4) NOT NULL DEFAULT '',
  master_name     VARCHAR(128) NOT NULL DEFAULT '',
  master_ip       VARCHAR(64) NOT NULL DEFAULT '',
  property_name   VARCHAR(128) NOT NULL DEFAULT '',
  set_name        VARCHAR(64) NOT NULL DEFAULT '',
  set_area        VARCHAR(64) NOT NULL DEFAULT '',
  set_id          VARCHAR(64) NOT NULL DEFAULT '',
  policy          VARCHAR(16) NOT NULL DEFAULT '',
  value           DOUBLE NOT NULL DEFAULT 0,
  distr           TEXT NOT NULL,
  PRIMARY KEY (id),
  KEY ix_property_realtime_time (f_date, f_tflag),
  KEY ix_property_realtime_master (master_name, f_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS t_server_notifys (
  id              BIGINT NOT NULL AUTO_INCREMENT,
  application     VARCHAR(128) NOT NULL DEFAULT '',
  server_name     VARCHAR(128) NOT NULL DEFAULT '',
  container_name  VARCHAR(128) NOT NULL DEFAULT '',
  node_name       VARCHAR(128) NOT NULL DEFAULT '',
  set_name        VARCHAR(64) NOT NULL DEFAULT '',
  set_area        VARCHAR(64) NOT NULL DEFAULT '',
  set_group       VARCHAR(64) NOT NULL DEFAULT '',
  server_id       VARCHAR(255) NOT NULL DEFAULT '',
  thread_id       VARCHAR(64) NOT NULL DEFAULT '',
  command         VARCHAR(32) NOT NULL DEFAULT '',
  result          TEXT NOT NULL,
  notifytime      DATETIME NULL DEFAULT NULL,
  PRIMARY KEY (id),
  KEY ix_server_notifys_server (application, server_name, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
