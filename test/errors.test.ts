import { describe, expect, it } from 'vitest';
import { LimitError, TenantwireError, WireError, isTenantwireError } from '../src/errors.js';

describe('errors', () => {
  it('carry a stable code and their family', () => {
    const e = new WireError('varint_too_long', 'varint longer than 10 bytes at offset 3');
    expect(e).toBeInstanceOf(TenantwireError);
    expect(e.code).toBe('varint_too_long');
    expect(e.name).toBe('WireError');
    expect(isTenantwireError(e)).toBe(true);
    expect(isTenantwireError(new Error('x'))).toBe(false);
    expect(new LimitError('decoded_too_large', 'x')).not.toBeInstanceOf(WireError);
  });
});
