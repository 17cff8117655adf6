import { describe, expect, it } from 'vitest';
import { isConnectionFailure } from '../src/connection-failure';

describe('isConnectionFailure', () => {
  it('a QuestDB that is down or dropped the connection', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8812'), { code: 'ECONNREFUSED' });
    expect(isConnectionFailure(reset)).toBe(true);
    expect(isConnectionFailure(refused)).toBe(true);
    expect(isConnectionFailure(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionFailure(new Error('Query read timeout'))).toBe(true);
  });

  it('not a query QuestDB refused', () => {
    const refusedQuery = Object.assign(new Error('table does not exist [table=x]'), { code: '42P01' });
    expect(isConnectionFailure(refusedQuery)).toBe(false);
    expect(isConnectionFailure(new Error('unexpected token'))).toBe(false);
    expect(isConnectionFailure(undefined)).toBe(false);
  });
});
