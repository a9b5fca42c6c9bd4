import { beforeAll, describe, expect, it } from 'vitest';
import { withNpiCheckDigit } from '#shared/npi.ts';
import { MemoryEdiOutbox, useEdiOutbox } from '../functions/billing/outbox.ts';
import { DynamoBillingStore } from '../functions/billing/store.ts';
import { parseInterchange, type Segment } from '../functions/billing/x12/envelope.ts';
import { type Call, ifMatch, invoke, key, loadHandlers, ok } from './support/billing-practice.ts';
import { useLocalTable } from './support/local-env.ts';

const outbox = new MemoryEdiOutbox();
const renderingNpi = withNpiCheckDigit('987654321');
const rendering = {
  name: { family: 'Careful', given: ['Clara'] },
  npi: renderingNpi,
  taxonomy: '207Q00000X',
};

let locationId: string;
let providerId: string;
let medicareId: string;
let patientId: string;

/** A finished visit with a note (signed unless told otherwise): what charges are recorded on. */
async function visit(options: { sign?: boolean } = {}) {
  const p = { patientId };
  const encounter = await ok(
    'createEncounter',
    {
      user: 'clinician',
      params: p,
      body: {
        class: 'ambulatory',
        provider: { id: providerId, name: 'Dr. Careful' },
        location: { id: locationId, name: 'Billing clinic' },
        reason: 'Diabetes follow-up',
      },
      headers: key(),
    },
    201,
  );
  const note = await ok(
    'createNote',
    { user: 'clinician', params: p, body: { encounterId: encounter.id } },
    201,
  );
  await ok('finishEncounter', {
    user: 'clinician',
    params: { ...p, encounterId: encounter.id },
    headers: { ...ifMatch(1), ...key() },
  });
  if (options.sign !== false) {
    await ok('signNote', {
      user: 'clinician',
      params: { ...p, noteId: note.id },
      headers: { ...ifMatch(1), ...key() },
    });
  }
  return { encounterId: encounter.id as string, noteId: note.id as string };
}

const CHARGES = {
  diagnoses: ['E11.9', 'I10'],
  lines: [
    { code: '99214', diagnosisPointers: [1, 2] },
    { code: '82947', units: 2, charge: 1800, diagnosisPointers: [1] },
  ],
  renderingProvider: rendering,
};

async function charges(encounterId: string, body: unknown = CHARGES) {
  return ok(
    'putEncounterCharges',
    { user: 'clinician', params: { patientId, encounterId }, body, headers: ifMatch(0) },
    201,
  );
}

async function billedVisit(): Promise<string> {
  const { encounterId } = await visit();
  await charges(encounterId);
  return encounterId;
}

async function readyClaim(encounterId: string) {
  const claim = await ok('createClaim', { body: { patientId, encounterId }, headers: key() }, 201);
  return ok('readyClaim', { params: { claimId: claim.id }, body: {}, headers: { ...ifMatch(1), ...key() } });
}

beforeAll(async () => {
  useLocalTable();
  useEdiOutbox(outbox);
  await loadHandlers();
  locationId = (
    await ok(
      'createLocation',
      {
        user: 'admin',
        body: { name: 'Billing clinic', address: { line: ['1 St'], city: 'X' }, timeZone: 'America/Chicago' },
      },
      201,
    )
  ).id;
  providerId = (
    await ok(
      'createProvider',
      {
        user: 'admin',
        body: {
          name: { given: ['Clara'], family: 'Careful' },
          npi: withNpiCheckDigit(String(100_000_000 + Math.floor(Math.random() * 899_999_999))),
          specialty: 'Family medicine',
          locationIds: [locationId],
        },
      },
      201,
    )
  ).id;
  patientId = (
    await ok(
      'createPatient',
      {
        user: 'front-desk',
        body: {
          name: { given: ['Ada'], family: 'Claimant' },
          birthDate: '1950-03-01',
          gender: 'female',
          contact: {
            address: { line: ['2 Oak Ave'], city: 'Springfield', state: 'IL', postalCode: '62702' },
          },
        },
        headers: key(),
      },
      201,
    )
  ).id;
  const profile = await invoke('getBillingProfile', {});
  const body = {
    name: 'Billing Test Practice',
    npi: withNpiCheckDigit('123456789'),
    taxId: '12-3456789',
    taxonomy: '207Q00000X',
    address: { line: ['1 Main St'], city: 'Springfield', state: 'IL', postalCode: '62701-1234' },
    submitter: {
      id: 'TESTSUB',
      name: 'Billing Test Practice',
      contactName: 'Billing',
      phone: '217-555-0100',
    },
    receiver: { id: 'LOCALCH', name: 'Local Clearinghouse' },
  };
  await ok(
    'putBillingProfile',
    { user: 'admin', body, headers: ifMatch(profile.status === 200 ? profile.body.version : 0) },
    profile.status === 200 ? 200 : 201,
  );
  medicareId = (
    await ok(
      'createPayer',
      {
        body: { name: 'Medicare Part B', payerId: 'MCR01', filingIndicator: 'MB', timelyFilingDays: 365 },
        headers: key(),
      },
      201,
    )
  ).id;
  const fee = await invoke('listFeeSchedule', {});
  const existing = fee.body.items.find((f: { id: string }) => f.id === '99214');
  await ok(
    'putFeeScheduleEntry',
    {
      params: { entry: '99214' },
      body: { charge: 16000, allowed: { [medicareId]: 11000 } },
      headers: ifMatch(existing?.version ?? 0),
    },
    existing ? 200 : 201,
  );
  await ok(
    'createCoverage',
    {
      user: 'front-desk',
      params: { patientId },
      body: {
        payerId: medicareId,
        order: 'primary',
        memberId: '1EG4TE5MK72',
        relationship: 'self',
        start: '2020-01-01',
      },
      headers: key(),
    },
    201,
  );
});

describe('billing set-up', () => {
  it('refuses a bad NPI, EIN, ZIP+4 and taxonomy, each by its field, and changes nothing', async () => {
    const res = await invoke('putBillingProfile', {
      user: 'admin',
      body: {
        name: 'X',
        npi: '1234567890',
        taxId: '1234',
        taxonomy: 'family',
        address: { line: ['1 Main St'], city: 'Springfield', state: 'IL', postalCode: '62701' },
        submitter: { id: 'S1', name: 'X', contactName: 'X', phone: '217-555-0100' },
        receiver: { id: 'R1', name: 'R' },
      },
      headers: ifMatch(1),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'body.address.postalCode',
      'body.npi',
      'body.taxId',
      'body.taxonomy',
    ]);
    expect((await ok('getBillingProfile', {})).name).toBe('Billing Test Practice');
  });

  it('a profile PUT without the ETag read is refused: 428 absent, 412 stale', async () => {
    const current = await ok('getBillingProfile', {});
    const body = { ...current };
    for (const f of ['id', 'version', 'createdAt', 'updatedAt', 'createdBy', 'updatedBy']) delete body[f];
    expect((await invoke('putBillingProfile', { user: 'admin', body })).status).toBe(428);
    expect((await invoke('putBillingProfile', { user: 'admin', body, headers: ifMatch(0) })).status).toBe(
      412,
    );
  });

  it('a payer needs a known filing indicator and a timely-filing limit', async () => {
    const res = await invoke('createPayer', {
      body: { name: 'X', payerId: 'X1', filingIndicator: 'XX', timelyFilingDays: 0 },
      headers: key(),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'body.filingIndicator',
      'body.timelyFilingDays',
    ]);
  });

  it('coverage for someone else needs the subscriber; it can be ended', async () => {
    const missing = await invoke('createCoverage', {
      user: 'front-desk',
      params: { patientId },
      body: {
        payerId: medicareId,
        order: 'secondary',
        memberId: 'S1',
        relationship: 'spouse',
        start: '2024-01-01',
      },
      headers: key(),
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].field).toBe('body.subscriber');
    const spouse = await ok(
      'createCoverage',
      {
        user: 'front-desk',
        params: { patientId },
        body: {
          payerId: medicareId,
          order: 'secondary',
          memberId: 'S1',
          relationship: 'spouse',
          subscriber: { name: { family: 'Claimant', given: ['Bob'] }, birthDate: '1949-01-01', sex: 'male' },
          start: '2024-01-01',
        },
        headers: key(),
      },
      201,
    );
    const ended = await ok('endCoverage', {
      user: 'front-desk',
      params: { patientId, coverageId: spouse.id },
      body: { end: '2024-12-31' },
      headers: { ...ifMatch(1), ...key() },
    });
    expect(ended.end).toBe('2024-12-31');
    const list = await ok('listCoverages', { user: 'front-desk', params: { patientId } });
    expect(list.items.map((c: { order: string }) => c.order)).toEqual(['primary', 'secondary']);
  });
});

describe('charges and claims', () => {
  it('charges need a finished encounter; the fee schedule fills the charge; prompts name what is unsupported', async () => {
    const open = await ok(
      'createEncounter',
      {
        user: 'clinician',
        params: { patientId },
        body: { class: 'ambulatory', provider: { id: providerId, name: 'Dr. C' }, reason: 'Visit' },
        headers: key(),
      },
      201,
    );
    const early = await invoke('putEncounterCharges', {
      user: 'clinician',
      params: { patientId, encounterId: open.id },
      body: CHARGES,
      headers: ifMatch(0),
    });
    expect(early.status).toBe(422);
    expect(early.body.errors[0].field).toBe('params.encounterId');

    const { encounterId } = await visit();
    const recorded = await charges(encounterId, {
      ...CHARGES,
      diagnoses: ['E11.9', 'I10', 'E78.5'],
      lines: [
        { code: '99214', diagnosisPointers: [1, 2] },
        { code: '82947', charge: 1800 },
      ],
    });
    expect(recorded.lines[0].charge).toBe(16000);
    expect(recorded.lines[0].serviceDate).toBe(recorded.encounterDate);
    expect(recorded.prompts.map((p: { field: string }) => p.field)).toEqual([
      'lines[1].diagnosisPointers',
      'diagnoses[2]',
    ]);
    const unknownFee = await invoke('putEncounterCharges', {
      user: 'clinician',
      params: { patientId, encounterId },
      body: { ...CHARGES, lines: [{ code: '99215', diagnosisPointers: [1] }] },
      headers: ifMatch(1),
    });
    expect(unknownFee.status).toBe(422);
    expect(unknownFee.body.errors[0].field).toBe('body.lines.0.charge');
  });

  it('signing a note whose charges lack a diagnosis or a pointer warns in the sign answer', async () => {
    const { encounterId, noteId } = await visit({ sign: false });
    await charges(encounterId, {
      ...CHARGES,
      lines: [
        { code: '99214', diagnosisPointers: [1] },
        { code: '82947', charge: 1800 },
      ],
    });
    const signed = await ok('signNote', {
      user: 'clinician',
      params: { patientId, noteId },
      headers: { ...ifMatch(1), ...key() },
    });
    expect(signed.status).toBe('signed');
    expect(signed.warnings).toEqual([
      { field: 'lines[1].diagnosisPointers', message: 'Service line 2 (82947) points to no diagnosis' },
      { field: 'diagnoses[1]', message: 'No service line points to diagnosis 2 (I10)' },
    ]);
    // A note whose encounter has no charges (or complete ones) signs without warnings.
    const clean = await visit({ sign: false });
    const plain = await ok('signNote', {
      user: 'clinician',
      params: { patientId, noteId: clean.noteId },
      headers: { ...ifMatch(1), ...key() },
    });
    expect(plain.warnings).toBeUndefined();
  });

  it('a claim needs the note signed (422 naming the encounter), and then costs 1 Query + 1 TransactWriteItems', async () => {
    const unsigned = await visit({ sign: false });
    await charges(unsigned.encounterId);
    const refused = await invoke('createClaim', {
      body: { patientId, encounterId: unsigned.encounterId },
      headers: key(),
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([
      { field: 'body.encounterId', message: "The encounter's note is not signed" },
    ]);

    const { encounterId } = await visit();
    await charges(encounterId);
    const created = await invoke('createClaim', { body: { patientId, encounterId }, headers: key() });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.counts).toEqual({ Query: 1, TransactWriteItems: 1 });
    const claim = created.body;
    expect(claim).toMatchObject({
      status: 'draft',
      frequency: '1',
      total: 16000 + 1800,
      payerId: medicareId,
    });
    expect(claim.controlNumber).toHaveLength(20);
    expect(claim.lines.map((l: { controlNumber: string }) => l.controlNumber)).toEqual([
      `${claim.controlNumber}-1`,
      `${claim.controlNumber}-2`,
    ]);

    const duplicate = await invoke('createClaim', { body: { patientId, encounterId }, headers: key() });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.errors[0]).toMatchObject({ field: 'body.encounterId', rule: 'duplicate-claim' });

    // A draft never sent is voided outright; the encounter may then be billed again.
    const voided = await ok('voidClaim', {
      params: { claimId: claim.id },
      body: { note: 'Wrong coverage' },
      headers: { ...ifMatch(1), ...key() },
    });
    expect(voided.status).toBe('voided');
    await ok('createClaim', { body: { patientId, encounterId }, headers: key() }, 201);
  });

  it('the scrubber lists every failing rule with its field, and ready is refused until they pass', async () => {
    const { encounterId } = await visit();
    await charges(encounterId, {
      ...CHARGES,
      lines: [
        { code: '99214', diagnosisPointers: [1], placeOfService: '11' },
        { code: '82947', charge: 1800, diagnosisPointers: [1] },
      ],
    });
    const claim = await ok('createClaim', { body: { patientId, encounterId }, headers: key() }, 201);
    const checked = await invoke('checkClaim', { params: { claimId: claim.id }, headers: key() });
    expect(checked.status).toBe(422);
    expect(checked.body.errors).toEqual([
      {
        rule: 'diagnosis-pointed',
        field: 'diagnoses[1]',
        message: 'No service line points to this diagnosis',
      },
    ]);
    const refused = await invoke('readyClaim', {
      params: { claimId: claim.id },
      body: {},
      headers: { ...ifMatch(1), ...key() },
    });
    expect(refused.status).toBe(422);
    expect((await ok('getClaim', { params: { claimId: claim.id } })).status).toBe('draft');

    const fixed = await ok('updateClaim', {
      params: { claimId: claim.id },
      body: { lines: [{ ...claim.lines[0], diagnosisPointers: [1, 2] }, claim.lines[1]].map(stripLine) },
      headers: ifMatch(1),
    });
    expect(fixed.version).toBe(2);
    expect((await invoke('checkClaim', { params: { claimId: claim.id }, headers: key() })).status).toBe(200);
    const ready = await ok('readyClaim', {
      params: { claimId: claim.id },
      body: {},
      headers: { ...ifMatch(2), ...key() },
    });
    expect(ready.status).toBe('ready');
    const stale = await invoke('closeClaim', {
      params: { claimId: claim.id },
      body: {},
      headers: { ...ifMatch(2), ...key() },
    });
    expect(stale.status).toBe(412);
    const wrongStep = await invoke('appealClaim', {
      params: { claimId: claim.id },
      body: {},
      headers: { ...ifMatch(3), ...key() },
    });
    expect(wrongStep.status).toBe(409);
  });
});

describe('the scrubber reads the set-up data as it is now', () => {
  it('a coverage ended since the claim was made fails coverage-active', async () => {
    const encounterId = await billedVisit();
    const coverage = await ok(
      'createCoverage',
      {
        user: 'front-desk',
        params: { patientId },
        body: {
          payerId: medicareId,
          order: 'secondary',
          memberId: 'SEC1',
          relationship: 'self',
          start: '2020-01-01',
        },
        headers: key(),
      },
      201,
    );
    const claim = await ok(
      'createClaim',
      { body: { patientId, encounterId, coverageId: coverage.id }, headers: key() },
      201,
    );
    expect((await invoke('checkClaim', { params: { claimId: claim.id }, headers: key() })).status).toBe(200);
    await ok('endCoverage', {
      user: 'front-desk',
      params: { patientId, coverageId: coverage.id },
      body: { end: '2021-01-01' },
      headers: { ...ifMatch(1), ...key() },
    });
    const checked = await invoke('checkClaim', { params: { claimId: claim.id }, headers: key() });
    expect(checked.status).toBe(422);
    expect(checked.body.errors).toEqual([
      {
        rule: 'coverage-active',
        field: 'coverage',
        message: 'The coverage is not active on the date of service',
      },
    ]);
  });
});

describe('corrections and voids after adjudication', () => {
  /** What bill-remit's posting does when an 835 denies the claim: the outcome and the payer's claim number. */
  async function adjudicate(claimId: string, status: 'denied' | 'paid') {
    const store = new DynamoBillingStore();
    const before = await store.getClaim(claimId);
    if (!before) throw new Error(claimId);
    const after = { ...before, status, payerClaimNumber: 'PCN-77001', version: before.version + 1 };
    await store.changeClaim(
      { requestId: 'test' },
      { before, after, audit: [], response: { status: 200, headers: {}, body: {} } },
    );
    return after.version;
  }

  it('correct makes a frequency-7 replacement citing the payer claim number; void after payment makes a frequency-8 claim', async () => {
    const encounterId = await billedVisit();
    const claim = await ok('createClaim', { body: { patientId, encounterId }, headers: key() }, 201);
    const tooEarly = await invoke('correctClaim', {
      params: { claimId: claim.id },
      body: {},
      headers: { ...ifMatch(1), ...key() },
    });
    expect(tooEarly.status).toBe(409);
    const version = await adjudicate(claim.id, 'denied');
    const replacement = await ok(
      'correctClaim',
      {
        params: { claimId: claim.id },
        body: { note: 'Modifier 25 added' },
        headers: { ...ifMatch(version), ...key() },
      },
      201,
    );
    expect(replacement).toMatchObject({
      status: 'draft',
      frequency: '7',
      originalClaimNumber: 'PCN-77001',
      replaces: claim.id,
      encounterId,
    });
    expect(replacement.controlNumber).not.toBe(claim.controlNumber);
    const original = await ok('getClaim', { params: { claimId: claim.id } });
    expect(original).toMatchObject({ status: 'corrected', replacedBy: replacement.id });
    // The replacement holds the encounter's guard now: no second original claim.
    expect((await invoke('createClaim', { body: { patientId, encounterId }, headers: key() })).status).toBe(
      409,
    );

    const paidVersion = await adjudicate(replacement.id, 'paid');
    const voiding = await ok(
      'voidClaim',
      { params: { claimId: replacement.id }, body: {}, headers: { ...ifMatch(paidVersion), ...key() } },
      201,
    );
    expect(voiding).toMatchObject({ status: 'ready', frequency: '8', originalClaimNumber: 'PCN-77001' });
    expect((await ok('getClaim', { params: { claimId: replacement.id } })).status).toBe('voided');
  });

  it('appeal and write-off keep what was done in the claim history', async () => {
    const encounterId = await billedVisit();
    const claim = await ok('createClaim', { body: { patientId, encounterId }, headers: key() }, 201);
    const version = await adjudicate(claim.id, 'denied');
    const appealed = await ok('appealClaim', {
      params: { claimId: claim.id },
      body: { note: 'Records sent' },
      headers: { ...ifMatch(version), ...key() },
    });
    expect(appealed.status).toBe('appealed');
    const writtenOff = await ok('writeOffClaim', {
      params: { claimId: claim.id },
      body: { amount: 1800, reason: 'Appeal lost' },
      headers: { ...ifMatch(appealed.version), ...key() },
    });
    expect(writtenOff).toMatchObject({ status: 'closed', writeOff: { amount: 1800, reason: 'Appeal lost' } });
    expect(writtenOff.history.map((h: { event: string }) => h.event)).toEqual([
      'create',
      'appeal',
      'write-off',
    ]);
  });
});

function stripLine(line: Record<string, unknown>) {
  const { lineNumber: _n, controlNumber: _c, ...rest } = line;
  return rest;
}

const seg = (segments: Segment[], tag: string) => segments.filter((s) => s.tag === tag);

describe('billing DynamoDB requests per operation', () => {
  it('reads are one request and their audit record; a step on a claim is one read and one transaction', async () => {
    const encounterId = await billedVisit();
    const claim = await ok('createClaim', { body: { patientId, encounterId }, headers: key() }, 201);
    const counts = async (operationId: string, call: Call, status = 200) => {
      const res = await invoke(operationId, call);
      expect(res.status, `${operationId}: ${JSON.stringify(res.body)}`).toBe(status);
      return res.counts;
    };
    expect(await counts('getClaim', { params: { claimId: claim.id } })).toEqual({ GetItem: 1, PutItem: 1 });
    // A page's audit records: one PutItem for one claim, one TransactWriteItems for several.
    const list = await counts('listClaims', { query: { patientId, limit: '5' } });
    expect(list.Query).toBe(1);
    expect((list.PutItem ?? 0) + (list.TransactWriteItems ?? 0)).toBe(1);
    const coverages = await counts('listCoverages', { params: { patientId } });
    expect(coverages.Query).toBe(1);
    expect((coverages.PutItem ?? 0) + (coverages.TransactWriteItems ?? 0)).toBe(1);
    expect(await counts('getEncounterCharges', { params: { patientId, encounterId } })).toEqual({
      GetItem: 1,
      PutItem: 1,
    });
    // The scrubber reads the profile, the payer, the guard, the coverage and the patient as they are now.
    expect(await counts('checkClaim', { params: { claimId: claim.id }, headers: key() })).toEqual({
      GetItem: 5,
      BatchGetItem: 1,
      PutItem: 1,
    });
    expect(
      await counts('updateClaim', {
        params: { claimId: claim.id },
        body: { priorAuthorization: 'PA-1' },
        headers: ifMatch(1),
      }),
    ).toEqual({ GetItem: 1, TransactWriteItems: 1 });
    expect(
      await counts('readyClaim', {
        params: { claimId: claim.id },
        body: {},
        headers: { ...ifMatch(2), ...key() },
      }),
    ).toEqual({ GetItem: 5, BatchGetItem: 1, TransactWriteItems: 1 });
    // A batch: the claims, the set-up data and the scrubber's reads, then ONE transaction (counter, batch, file,
    // claims, audit) and the hand-over's one UpdateItem.
    const batch = await invoke('createClaimBatch', { body: { claimIds: [claim.id] }, headers: key() });
    expect(batch.status).toBe(201);
    expect(batch.counts.TransactWriteItems).toBe(1);
    expect(batch.counts.UpdateItem).toBe(1);
    expect(batch.counts.Scan).toBeUndefined();
  });
});

describe('claim batches', () => {
  it('a visit billed through the API becomes an 837P the X12 library parses back, with unique control numbers', async () => {
    const first = [await readyClaim(await billedVisit())];
    const batch = await ok(
      'createClaimBatch',
      { body: { claimIds: first.map((c) => c.id) }, headers: key() },
      201,
    );
    expect(batch).toMatchObject({ claimCount: 1, total: 17800, status: 'sent' });
    expect(outbox.sent.at(-1)?.fileName).toBe(batch.fileName);

    const submitted = await ok('getClaim', { params: { claimId: first[0].id } });
    expect(submitted).toMatchObject({ status: 'submitted', batchId: batch.id });

    const file = await invoke('getClaimBatchFile', { params: { batchId: batch.id } });
    expect(file.status).toBe(200);
    expect(file.headers['Content-Type']).toContain('application/edi-x12');
    expect(file.text).toBe(outbox.sent.at(-1)?.x12);
    const parsed = parseInterchange(file.text);
    expect(Number(parsed.header[12])).toBe(batch.interchangeControlNumber);
    const [transaction] = parsed.groups[0]?.transactions ?? [];
    const segments = transaction?.segments ?? [];
    expect(transaction?.header).toEqual(['837', '0001', '005010X222A1']);
    expect(Number(transaction?.trailer[0])).toBe(segments.length + 2);
    const hl = seg(segments, 'HL').map((s) => s.elements.slice(0, 3));
    expect(hl).toEqual([
      ['1', '', '20'],
      ['2', '1', '22'],
    ]);
    const [clm] = seg(segments, 'CLM');
    expect(clm?.elements[0]).toBe(first[0].controlNumber);
    const sv1 = seg(segments, 'SV1');
    expect(sv1.map((s) => s.elements[0])).toEqual(['HC:99214', 'HC:82947']);
    expect(Number(clm?.elements[1])).toBeCloseTo(
      sv1.reduce((t, s) => t + Number(s.elements[1]), 0),
      2,
    );
    expect(
      seg(segments, 'REF')
        .filter((s) => s.elements[0] === '6R')
        .map((s) => s.elements[1]),
    ).toEqual(first[0].lines.map((l: { controlNumber: string }) => l.controlNumber));
    expect(seg(segments, 'HI')[0]?.elements).toEqual(['ABK:E119', 'ABF:I10']);

    // A second batch takes the next control number; the first batch's claims are not in it.
    const second = await readyClaim(await billedVisit());
    const next = await invoke('createClaimBatch', { body: {}, headers: key() });
    expect(next.status, JSON.stringify(next.body)).toBe(201);
    expect(next.body.claimIds).toContain(second.id);
    expect(next.body.claimIds).not.toContain(first[0].id);
    expect(next.body.interchangeControlNumber).toBeGreaterThan(batch.interchangeControlNumber);
    const isa13 = outbox.sent.map((f) => parseInterchange(f.x12).header[12]);
    expect(new Set(isa13).size).toBe(isa13.length);

    const again = await invoke('createClaimBatch', { body: { claimIds: [second.id] }, headers: key() });
    expect(again.status).toBe(409);
  });
});
