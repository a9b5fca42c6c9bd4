import { beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from './config.ts';
import { openCursor, sealCursor } from './cursor.ts';
import { ValidationError } from './errors.ts';

beforeAll(() => {
  process.env.TABLE_NAME = 'unit';
  process.env.CURSOR_SECRET = 'unit-test-secret-unit-test-secret-0123';
  resetConfig();
});

describe('cursors', () => {
  it('round-trip for the same query and hide what they hold', () => {
    const token = sealCursor({ gsi2sk: 'garcia#maria#01', pk: 'PATIENT#1' }, 'q1');
    expect(token).not.toContain('garcia');
    expect(Buffer.from(token, 'base64url').toString('latin1')).not.toContain('garcia');
    expect(openCursor(token, 'q1')).toEqual({ gsi2sk: 'garcia#maria#01', pk: 'PATIENT#1' });
  });

  it('refuse another query, a tampered token and garbage', () => {
    const token = sealCursor({ a: 1 }, 'q1');
    expect(() => openCursor(token, 'q2')).toThrow(ValidationError);
    const flipped = `${token.slice(0, 20)}${token[20] === 'A' ? 'B' : 'A'}${token.slice(21)}`;
    expect(() => openCursor(flipped, 'q1')).toThrow(ValidationError);
    expect(() => openCursor('nonsense', 'q1')).toThrow(ValidationError);
  });
});
