// The fields the server owns on every record (id, version and who changed it when), stamped in one place.
import { nowIso } from './clock.ts';
import { newId } from './ids.ts';

export interface RecordStamp {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  updatedBy: string;
}

/** Who is writing: any use-case context carries the principal. */
export interface Writer {
  principal: { sub: string };
}

/** A new record at version 1, created and last changed now by the caller. */
export function newRecord<T extends object>(ctx: Writer, fields: T, id: string = newId()): T & RecordStamp {
  const now = nowIso();
  return {
    ...fields,
    id,
    version: 1,
    createdAt: now,
    updatedAt: now,
    createdBy: ctx.principal.sub,
    updatedBy: ctx.principal.sub,
  };
}

/** `after` as the next version of `before`, changed now by the caller (creation fields kept from `before`). */
export function nextVersion<T extends RecordStamp>(ctx: Writer, before: T, after: T): T {
  return {
    ...after,
    id: before.id,
    createdAt: before.createdAt,
    createdBy: before.createdBy,
    version: before.version + 1,
    updatedAt: nowIso(),
    updatedBy: ctx.principal.sub,
  };
}
