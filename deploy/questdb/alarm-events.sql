-- One row per alarm transition from yj.alarms.v1. ts = emittedAt; (ts, alarm_id, seq) identifies a
-- transition, so a replayed event overwrites itself. Current state: LATEST ON ts PARTITION BY alarm_id.
CREATE TABLE IF NOT EXISTS {{prefix}}alarm_events (
  ts TIMESTAMP,                               -- emittedAt of the transition
  alarm_id SYMBOL CAPACITY 262144 NOCACHE,    -- {enterpriseId}:{point}:{rule}:{episodeStart}
  enterprise SYMBOL CAPACITY 8192 CACHE,
  point SYMBOL CAPACITY 131072 NOCACHE,
  rule SYMBOL CAPACITY 4096 CACHE,
  kind SYMBOL CAPACITY 16 CACHE,
  level INT,                                  -- 1 (一级/红, most severe) … 4
  state SYMBOL CAPACITY 16 CACHE,             -- ISA-18.2 state after the transition
  loop SYMBOL CAPACITY 8 CACHE,               -- open | verified | disposed | fed-back | closed
  transition SYMBOL CAPACITY 32 CACHE,
  value DOUBLE,
  "limit" DOUBLE,                             -- SQL keyword: quote it in queries
  event_time TIMESTAMP,                       -- sensor time of what caused it
  episode_start TIMESTAMP,
  actor STRING,                               -- operator/regulator who acted, when any
  comment STRING,
  seq LONG,                                   -- order of the transitions of one alarm
  attachments STRING,                         -- JSON array of a loop step's files, by reference
  loop_due_step SYMBOL CAPACITY 8 CACHE,      -- next closed-loop step (on loop steps, loop-overdue)
  loop_due_at TIMESTAMP                       -- its deadline
) TIMESTAMP(ts) PARTITION BY DAY TTL {{ttl}} WAL
DEDUP UPSERT KEYS(ts, alarm_id, seq);
