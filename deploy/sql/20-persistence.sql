-- OrleansCloud schema, part 2: grain state (Orleans.Persistence.AdoNet, invariant Npgsql).
--
-- One row per (service, grain type, grain id). Orleans sends hashes of the grain id and type for
-- indexing and the id itself (two 64-bit halves plus a string part) for the exact match. A write
-- carries the version the grain last read (null for a grain that never wrote): it succeeds only if
-- the stored version still matches, and answers the new version; anything else is answered with a
-- value Orleans reads as a conflict (null, or the unchanged version).

CREATE TABLE IF NOT EXISTS oc_grain_state
(
    service_id     varchar(150) NOT NULL,
    grain_type     varchar(512) NOT NULL,
    grain_type_hash integer     NOT NULL,
    grain_id_hash  integer      NOT NULL,
    grain_id_n0    bigint       NOT NULL,
    grain_id_n1    bigint       NOT NULL,
    grain_id_ext   varchar(512) NULL,
    payload        bytea        NULL,
    version        integer      NOT NULL,
    modified_at    timestamptz  NOT NULL DEFAULT now()
);

-- The identity of a row; the string part may be null, so it is compared with coalesce.
CREATE UNIQUE INDEX IF NOT EXISTS oc_grain_state_identity
    ON oc_grain_state (service_id, grain_type, grain_id_n0, grain_id_n1, coalesce(grain_id_ext, ''));

CREATE INDEX IF NOT EXISTS oc_grain_state_lookup
    ON oc_grain_state (grain_id_hash, grain_type_hash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('ReadFromStorageKey', $q$
    SELECT payload AS "PayloadBinary", version AS "Version"
      FROM oc_grain_state
     WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
       AND service_id = @ServiceId AND grain_type = @GrainTypeString
       AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
       AND coalesce(grain_id_ext, '') = coalesce(@GrainIdExtensionString, '')
$q$),
('WriteToStorageKey', $q$
    WITH updated AS (
        UPDATE oc_grain_state
           SET payload = @PayloadBinary, version = version + 1, modified_at = now()
         WHERE @GrainStateVersion IS NOT NULL
           AND grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
           AND service_id = @ServiceId AND grain_type = @GrainTypeString
           AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
           AND coalesce(grain_id_ext, '') = coalesce(@GrainIdExtensionString, '')
           AND version = @GrainStateVersion
        RETURNING version),
    inserted AS (
        INSERT INTO oc_grain_state (service_id, grain_type, grain_type_hash, grain_id_hash, grain_id_n0,
                                    grain_id_n1, grain_id_ext, payload, version)
        SELECT @ServiceId, @GrainTypeString, @GrainTypeHash, @GrainIdHash, @GrainIdN0,
               @GrainIdN1, @GrainIdExtensionString, @PayloadBinary, 1
         WHERE @GrainStateVersion IS NULL
        ON CONFLICT DO NOTHING
        RETURNING version)
    SELECT (SELECT version FROM updated UNION ALL SELECT version FROM inserted LIMIT 1) AS "NewGrainStateVersion"
$q$),
('ClearStorageKey', $q$
    WITH cleared AS (
        UPDATE oc_grain_state
           SET payload = NULL, version = version + 1, modified_at = now()
         WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
           AND service_id = @ServiceId AND grain_type = @GrainTypeString
           AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
           AND coalesce(grain_id_ext, '') = coalesce(@GrainIdExtensionString, '')
           AND version = @GrainStateVersion
        RETURNING version)
    SELECT (SELECT version FROM cleared) AS "NewGrainStateVersion"
$q$),
('DeleteStorageKey', $q$
    WITH deleted AS (
        DELETE FROM oc_grain_state
         WHERE grain_id_hash = @GrainIdHash AND grain_type_hash = @GrainTypeHash
           AND service_id = @ServiceId AND grain_type = @GrainTypeString
           AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
           AND coalesce(grain_id_ext, '') = coalesce(@GrainIdExtensionString, '')
           AND version = @GrainStateVersion
        RETURNING version + 1 AS next_version)
    SELECT (SELECT next_version FROM deleted) AS "NewGrainStateVersion"
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
