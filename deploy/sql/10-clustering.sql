-- OrleansCloud schema, part 1: cluster membership (Orleans.Clustering.AdoNet, invariant Npgsql).
--
-- The membership protocol needs a table version per cluster that every change increments, with
-- optimistic concurrency: a silo writes a row only if the version it read is still current.
-- Orleans passes the version it read as @Version. Reads return one row per silo, each carrying the
-- table version, and a single row with only the version when no silo is registered yet.

CREATE TABLE IF NOT EXISTS oc_cluster_version
(
    cluster_id varchar(150) NOT NULL PRIMARY KEY,
    version    integer      NOT NULL DEFAULT 0,
    changed_at timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS oc_cluster_silo
(
    cluster_id      varchar(150) NOT NULL REFERENCES oc_cluster_version (cluster_id) ON DELETE CASCADE,
    address         varchar(45)  NOT NULL,
    port            integer      NOT NULL,
    generation      integer      NOT NULL,
    silo_name       varchar(150) NOT NULL,
    host_name       varchar(150) NOT NULL,
    status          integer      NOT NULL,
    proxy_port      integer      NULL,
    suspect_times   text         NULL,
    start_time      timestamptz  NOT NULL,
    i_am_alive_time timestamptz  NOT NULL,
    PRIMARY KEY (cluster_id, address, port, generation)
);

-- Registers a silo if the table version is still p_read_version; false (and nothing written) otherwise
-- or when the silo is already registered.
CREATE OR REPLACE FUNCTION oc_cluster_insert_silo(
    p_cluster_id text, p_address text, p_port integer, p_generation integer,
    p_silo_name text, p_host_name text, p_status integer, p_proxy_port integer,
    p_start_time timestamptz, p_i_am_alive_time timestamptz, p_read_version integer)
RETURNS boolean
LANGUAGE plpgsql AS
$fn$
BEGIN
    BEGIN
        UPDATE oc_cluster_version
           SET version = version + 1, changed_at = now()
         WHERE cluster_id = p_cluster_id AND version = p_read_version;
        IF NOT FOUND THEN
            RETURN false;
        END IF;

        INSERT INTO oc_cluster_silo (cluster_id, address, port, generation, silo_name, host_name, status,
                                     proxy_port, start_time, i_am_alive_time)
        VALUES (p_cluster_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status,
                p_proxy_port, p_start_time, p_i_am_alive_time)
        ON CONFLICT DO NOTHING;
        IF NOT FOUND THEN
            -- Undo the version bump with the block's savepoint.
            RAISE EXCEPTION 'silo already registered' USING ERRCODE = 'OC001';
        END IF;

        RETURN true;
    EXCEPTION WHEN SQLSTATE 'OC001' THEN
        RETURN false;
    END;
END
$fn$;

-- Changes a silo's status, suspicions and liveness if the table version is still p_read_version.
CREATE OR REPLACE FUNCTION oc_cluster_update_silo(
    p_cluster_id text, p_address text, p_port integer, p_generation integer,
    p_status integer, p_suspect_times text, p_i_am_alive_time timestamptz, p_read_version integer)
RETURNS boolean
LANGUAGE plpgsql AS
$fn$
BEGIN
    BEGIN
        UPDATE oc_cluster_version
           SET version = version + 1, changed_at = now()
         WHERE cluster_id = p_cluster_id AND version = p_read_version;
        IF NOT FOUND THEN
            RETURN false;
        END IF;

        UPDATE oc_cluster_silo
           SET status = p_status, suspect_times = p_suspect_times, i_am_alive_time = p_i_am_alive_time
         WHERE cluster_id = p_cluster_id AND address = p_address AND port = p_port AND generation = p_generation;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'silo not registered' USING ERRCODE = 'OC002';
        END IF;

        RETURN true;
    EXCEPTION WHEN SQLSTATE 'OC002' THEN
        RETURN false;
    END;
END
$fn$;

-- What membership reads answer: the table version on every row, then one silo per row (all of them,
-- or the one at p_address:p_port:p_generation); a single row with the version alone when none matches.
CREATE OR REPLACE FUNCTION oc_cluster_rows(p_cluster_id text, p_address text, p_port integer, p_generation integer)
RETURNS TABLE ("Version" integer, "Address" varchar, "Port" integer, "Generation" integer, "SiloName" varchar,
               "HostName" varchar, "Status" integer, "ProxyPort" integer, "SuspectTimes" text,
               "StartTime" timestamptz, "IAmAliveTime" timestamptz)
LANGUAGE sql STABLE AS
$fn$
    SELECT v.version, s.address, s.port, s.generation, s.silo_name, s.host_name, s.status, s.proxy_port,
           s.suspect_times, s.start_time, s.i_am_alive_time
      FROM oc_cluster_version v
      LEFT JOIN oc_cluster_silo s
        ON s.cluster_id = v.cluster_id
       AND (p_address IS NULL OR (s.address = p_address AND s.port = p_port AND s.generation = p_generation))
     WHERE v.cluster_id = p_cluster_id
$fn$;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', $q$
    WITH created AS (
        INSERT INTO oc_cluster_version (cluster_id) VALUES (@DeploymentId)
        ON CONFLICT (cluster_id) DO NOTHING
        RETURNING 1)
    SELECT count(*) > 0 FROM created
$q$),
('InsertMembershipKey', $q$
    SELECT oc_cluster_insert_silo(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
                                  @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version)
$q$),
('UpdateMembershipKey', $q$
    SELECT oc_cluster_update_silo(@DeploymentId, @Address, @Port, @Generation,
                                  @Status, @SuspectTimes, @IAmAliveTime, @Version)
$q$),
('UpdateIAmAlivetimeKey', $q$
    UPDATE oc_cluster_silo
       SET i_am_alive_time = @IAmAliveTime
     WHERE cluster_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$q$),
('MembershipReadRowKey', $q$
    SELECT * FROM oc_cluster_rows(@DeploymentId, @Address, @Port, @Generation)
$q$),
('MembershipReadAllKey', $q$
    SELECT * FROM oc_cluster_rows(@DeploymentId, NULL, NULL, NULL)
$q$),
('GatewaysQueryKey', $q$
    SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
      FROM oc_cluster_silo
     WHERE cluster_id = @DeploymentId AND status = @Status AND proxy_port > 0
$q$),
('DeleteMembershipTableEntriesKey', $q$
    DELETE FROM oc_cluster_version WHERE cluster_id = @DeploymentId
$q$),
('CleanupDefunctSiloEntriesKey', $q$
    DELETE FROM oc_cluster_silo
     WHERE cluster_id = @DeploymentId AND i_am_alive_time < @IAmAliveTime AND status <> 3
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
