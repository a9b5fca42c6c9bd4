// Patient use cases: register, read, find, change. Handlers call exactly one of these.
import { randomInt } from 'node:crypto';
import { auditRead, succeeded } from '#shared/audit.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { openCursor, sealCursor } from '#shared/cursor.ts';
import { ConflictError, NotFoundError, PreconditionFailedError } from '#shared/errors.ts';
import { etag, type HttpResult, recordResult } from '#shared/http/result.ts';
import { newRecord, nextVersion } from '#shared/records.ts';
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

/** What a patient's disclosure or change is audited as: one event, filed under the patient. */
const patientEvent = (action: string, patientId: string) =>
  succeeded(action, 'Patient', patientId, patientId);

export class PatientService {
  private readonly store: PatientStore;

  constructor(store: PatientStore = new DynamoPatientStore()) {
    this.store = store;
  }

  async create(ctx: PatientContext, body: CreatePatientBody): Promise<HttpResult> {
    const assignMrn = body.mrn === undefined;
    for (let attempt = 1; ; attempt++) {
      const patient: Patient = newRecord(ctx, { ...body, mrn: body.mrn ?? newMrn() });
      const result = recordResult(201, patient, `/v1/patients/${patient.id}`);
      try {
        await this.store.create(ctx, patient, {
          audit: [patientEvent('patient.create', patient.id)],
          response: { status: 201, headers: result.headers ?? {}, body: patient },
        });
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
    await auditRead(ctx, [patientEvent('patient.read', patient.id)]);
    return recordResult(200, patient);
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
    await auditRead(
      ctx,
      page.items.map((p) => patientEvent('patient.search', p.id)),
      succeeded('patient.search', 'Patient'),
    );
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
    const changed: Patient = { ...before };
    for (const [field, value] of Object.entries(body)) {
      if (value === null) delete (changed as Record<string, unknown>)[field];
      else (changed as Record<string, unknown>)[field] = value;
    }
    const after = nextVersion(ctx, before, changed);
    const result = recordResult(200, after);
    await this.store.update(ctx, before, after, {
      audit: [patientEvent('patient.update', after.id)],
      response: { status: 200, headers: result.headers ?? {}, body: after },
    });
    return result;
  }
}
