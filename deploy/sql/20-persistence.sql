-- OrleansCloud schema, part 2: grain state, written by the silo's own PostgreSQL grain storage
-- (src/HostAgent/Hosting/Storage: batches of operations, one transaction each).
--
-- One row per (service, state name, grain id). The id is kept as the earlier ADO.NET provider kept
-- it (two 64-bit halves plus a string part), so rows written before read the same. A write carries
-- the version the grain last read (none for a grain that never wrote): it changes the row only if the
-- stored version still matches and answers the new version; otherwise it answers nothing, which the
-- silo reports to the grain as a version conflict.

CREATE TABLE IF NOT EXISTS oc_grain_state
(
    service_id     varchar(150) NOT NULL,
    grain_type     varchar(512) NOT NULL,
    grain_id_n0    bigint       NOT NULL,
    grain_id_n1    bigint       NOT NULL,
    grain_id_ext   varchar(512) NULL,
    payload        bytea        NULL,
    version        integer      NOT NULL,
    modified_at    timestamptz  NOT NULL DEFAULT now()
);

-- The identity of a row and the only way it is looked up; the string part may be null, so it is
-- compared with coalesce.
CREATE UNIQUE INDEX IF NOT EXISTS oc_grain_state_identity
    ON oc_grain_state (service_id, grain_type, grain_id_n0, grain_id_n1, coalesce(grain_id_ext, ''));

-- Databases made by earlier versions: the hash columns (and their index) that the ADO.NET provider
-- looked rows up by, and its queries, are no longer used.
ALTER TABLE oc_grain_state DROP COLUMN IF EXISTS grain_type_hash, DROP COLUMN IF EXISTS grain_id_hash;
DELETE FROM OrleansQuery WHERE QueryKey IN ('ReadFromStorageKey', 'WriteToStorageKey', 'ClearStorageKey', 'DeleteStorageKey');

-- Every write rewrites a row in place: room on its page lets PostgreSQL keep the new version there
-- without touching the index (a heap-only update).
ALTER TABLE oc_grain_state SET (fillfactor = 70);

-- Large states (a tenant's or a host's ledger, an event chunk) are compressed when stored: lz4 costs
-- the database a fraction of the CPU of the default pglz for each such write.
ALTER TABLE oc_grain_state ALTER COLUMN payload SET COMPRESSION lz4;

-- Kept in the row, compressed, rather than moved out to the TOAST table: a state of a few kilobytes (a
-- sealed ledger chunk, an event chunk) stored out of line cost each write new TOAST rows, their index
-- entries and the old ones' removal (9% of the database's CPU under vm.create load). A row too large for
-- a page still goes out of line.
ALTER TABLE oc_grain_state ALTER COLUMN payload SET STORAGE MAIN;
