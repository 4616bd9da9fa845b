-- OrleansCloud schema for Orleans' ADO.NET providers on PostgreSQL, part 0: the query catalog.
--
-- Orleans' ADO.NET providers do not embed SQL: at start they read the statements they run from a
-- table, by key ("SELECT QueryKey, QueryText FROM OrleansQuery"). Each provider checks that every key
-- it needs is present and binds its parameters by name (@DeploymentId, @GrainIdHash, ...). The
-- table and column names are therefore fixed by that contract; everything behind the statements
-- (tables, functions, indexes) is ours.
--
-- Every file here is idempotent: applying it again changes nothing but the statements' text.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);

-- Which schema files were applied, and when (written by deploy/db.sh).
CREATE TABLE IF NOT EXISTS oc_schema_file
(
    file_name  text        NOT NULL PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);
