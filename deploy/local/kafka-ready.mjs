#!/usr/bin/env node
// Kafka readiness probe with no dependencies (Node built-ins only: net + Buffer).
//
//   node deploy/local/kafka-ready.mjs [host:port]     (default: $KAFKA_BROKERS or 127.0.0.1:9092)
//
// Sends one real Kafka Metadata request (API key 3, version 6: the non-flexible version that
// KafkaJS uses and that Kafka 4.x keeps, see KIP-896) asking for no topics, and checks that the
// response lists at least one broker. Exit 0 and print the brokers on success, exit 1 otherwise.
// One attempt, 3 s timeout; the caller (stack.sh) does the polling.
import net from 'node:net';

const target = (process.argv[2] || process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',')[0];
const [host, portText] = target.split(':');
const port = Number(portText || 9092);
const correlationId = 0x59_4a_00_01;
const clientId = Buffer.from('yujing-stack-ready');

// Request header v1: api_key INT16, api_version INT16, correlation_id INT32, client_id STRING.
// Body (Metadata v6): topics ARRAY (INT32 count; 0 = no topics), allow_auto_topic_creation BOOLEAN.
const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length + 4 + 1);
let o = 0;
o = body.writeInt16BE(3, o); // Metadata
o = body.writeInt16BE(6, o); // version 6
o = body.writeInt32BE(correlationId, o);
o = body.writeInt16BE(clientId.length, o);
o += clientId.copy(body, o);
o = body.writeInt32BE(0, o); // no topics: we only want the broker list
body.writeInt8(0, o); // allow_auto_topic_creation = false
const frame = Buffer.concat([Buffer.alloc(4), body]);
frame.writeInt32BE(body.length, 0);

function parse(buf) {
  // Response header v0: correlation_id INT32. Body v6: throttle_time_ms INT32,
  // brokers ARRAY[node_id INT32, host STRING, port INT32, rack NULLABLE_STRING],
  // cluster_id NULLABLE_STRING, controller_id INT32, topics ARRAY[...] (ignored).
  let p = 0;
  const int32 = () => {
    const v = buf.readInt32BE(p);
    p += 4;
    return v;
  };
  const str = () => {
    const n = buf.readInt16BE(p);
    p += 2;
    if (n < 0) return null;
    const s = buf.toString('utf8', p, p + n);
    p += n;
    return s;
  };
  if (int32() !== correlationId) throw new Error('correlation id mismatch');
  int32(); // throttle_time_ms
  const brokers = [];
  for (let n = int32(); n > 0; n--)
    brokers.push({ nodeId: int32(), host: str(), port: int32(), rack: str() });
  const clusterId = str();
  const controllerId = int32();
  return { brokers, clusterId, controllerId };
}

function fail(msg) {
  console.error(`kafka-ready: ${target}: ${msg}`);
  process.exit(1);
}

const socket = net.connect({ host, port });
socket.setTimeout(3000, () => {
  socket.destroy();
  fail('timeout waiting for a Metadata response');
});
socket.on('error', (e) => fail(e.code || e.message));
socket.on('connect', () => socket.write(frame));

let received = Buffer.alloc(0);
socket.on('data', (chunk) => {
  received = Buffer.concat([received, chunk]);
  if (received.length < 4) return;
  const size = received.readInt32BE(0);
  if (received.length < 4 + size) return;
  socket.destroy();
  let meta;
  try {
    meta = parse(received.subarray(4, 4 + size));
  } catch (e) {
    fail(`malformed Metadata response: ${e.message}`);
  }
  if (meta.brokers.length === 0) fail('Metadata response lists no broker yet');
  const list = meta.brokers.map((b) => `${b.nodeId}@${b.host}:${b.port}`).join(', ');
  console.log(`kafka-ready: cluster ${meta.clusterId} controller ${meta.controllerId} brokers [${list}]`);
  process.exit(0);
});
socket.on('end', () => fail('connection closed before a full response'));
