// Opaque pagination cursors. A DynamoDB LastEvaluatedKey can hold index values derived from PHI (a normalised
// family name), so it is sealed with AES-256-GCM: clients cannot read it, forge it, or reuse it for another query.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { config } from './config.ts';
import { ValidationError } from './errors.ts';

let cachedKey: { secret: string; key: Buffer } | undefined;

function key(): Buffer {
  const secret = config().CURSOR_SECRET;
  if (cachedKey?.secret !== secret) cachedKey = { secret, key: createHash('sha256').update(secret).digest() };
  return cachedKey.key;
}

/** Seals `position` for the query described by `binding` (e.g. the normalised filters). */
export function sealCursor(position: Record<string, unknown>, binding: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(), iv);
  cipher.setAAD(Buffer.from(binding));
  const sealed = Buffer.concat([cipher.update(JSON.stringify(position), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

/** Opens a cursor made by sealCursor for the same binding; anything else is a 400 naming `query.cursor`. */
export function openCursor(token: string, binding: string): Record<string, unknown> {
  try {
    const raw = Buffer.from(token, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key(), raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(binding));
    decipher.setAuthTag(raw.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    const value = JSON.parse(plain) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch {
    throw new ValidationError([
      { field: 'query.cursor', message: 'Not a cursor from this query; start over' },
    ]);
  }
}
