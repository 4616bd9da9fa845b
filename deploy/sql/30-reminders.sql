-- OrleansCloud schema, part 3: reminders (Orleans.Reminders.AdoNet, invariant Npgsql).
--
-- One row per (service, grain, reminder name). Orleans partitions reminders over the silos by a
-- 32-bit hash of the grain id, sent as a signed integer; a silo reads the range (begin, end],
-- which wraps around when begin is not below end. Each change bumps the row's version, which is
-- the reminder's ETag: a delete only removes the version it names.

CREATE TABLE IF NOT EXISTS oc_reminder
(
    service_id    varchar(150) NOT NULL,
    grain_id      varchar(512) NOT NULL,
    reminder_name varchar(150) NOT NULL,
    grain_hash    integer      NOT NULL,
    start_time    timestamptz  NOT NULL,
    period_ms     bigint       NOT NULL,
    version       integer      NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX IF NOT EXISTS oc_reminder_ring ON oc_reminder (service_id, grain_hash);

-- Reminder rows under the column names Orleans reads.
CREATE OR REPLACE VIEW oc_reminder_rows AS
    SELECT service_id, grain_hash,
           grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
           period_ms AS "Period", version AS "Version"
      FROM oc_reminder;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpsertReminderRowKey', $q$
    INSERT INTO oc_reminder (service_id, grain_id, reminder_name, grain_hash, start_time, period_ms, version)
    VALUES (@ServiceId, @GrainId, @ReminderName, @GrainHash, @StartTime, @Period, 0)
    ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
       SET grain_hash = EXCLUDED.grain_hash, start_time = EXCLUDED.start_time,
           period_ms = EXCLUDED.period_ms, version = oc_reminder.version + 1
    RETURNING version AS "Version"
$q$),
('ReadReminderRowKey', $q$
    SELECT * FROM oc_reminder_rows WHERE service_id = @ServiceId AND "GrainId" = @GrainId AND "ReminderName" = @ReminderName
$q$),
('ReadReminderRowsKey', $q$
    SELECT * FROM oc_reminder_rows WHERE service_id = @ServiceId AND "GrainId" = @GrainId
$q$),
('ReadRangeRows1Key', $q$
    SELECT * FROM oc_reminder_rows WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash
$q$),
('ReadRangeRows2Key', $q$
    SELECT * FROM oc_reminder_rows WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
$q$),
('DeleteReminderRowKey', $q$
    WITH deleted AS (
        DELETE FROM oc_reminder
         WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
           AND version = @Version
        RETURNING 1)
    SELECT count(*) > 0 FROM deleted
$q$),
('DeleteReminderRowsKey', $q$
    DELETE FROM oc_reminder WHERE service_id = @ServiceId
$q$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;
