-- One row per sensor reading (DESIGN §8). A replayed Kafka record writes the same
-- (ts, enterprise, point) again, which DEDUP UPSERT KEYS turns into an overwrite, not a new row.
-- {{prefix}} and {{ttl}} are filled in by @yujing/questdb applySchema (QDB_TABLE_PREFIX, QDB_TTL_READINGS).
CREATE TABLE IF NOT EXISTS {{prefix}}readings (
  ts TIMESTAMP,                               -- sensor time (event time), UTC
  enterprise SYMBOL CAPACITY 8192 CACHE,      -- enterprise id; thousands across Shanxi
  point SYMBOL CAPACITY 131072 NOCACHE,       -- enterprise-local point code; many distinct codes, so no heap cache
  kind SYMBOL CAPACITY 256 CACHE,             -- point kind from the catalogue
  value DOUBLE,
  quality SYMBOL CAPACITY 8 CACHE,            -- good | uncertain | bad
  gateway SYMBOL CAPACITY 16384 CACHE,        -- gateway that sent it
  received_at TIMESTAMP                       -- when the edge received the batch
) TIMESTAMP(ts) PARTITION BY DAY TTL {{ttl}} WAL
DEDUP UPSERT KEYS(ts, enterprise, point);
