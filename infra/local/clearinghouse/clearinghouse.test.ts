// The local clearinghouse: its settings from the environment (refusing bad ones by name), and its folders: an 837
// sent is answered with a 999 and a 277CA at once and an 835 only when due, ingested in that order; a refused file
// is moved aside with its reasons, a file that failed for now stays to be retried.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BillingProfile, Claim } from '#functions/billing/model.ts';
import { buildClaimBatch } from '#functions/billing/x12/claim-837p.ts';
import { withNpiCheckDigit } from '#shared/npi.ts';
import { clearinghouseSettings, startLocalClearinghouse } from './clearinghouse.ts';

const profile: BillingProfile = {
  name: 'Demo Family Practice',
  npi: withNpiCheckDigit('123456789'),
  taxId: '123456789',
  taxonomy: '207Q00000X',
  address: { line: ['1 Main St'], city: 'Springfield', state: 'IL', postalCode: '627011234' },
  submitter: {
    id: 'DEMOSUB',
    name: 'Demo Family Practice',
    contactName: 'Billing Office',
    phone: '2175550100',
  },
  receiver: { id: 'LOCALCH', name: 'Local Clearinghouse' },
};
const claim: Claim = {
  id: 'claim-1',
  controlNumber: 'CLM000001',
  frequency: '1',
  patient: {
    name: { family: 'Demo', given: ['Ada'] },
    birthDate: '1960-01-01',
    sex: 'female',
    address: { line: ['2 Oak Ave'], city: 'Springfield', state: 'IL', postalCode: '62702' },
  },
  coverage: {
    id: 'cov',
    payer: { id: 'p', name: 'Acme Health', payerId: 'ACME1', filingIndicator: 'CI', timelyFilingDays: 180 },
    order: 'primary',
    memberId: 'M123',
    relationship: 'self',
    subscriber: { name: { family: 'Demo', given: ['Ada'] }, birthDate: '1960-01-01', sex: 'female' },
    start: '2026-01-01',
  },
  diagnoses: ['E11.9'],
  lines: [
    {
      lineNumber: 1,
      controlNumber: 'CLM000001-1',
      code: '99214',
      modifiers: [],
      units: 1,
      charge: 15000,
      serviceDate: '2026-11-20',
      placeOfService: '11',
      diagnosisPointers: [1],
    },
  ],
  renderingProvider: { name: { family: 'Rao', given: ['Anil'] }, npi: withNpiCheckDigit('987654321') },
};
const x12 = () =>
  buildClaimBatch({
    profile,
    claims: [claim],
    interchangeControlNumber: 7,
    groupControlNumber: 7,
    batchReference: 'B7',
    createdAt: new Date('2026-11-21T10:00:00Z'),
    usage: 'T',
  });

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the local clearinghouse', () => {
  it('reads its settings from the environment and names a bad one', () => {
    expect(
      clearinghouseSettings({
        CLEARINGHOUSE_DELAY_MS: '500',
        CLEARINGHOUSE_DENY_SHARE: '0.25',
        CLEARINGHOUSE_DENY_CARCS: '50, 197',
      }),
    ).toEqual({ delayMs: 500, rejectShare: 0, denyShare: 0.25, denyReasons: ['50', '197'] });
    expect(clearinghouseSettings({})).toEqual({
      delayMs: 3000,
      rejectShare: 0,
      denyShare: 0,
      denyReasons: ['16'],
    });
    expect(() => clearinghouseSettings({ CLEARINGHOUSE_REJECT_SHARE: '2' })).toThrow(
      /CLEARINGHOUSE_REJECT_SHARE/,
    );
    expect(() => clearinghouseSettings({ CLEARINGHOUSE_DELAY_MS: 'soon' })).toThrow(/CLEARINGHOUSE_DELAY_MS/);
    expect(() => clearinghouseSettings({ CLEARINGHOUSE_DENY_CARCS: 'sixteen' })).toThrow(
      /CLEARINGHOUSE_DENY_CARCS/,
    );
  });

  it('answers an 837 with a 999 and a 277CA, then the 835 once due, and ingests them in that order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'continuum-test-clearinghouse-'));
    dirs.push(dir);
    const ingested: string[] = [];
    const ch = startLocalClearinghouse({
      dir,
      settings: { delayMs: 0, rejectShare: 0, denyShare: 0, denyReasons: ['16'] },
      ingest: async (name, text) => {
        ingested.push(`${name.split('.')[1]}:${text.slice(0, 3)}`);
      },
      refused: () => true,
      pollMs: 20,
    });
    await ch.outbox.send('batch-7.x12', x12());
    await ch.idle();
    await ch.stop();
    expect(ingested).toEqual(['999:ISA', '277:ISA', '835:ISA']);
    expect(readdirSync(join(dir, 'outbound'))).toEqual(['batch-7.x12']);
    expect(readdirSync(join(dir, 'processed'))).toHaveLength(3);
    const remittance = readdirSync(join(dir, 'processed')).find((n) => n.endsWith('.835.x12')) ?? '';
    expect(readFileSync(join(dir, 'processed', remittance), 'utf8')).toContain('CLP*CLM000001*1*150*');
  });

  it('moves a refused file aside with its reasons and keeps one that failed for now', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'continuum-test-clearinghouse-'));
    dirs.push(dir);
    let calls = 0;
    const ch = startLocalClearinghouse({
      dir,
      settings: { delayMs: 60_000, rejectShare: 0, denyShare: 0, denyReasons: ['16'] },
      ingest: async (name) => {
        calls += 1;
        if (name.includes('.999.'))
          throw Object.assign(new Error('does not balance'), { errors: [{ field: 'body' }] });
        throw new Error('database unreachable');
      },
      refused: (error) => (error as Error).message === 'does not balance',
      pollMs: 20,
    });
    await ch.outbox.send('batch-8.x12', x12());
    // stop() waits for the pass the send started: the 999 refused, the 277CA failed for now (the pass ends there).
    await ch.stop();
    expect(calls).toBe(2);
    const failed = readdirSync(join(dir, 'failed'));
    expect(failed.some((n) => n.endsWith('.999.x12'))).toBe(true);
    expect(failed.some((n) => n.endsWith('.999.x12.error.json'))).toBe(true);
    expect(readdirSync(join(dir, 'inbound')).some((n) => n.endsWith('.277.x12'))).toBe(true);
    // The 835 is not due for a minute: it waits in pending/.
    expect(readdirSync(join(dir, 'pending'))).toHaveLength(1);
  });
});
