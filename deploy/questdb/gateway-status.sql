-- Gateway lifecycle events (yj.gateway-events.v1): online/offline drive 在线率; seq-gap/seq-reset are
-- kept for diagnosis (online then repeats the last known state: true for them).
CREATE TABLE IF NOT EXISTS {{prefix}}gateway_status (
  ts TIMESTAMP,                               -- event time
  enterprise SYMBOL CAPACITY 8192 CACHE,
  gateway SYMBOL CAPACITY 16384 CACHE,
  event SYMBOL CAPACITY 8 CACHE,              -- online | offline | seq-gap | seq-reset
  reason SYMBOL CAPACITY 16 CACHE,
  online BOOLEAN,                             -- true after online, false after offline
  expected_seq LONG,
  got_seq LONG
) TIMESTAMP(ts) PARTITION BY DAY TTL {{ttl}} WAL
DEDUP UPSERT KEYS(ts, enterprise, gateway, event);
