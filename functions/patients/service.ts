// Patient use cases: register, read, find, change. Handlers call exactly one of these.
import { randomInt } from 'node:crypto';
import { type AuditEvent, actorOf, recordAudit } from '#shared/audit.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { nowIso } from '#shared/clock.ts';
import { openCursor, sealCursor } from '#shared/cursor.ts';
import { ConflictError, NotFoundError, PreconditionFailedError } from '#shared/errors.ts';
import { etag, type HttpResult } from '#shared/http/result.ts';
import { newId } from '#shared/ids.ts';
import type { WriteContext } from '#shared/write.ts';
import type { CreatePatientBody, Patient, SearchPatientsQuery, UpdatePatientBody } from './schemas.ts';
import { DynamoPatientStore, type PatientStore } from './store.ts';

export interface PatientContext extends WriteContext {
  principal: Principal;
}

const MRN_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A system-assigned MRN: "M" and 8 Crockford base32 characters (~1e12 values; collisions retried). */
export function newMrn(): string {
  let mrn = 'M';
  for (let i = 0; i < 8; i++) mrn += MRN_ALPHABET[randomInt(32)];
  return mrn;
}

function patientResult(status: number, patient: Patient, extra: Record<string, string> = {}): HttpResult {
  return { status, body: patient, headers: { ETag: etag(patient.version), ...extra } };
}

export class PatientService {
  private readonly store: PatientStore;

  constructor(store: PatientStore = new DynamoPatientStore()) {
    this.store = store;
  }

  async create(ctx: PatientContext, body: CreatePatientBody): Promise<HttpResult> {
    const assignMrn = body.mrn === undefined;
    for (let attempt = 1; ; attempt++) {
      const now = nowIso();
      const patient: Patient = {
        ...body,
        mrn: body.mrn ?? newMrn(),
        id: newId(),
        version: 1,
        createdAt: now,
        updatedAt: now,
        createdBy: ctx.principal.sub,
        updatedBy: ctx.principal.sub,
      };
      const result = patientResult(201, patient, { Location: `/v1/patients/${patient.id}` });
      try {
        await this.store.create(ctx, patient, { status: 201, headers: result.headers ?? {}, body: patient });
        return result;
      } catch (error) {
        // A generated MRN that collides is our problem, not the caller's: draw another.
        if (assignMrn && error instanceof ConflictError && attempt < 3) continue;
        throw error;
      }
    }
  }

  async read(ctx: PatientContext, patientId: string): Promise<HttpResult> {
    const patient = await this.store.get(patientId);
    if (!patient) throw new NotFoundError('No such patient');
    await recordAudit([this.readEvent('patient.read', patient.id)], actorOf(ctx.principal, ctx.requestId));
    return patientResult(200, patient);
  }

  async search(ctx: PatientContext, query: SearchPatientsQuery): Promise<HttpResult> {
    const { limit, cursor, ...filters } = query;
    // The cursor is only valid for the same filters (and the same user).
    const binding = JSON.stringify({ ...filters, limit, sub: ctx.principal.sub });
    const page = await this.store.search({
      ...filters,
      limit,
      ...(cursor ? { after: await openCursor(cursor, binding) } : {}),
    });
    // One audit entry per patient disclosed, so each patient's access history is complete.
    const events: AuditEvent[] =
      page.items.length > 0
        ? page.items.map((p) => this.readEvent('patient.search', p.id))
        : [{ action: 'patient.search', resourceType: 'Patient', outcome: 'success' }];
    await recordAudit(events, actorOf(ctx.principal, ctx.requestId));
    return {
      status: 200,
      body: {
        items: page.items,
        ...(page.after ? { nextCursor: await sealCursor(page.after, binding) } : {}),
      },
    };
  }

  async update(
    ctx: PatientContext,
    patientId: string,
    expectedVersion: number,
    body: UpdatePatientBody,
  ): Promise<HttpResult> {
    const before = await this.store.get(patientId);
    if (!before) throw new NotFoundError('No such patient');
    if (before.version !== expectedVersion) {
      throw new PreconditionFailedError('The patient changed since you read it; read it again', [], {
        ETag: etag(before.version),
      });
    }
    const after: Patient = { ...before };
    for (const [field, value] of Object.entries(body)) {
      if (value === null) delete (after as Record<string, unknown>)[field];
      else (after as Record<string, unknown>)[field] = value;
    }
    after.version = before.version + 1;
    after.updatedAt = nowIso();
    after.updatedBy = ctx.principal.sub;
    const result = patientResult(200, after);
    await this.store.update(ctx, before, after, { status: 200, headers: result.headers ?? {}, body: after });
    return result;
  }

  private readEvent(action: string, patientId: string): AuditEvent {
    return { action, resourceType: 'Patient', resourceId: patientId, patientId, outcome: 'success' };
  }
}
