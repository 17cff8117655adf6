-- One row per webhook delivery attempt (yj.deliveries.v1); (ts, delivery_id, attempt) is one attempt.
CREATE TABLE IF NOT EXISTS {{prefix}}deliveries (
  ts TIMESTAMP,                               -- when the attempt finished
  delivery_id SYMBOL CAPACITY 262144 NOCACHE, -- stable across retries (X-Yujing-Delivery)
  alarm_id SYMBOL CAPACITY 262144 NOCACHE,
  enterprise SYMBOL CAPACITY 8192 CACHE,
  subscription SYMBOL CAPACITY 1024 CACHE,
  event SYMBOL CAPACITY 32 CACHE,
  target SYMBOL CAPACITY 1024 CACHE,          -- subscriber URL origin
  attempt INT,
  status SYMBOL CAPACITY 8 CACHE,             -- delivered | failed | dead-lettered | rejected
  http_status INT,                            -- null when no response
  latency_ms DOUBLE,
  error STRING
) TIMESTAMP(ts) PARTITION BY DAY TTL {{ttl}} WAL
DEDUP UPSERT KEYS(ts, delivery_id, attempt);
