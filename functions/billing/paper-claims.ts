// A claim on paper: the CMS-1500 for payers that do not take the 837P, rendered from the stored claim with the
// patient's demographics and the payer as they are now (the same assembly the 837 uses: toClaim).
import { auditRead, succeeded, touchesPatient } from '#shared/audit.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { NotFoundError, UnprocessableError } from '#shared/errors.ts';
import type { HttpResult } from '#shared/http/result.ts';
import { toClaim } from './model.ts';
import { cms1500Pdf } from './pdf/cms-1500.ts';
import type { BillingStore } from './ports.ts';

export class PaperClaimsService {
  private readonly store: BillingStore;

  constructor(store: BillingStore) {
    this.store = store;
  }

  async cms1500(ctx: { principal: Principal; requestId: string }, claimId: string): Promise<HttpResult> {
    const stored = await this.store.getClaim(claimId);
    if (!stored) throw new NotFoundError('No such claim');
    touchesPatient(stored.patientId);
    const [patients, payer, profile] = await Promise.all([
      this.store.claimPatients([stored.patientId]),
      this.store.getPayer(stored.payerId),
      this.store.getProfile(),
    ]);
    const patient = patients.get(stored.patientId);
    if (!patient || !payer || !profile) {
      throw new UnprocessableError('The claim cannot be printed until the practice is set up', [
        ...(profile ? [] : [{ field: 'billingProfile', message: 'Set up the billing profile first' }]),
        ...(payer ? [] : [{ field: 'payerId', message: 'The claim’s payer no longer exists' }]),
        ...(patient ? [] : [{ field: 'patientId', message: 'The claim’s patient no longer exists' }]),
      ]);
    }
    const pdf = await cms1500Pdf(toClaim(stored, patient, payer), profile);
    await auditRead(ctx, [succeeded('claim.print', 'Claim', stored.id, stored.patientId)]);
    return {
      status: 200,
      raw: pdf.toString('base64'),
      base64: true,
      contentType: 'application/pdf',
      headers: { 'Content-Disposition': `inline; filename="cms-1500-${stored.controlNumber}.pdf"` },
    };
  }
}
