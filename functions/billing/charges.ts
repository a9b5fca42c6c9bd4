// Charge capture: an encounter's claim diagnoses and service lines, recorded by the clinician or biller once the
// encounter is finished, with charges defaulted from the fee schedule and the documentation prompts still open.
import { encounterFacts } from '#functions/charting/index.ts';
import { auditRead, succeeded, touchesPatient } from '#shared/audit.ts';
import type { FieldIssue } from '#shared/errors.ts';
import { NotFoundError, UnprocessableError } from '#shared/errors.ts';
import { type HttpResult, recordResult } from '#shared/http/result.ts';
import { newRecord, nextVersion } from '#shared/records.ts';
import type { ChargeLine, EncounterCharges, FeeScheduleEntry } from './model.ts';
import type { BillingStore } from './ports.ts';
import { type DocumentationPrompt, documentationPrompts } from './prompts.ts';
import type { ChargesBody } from './schemas.ts';
import { type BillingContext, checkPut, stampOf } from './setup.ts';
import { DynamoBillingStore } from './store.ts';

/** The fee for a code: the entry for its first modifier when there is one, else the code's own. */
export function feeFor(fees: readonly FeeScheduleEntry[], code: string, modifiers: readonly string[]) {
  const [first] = modifiers;
  return (
    (first ? fees.find((f) => f.code === code && f.modifier === first) : undefined) ??
    fees.find((f) => f.code === code && f.modifier === undefined)
  );
}

/** The charges with the prompts still open: what every read and write answers. */
export function chargesView(
  charges: EncounterCharges,
): EncounterCharges & { prompts: DocumentationPrompt[] } {
  return { ...charges, prompts: documentationPrompts(charges) };
}

/** The prompts of an encounter's charges, for the note-signing prompt (charting asks through billing's door). */
export async function chargePrompts(
  patientId: string,
  encounterId: string,
  store: BillingStore = new DynamoBillingStore(),
): Promise<DocumentationPrompt[]> {
  const charges = await store.getCharges(patientId, encounterId);
  return charges ? documentationPrompts(charges) : [];
}

export class ChargesService {
  private readonly store: BillingStore;

  constructor(store: BillingStore = new DynamoBillingStore()) {
    this.store = store;
  }

  async read(ctx: BillingContext, patientId: string, encounterId: string): Promise<HttpResult> {
    const charges = await this.store.getCharges(patientId, encounterId);
    if (!charges) throw new NotFoundError('No charges recorded for this encounter');
    await auditRead(ctx, [succeeded('charges.read', 'EncounterCharges', charges.id, patientId)]);
    return recordResult(200, chargesView(charges));
  }

  /** Creates (If-Match "0") or replaces the encounter's charges; the encounter must be finished. */
  async put(
    ctx: BillingContext,
    patientId: string,
    encounterId: string,
    expectedVersion: number,
    body: ChargesBody,
  ): Promise<HttpResult> {
    touchesPatient(patientId);
    const [before, facts, fees] = await Promise.all([
      this.store.getCharges(patientId, encounterId),
      encounterFacts(patientId, encounterId),
      this.store.listFees(),
    ]);
    checkPut("encounter's charges", before, expectedVersion);
    if (!facts) throw new NotFoundError('No such encounter');
    if (facts.status !== 'finished') {
      throw new UnprocessableError('Charges are recorded once the encounter is finished', [
        { field: 'params.encounterId', message: 'The encounter is not finished' },
      ]);
    }
    const encounterDate = facts.start.slice(0, 10);
    const issues: FieldIssue[] = [];
    const lines: ChargeLine[] = body.lines.map((line, i) => {
      const fee = line.charge === undefined ? feeFor(fees, line.code, line.modifiers) : undefined;
      if (line.charge === undefined && !fee) {
        issues.push({
          field: `body.lines.${i}.charge`,
          message: 'The fee schedule has no charge for this code: send one',
        });
      }
      if (line.diagnosisPointers.some((p) => p > body.diagnoses.length)) {
        issues.push({
          field: `body.lines.${i}.diagnosisPointers`,
          message: 'Points past the diagnoses sent',
        });
      }
      if (new Set(line.diagnosisPointers).size !== line.diagnosisPointers.length) {
        issues.push({ field: `body.lines.${i}.diagnosisPointers`, message: 'Points to a diagnosis twice' });
      }
      return {
        code: line.code,
        modifiers: line.modifiers,
        units: line.units,
        charge: line.charge ?? (fee?.charge ?? 0) * line.units,
        serviceDate: line.serviceDate ?? encounterDate,
        placeOfService: line.placeOfService,
        diagnosisPointers: line.diagnosisPointers,
      };
    });
    if (issues.length > 0) throw new UnprocessableError('The charges cannot be recorded as sent', issues);
    const fields = {
      patientId,
      encounterId,
      encounterDate,
      notes: facts.notes,
      diagnoses: body.diagnoses,
      lines,
      renderingProvider: body.renderingProvider,
      ...(body.referringProvider ? { referringProvider: body.referringProvider } : {}),
      ...(body.priorAuthorization ? { priorAuthorization: body.priorAuthorization } : {}),
    };
    const after: EncounterCharges = before
      ? nextVersion(ctx, before, { ...stampOf(before), ...fields })
      : newRecord(ctx, fields);
    const result = recordResult(
      before ? 200 : 201,
      chargesView(after),
      before ? undefined : `/v1/patients/${patientId}/encounters/${encounterId}/charges`,
    );
    await this.store.putCharges(ctx, {
      before,
      after,
      audit: [
        succeeded(before ? 'charges.update' : 'charges.create', 'EncounterCharges', after.id, patientId),
      ],
      response: { status: result.status, headers: result.headers ?? {}, body: result.body },
    });
    return result;
  }
}
