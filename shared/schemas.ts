// zod building blocks shared by contexts' schemas.
import * as z from 'zod';
import { nowIso } from './clock.ts';
import { ID_PATTERN } from './ids.ts';

/** Trimmed, non-empty text of at most `max` characters. */
export const Text = (max: number) => z.string().trim().min(1).max(max);

/** A postal address (FHIR Address), for patients and locations. */
export const Address = z.strictObject({
  line: z.array(Text(200)).min(1).max(4),
  city: Text(100),
  state: Text(100).optional(),
  postalCode: Text(20).optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'Must be an ISO 3166-1 alpha-2 code')
    .default('US'),
});

export const Id = z.string().regex(ID_PATTERN, 'Must be a 26-character id');

/** A real calendar date (YYYY-MM-DD): 2023-02-30 is rejected. */
export const CalendarDate = z.iso.date('Must be a real date, YYYY-MM-DD');

export const PastDate = CalendarDate.refine((d) => d <= nowIso().slice(0, 10), 'Must not be in the future');

export const Timestamp = z.iso.datetime({ offset: true });

/** Fields the server owns; a client sending one gets a 400 that says so. */
export const SERVER_OWNED_FIELDS = ['id', 'version', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy'];

export const Audited = {
  id: Id,
  version: z.number().int().min(1),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  createdBy: z.string(),
  updatedBy: z.string(),
};

/**
 * A whole number in a query string: decimal digits only. `z.coerce.number()` would take `0x10`, `1e2`, ` 10`
 * and `+10` (JavaScript's Number() rules), which no client means.
 */
function queryInteger(min: number, max: number, fallback: number) {
  return (
    z
      .string()
      .regex(/^[0-9]{1,9}$/, 'Must be a whole number in decimal digits')
      .transform(Number)
      .pipe(z.number().int().min(min).max(max))
      // The OpenAPI document shows the integer it is (query values are strings on the wire); zod would not.
      .meta({ type: 'integer', minimum: min, maximum: max, description: `${fallback} when absent` })
      .default(fallback)
  );
}

export const Limit = queryInteger(1, 100, 20);
export const Cursor = z.string().min(1).max(2048);

export function page<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    /** Pass as `cursor` to get the next page; absent on the last page. */
    nextCursor: z.string().optional(),
  });
}
