/**
 * The PostGIS layer store: one row per index entry (a feature, or a piece of a subdivided one),
 * keyed by jurisdiction and bundle hash, so a reload adds a version beside the one running nodes
 * read, and a node only ever reads the version whose hash its decisions carry.
 *
 * `props` is json, not jsonb: json keeps the properties exactly as the bundle file has them (key
 * order included), so a feature read from PostGIS equals the one loaded in memory; the engine never
 * filters on properties in SQL (cast to jsonb for ad-hoc queries).
 */
export const VERSIONS_TABLE = 'zoning_layer_versions';
export const ENTRIES_TABLE = 'zoning_layer_entries';

export const SCHEMA_SQL = `
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE TABLE IF NOT EXISTS ${VERSIONS_TABLE} (
  jurisdiction text NOT NULL,
  hash text NOT NULL,
  meta jsonb NOT NULL,
  entries integer NOT NULL,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  active boolean NOT NULL DEFAULT false,
  PRIMARY KEY (jurisdiction, hash)
);
CREATE UNIQUE INDEX IF NOT EXISTS ${VERSIONS_TABLE}_active ON ${VERSIONS_TABLE} (jurisdiction) WHERE active;
CREATE TABLE IF NOT EXISTS ${ENTRIES_TABLE} (
  jurisdiction text NOT NULL,
  hash text NOT NULL,
  ord integer NOT NULL,
  id text NOT NULL,
  kind text NOT NULL,
  zone text,
  props json NOT NULL,
  feature_bbox float8[] NOT NULL,
  geom geometry(Geometry, 4490) NOT NULL,
  PRIMARY KEY (jurisdiction, hash, ord)
);
CREATE INDEX IF NOT EXISTS ${ENTRIES_TABLE}_geom ON ${ENTRIES_TABLE} USING gist (geom);
`;
