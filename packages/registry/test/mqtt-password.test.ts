import { describe, expect, it } from 'vitest';
import { hashMqttPassword, sha256Hex, verifyMqttPassword } from '../src/mqtt-password';

// Produced by the real `mosquitto_passwd -b file gw-test dev-secret-42` (Mosquitto 2.x).
const FROM_MOSQUITTO_PASSWD =
  '$7$101$yFYOLAi8PUtaUYoL$ZIFbwDwnhhS2LrbKtz51ttFDbYQLmOwI/aTu+2gDPoFg/uSmHO9/4cmRouXJSZoad3qhCneqg31h2Wlq7waN2A==';

describe('mqtt password hashes', () => {
  it('verifies a hash written by mosquitto_passwd', () => {
    expect(verifyMqttPassword('dev-secret-42', FROM_MOSQUITTO_PASSWD)).toBe(true);
    expect(verifyMqttPassword('dev-secret-43', FROM_MOSQUITTO_PASSWD)).toBe(false);
  });

  it('hashes in the $7$ form mosquitto reads, with the same salt giving the same hash', () => {
    const salt = Buffer.from('yFYOLAi8PUtaUYoL', 'base64');
    expect(hashMqttPassword('dev-secret-42', { salt })).toBe(FROM_MOSQUITTO_PASSWD);
    const random = hashMqttPassword('pw');
    expect(random).toMatch(/^\$7\$101\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hashMqttPassword('pw')).not.toBe(random);
    expect(verifyMqttPassword('pw', random)).toBe(true);
  });

  it.each(['', 'plain', '$6$abc$def', '$7$0$AAAA$BBBB'])('rejects the malformed hash %j', (hash) => {
    expect(verifyMqttPassword('pw', hash)).toBe(false);
  });

  it('digests bearer tokens as lowercase sha256 hex', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
