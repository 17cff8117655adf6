import { describe, expect, it } from 'vitest';
import { commonErrors, defineErrors, registeredErrors, YujingError } from '../src/index';

describe('error registry', () => {
  it('creates errors carrying code, status, retryable and a non-enumerable context', () => {
    const errs = defineErrors('test-a', {
      YJ_ERR_TESTA_BROKEN: { statusCode: 422, retryable: false, message: 'broken' },
    });
    const cause = new Error('root');
    const err = errs.YJ_ERR_TESTA_BROKEN(undefined, { cause, context: { enterpriseId: 'e1' } });
    expect(err).toBeInstanceOf(YujingError);
    expect(err.code).toBe('YJ_ERR_TESTA_BROKEN');
    expect(err.statusCode).toBe(422);
    expect(err.retryable).toBe(false);
    expect(err.message).toBe('broken');
    expect(err.cause).toBe(cause);
    expect(err.context).toEqual({ enterpriseId: 'e1' });
    expect(Object.keys(err)).not.toContain('context');
    expect(JSON.parse(JSON.stringify(err))).toEqual({
      code: 'YJ_ERR_TESTA_BROKEN',
      message: 'broken',
      statusCode: 422,
      retryable: false,
    });
    expect(errs.YJ_ERR_TESTA_BROKEN.is(err)).toBe(true);
    expect(commonErrors.YJ_ERR_CONFIG_INVALID.is(err)).toBe(false);
  });

  it('refuses to reuse a code for another area', () => {
    defineErrors('test-b', { YJ_ERR_TESTB_ONCE: { statusCode: 400, retryable: false, message: 'once' } });
    expect(() =>
      defineErrors('test-c', { YJ_ERR_TESTB_ONCE: { statusCode: 400, retryable: false, message: 'once' } }),
    ).toThrow(/already registered/);
  });

  it('refuses codes that do not follow YJ_ERR_<AREA>_<WHAT>', () => {
    expect(() =>
      defineErrors('test-d', { BAD_CODE: { statusCode: 400, retryable: false, message: 'x' } }),
    ).toThrow(/does not match/);
  });

  it('lists registered codes uniquely and sorted', () => {
    const codes = registeredErrors().map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual(codes);
    expect(codes).toContain('YJ_ERR_CONFIG_INVALID');
  });
});
