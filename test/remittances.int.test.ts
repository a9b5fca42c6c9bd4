// Posting what payers send back, through the handlers against DynamoDB Local, from claims made from real visits and
// submitted in a batch. The 835s here are written by hand from the 005010X221A1 guide: paid with CO-45 and PR-2,
// paid in full, denied CO-16 with RARC M51, a reversal (CLP02 22) and a provider-level adjustment (PLB). They post
// to the cent; an unbalanced one is refused whole with nothing posted; the same file twice posts once; a 277CA
// accepts or rejects claims; a primary payment with a secondary coverage makes the secondary claim.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cover,
  invoke,
  newPatient,
  ok,
  type Practice,
  readyClaim,
  setUpBillingPractice,
  submit,
} from './support/billing-practice.ts';
import { useLocalTable } from './support/local-env.ts';

const X12 = { 'Content-Type': 'application/edi-x12' };
let n = 0;

/** An 835 interchange around hand-written transaction-set segments; SE01 counted as the guide requires. */
function interchange(body: string[]): string {
  n += 1;
  const control = String(900_000 + Math.floor(Math.random() * 99_999)).padStart(9, '0');
  return [
    `ISA*00*          *00*          *ZZ*REMITPAYER     *ZZ*TESTSUB        *261210*0900*^*00501*${control}*0*T*:`,
    `GS*HP*REMITPAYER*TESTSUB*20261210*0900*${n}*X*005010X221A1`,
    'ST*835*0001*005010X221A1',
    ...body,
    `SE*${body.length + 2}*0001`,
    `GE*1*${n}`,
    `IEA*1*${control}`,
  ]
    .join('~')
    .concat('~');
}

const post = (x12: string) => invoke('ingestRemittance', { body: x12, headers: X12 });
const ledger = (patientId: string) => ok('getLedger', { params: { patientId } });

let practice: Practice;
let patientId: string;
let claims: Record<'A' | 'B' | 'C' | 'D', any>;
const trace = (name: string) => `${name}-${Math.random().toString(36).slice(2, 10).toUpperCase()}`;
let payer: string[];

beforeAll(async () => {
  useLocalTable();
  practice = await setUpBillingPractice();
  patientId = await newPatient();
  await cover(patientId, practice.payerId);
  const made = {
    A: await readyClaim(practice, patientId, [{ code: '99214', charge: 15000 }]),
    B: await readyClaim(practice, patientId, [{ code: '83036', charge: 4550 }]),
    C: await readyClaim(practice, patientId, [{ code: '99213', charge: 9500 }]),
    D: await readyClaim(practice, patientId, [{ code: '99213', charge: 12000 }]),
  };
  const submitted = await submit(Object.values(made).map((c) => c.id));
  claims = { A: submitted[0], B: submitted[1], C: submitted[2], D: submitted[3] };
  payer = [
    'N1*PR*REMIT HEALTH',
    `REF*2U*${practice.payerX12Id}`,
    'N1*PE*BILLING TEST PRACTICE*XX*1234567893',
  ];
}, 120_000);

const cn = (k: 'A' | 'B' | 'C' | 'D') => claims[k].controlNumber as string;
const line = (k: 'A' | 'B' | 'C' | 'D') => claims[k].lines[0].controlNumber as string;

describe('posting an 835', () => {
  let second: string;

  it('posts a first payment (claim D paid, CO-45 written off)', async () => {
    const res = await post(
      interchange([
        'BPR*I*80*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*20261205',
        `TRN*1*${trace('EFT1')}*1512345678`,
        'DTM*405*20261205',
        ...payer,
        'LX*1',
        `CLP*${cn('D')}*1*120*80**CI*PAYER-D1*11*1`,
        'SVC*HC:99213*120*80**1',
        'DTM*472*20261120',
        'CAS*CO*45*40',
        `REF*6R*${line('D')}`,
        'AMT*B6*80',
      ]),
    );
    expect(res.status, res.text).toBe(201);
    expect(res.body.remittances[0].claims).toEqual([
      expect.objectContaining({ claimId: claims.D.id, outcome: 'paid', status: 'paid', paid: 8000 }),
    ]);
  });

  it('posts paid, partially paid, denied, reversed and PLB to the cent, one transaction per claim', async () => {
    second = interchange([
      'BPR*I*60.5*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*20261210',
      `TRN*1*${trace('EFT2')}*1512345678`,
      'DTM*405*20261210',
      ...payer,
      'LX*1',
      // A: billed 150, allowed 120 (CO-45 30), paid 100, coinsurance PR-2 20.
      `CLP*${cn('A')}*1*150*100*20*CI*PAYER-A1*11*1`,
      'SVC*HC:99214*150*100**1',
      'DTM*472*20261120',
      'CAS*CO*45*30',
      'CAS*PR*2*20',
      `REF*6R*${line('A')}`,
      'AMT*B6*120',
      // B: paid in full.
      `CLP*${cn('B')}*1*45.5*45.5**CI*PAYER-B1*11*1`,
      'SVC*HC:83036*45.5*45.5**1',
      'DTM*472*20261120',
      `REF*6R*${line('B')}`,
      'AMT*B6*45.5',
      // C: denied, lacks information (CO-16), remark M51 (missing/invalid procedure code).
      `CLP*${cn('C')}*4*95*0**CI*PAYER-C1*11*1`,
      'SVC*HC:99213*95*0**1',
      'DTM*472*20261121',
      'CAS*CO*16*95',
      `REF*6R*${line('C')}`,
      'LQ*HE*M51',
      // D: the earlier payment taken back.
      `CLP*${cn('D')}*22*-120*-80**CI*PAYER-D1*11*1`,
      'CAS*CO*45*-40',
      // 5.00 overpayment recovery: 100 + 45.5 + 0 − 80 − 5 = 60.5.
      'PLB*1234567893*20261231*WO:PAYER-Z9*5',
    ]);
    const before = await ledger(patientId);
    const res = await post(second);
    expect(res.status, res.text).toBe(201);
    const [remittance] = res.body.remittances;
    expect(remittance).toMatchObject({
      result: 'posted',
      totalPaid: 6050,
      providerAdjustments: [{ reason: 'WO', reference: 'PAYER-Z9', amount: 500 }],
    });
    expect(
      Object.fromEntries(
        remittance.claims.map((c: { claimId: string; status: string }) => [c.claimId, c.status]),
      ),
    ).toEqual({
      [claims.A.id]: 'paid',
      [claims.B.id]: 'paid',
      [claims.C.id]: 'denied',
      [claims.D.id]: 'accepted',
    });
    // Budget: one transaction per claim posted and one for the remittance; claims read in batches; no Scan.
    expect(res.counts.TransactWriteItems).toBe(4 + 1);
    expect(res.counts.Scan).toBeUndefined();

    const after = await ledger(patientId);
    const added = after.entries.filter(
      (e: { id: string }) => !before.entries.some((b: { id: string }) => b.id === e.id),
    );
    const rows = (claimId: string) =>
      added
        .filter((e: { claimId: string }) => e.claimId === claimId)
        .map((e: { kind: string; amount: number; description: string }) => [e.kind, e.amount, e.description]);
    expect(rows(claims.A.id)).toEqual([
      ['insurance-payment', 10000, 'REMIT HEALTH paid'],
      ['adjustment', 3000, 'CO-45 Charge exceeds the fee schedule or contracted amount'],
      ['patient-responsibility', 2000, 'PR-2 Coinsurance'],
    ]);
    expect(rows(claims.B.id)).toEqual([['insurance-payment', 4550, 'REMIT HEALTH paid']]);
    expect(rows(claims.C.id)).toEqual([]);
    expect(rows(claims.D.id)).toEqual([
      ['insurance-payment', -8000, 'REMIT HEALTH: payment reversed'],
      ['adjustment', -4000, 'CO-45 Charge exceeds the fee schedule or contracted amount'],
    ]);
    // Charged 410.50; insurance paid 145.50 net, wrote off 30, moved 20 to the patient: 215 still with insurance
    // (C denied, D reversed), 20 owed by the patient.
    expect(after.totals).toMatchObject({
      charges: 41050,
      insurancePayments: 14550,
      adjustments: 3000,
      patientResponsibility: 2000,
    });
    expect(after.balances).toEqual({ insurance: 21500, patient: 2000, total: 23500 });

    const a = await ok('getClaim', { params: { claimId: claims.A.id } });
    expect(a).toMatchObject({ status: 'paid', payerClaimNumber: 'PAYER-A1' });
  });

  it('puts the denial on the work queue with its reason, meaning and remark', async () => {
    const queue = await ok('listDenials', { query: { limit: '100' } });
    const group = queue.groups.find((g: { code: string }) => g.code === 'CO-16');
    expect(group.meaning).toBe('Claim or service lacks information or has submission/billing errors');
    expect(group.denials.find((d: { claimId: string }) => d.claimId === claims.C.id)).toMatchObject({
      outcome: 'denied',
      amount: 9500,
      remarks: ['M51'],
      controlNumber: cn('C'),
    });
  });

  it('posts the same file once: a second time answers already-posted and changes nothing', async () => {
    const before = await ledger(patientId);
    const res = await post(second);
    expect(res.status, res.text).toBe(200);
    expect(res.body.remittances[0].result).toBe('already-posted');
    expect(res.counts.TransactWriteItems ?? 0).toBe(0);
    expect((await ledger(patientId)).entries).toEqual(before.entries);
  });

  it('refuses an unbalanced remittance whole, listing why, and posts nothing', async () => {
    const before = await ledger(patientId);
    const res = await post(
      interchange([
        'BPR*I*99*C*ACH************20261211',
        `TRN*1*${trace('EFT3')}*1512345678`,
        ...payer,
        `CLP*${cn('C')}*1*95*90**CI*PAYER-C1*11*7`,
        'SVC*HC:99213*95*90**1',
        'CAS*CO*45*4',
        `REF*6R*${line('C')}`,
        `CLP*NOSUCHCLAIM000000001*1*10*10**CI*X*11*1`,
      ]),
    );
    expect(res.status).toBe(422);
    expect(res.headers['Content-Type']).toBe('application/problem+json');
    expect(res.body.errors.map((e: { message: string }) => e.message)).toEqual([
      `claim ${cn('C')}: billed − paid does not equal its adjustments`,
      `claim ${cn('C')} line 1: billed − paid does not equal its adjustments`,
      'the payment total (BPR02) does not equal the claims paid less provider adjustments',
      'claim NOSUCHCLAIM000000001: no claim of this practice has that control number',
    ]);
    expect(res.counts.TransactWriteItems ?? 0).toBe(0);
    expect((await ledger(patientId)).entries).toEqual(before.entries);
    expect((await ok('getClaim', { params: { claimId: claims.C.id } })).status).toBe('denied');
  });

  it('takes only application/edi-x12 and only 835, 999 and 277CA', async () => {
    expect(
      (await invoke('ingestRemittance', { body: 'ISA*...', headers: { 'Content-Type': 'text/plain' } }))
        .status,
    ).toBe(415);
    const notX12 = await post('hello');
    expect(notX12.status).toBe(422);
  });
});

describe('acknowledgements and coordination of benefits', () => {
  it('a 277CA accepts one claim with the payer’s number and rejects another with its reason', async () => {
    const p = await newPatient('Acked');
    await cover(p, practice.payerId);
    const [ok1, bad] = await submit([
      (await readyClaim(practice, p, [{ code: '99213', charge: 9000 }])).id,
      (await readyClaim(practice, p, [{ code: '99213', charge: 9000 }])).id,
    ]);
    const ack = [
      'ISA*00*          *00*          *ZZ*LOCALCH        *ZZ*TESTSUB        *261210*0900*^*00501*000000777*0*T*:',
      'GS*HN*LOCALCH*TESTSUB*20261210*0900*777*X*005010X214',
      'ST*277*0001*005010X214',
      'BHT*0085*08*B1*20261210*0900*TH',
      'HL*1**20*1',
      'NM1*PR*2*REMIT HEALTH*****PI*RMT',
      'TRN*1*B1',
      'DTP*050*D8*20261210',
      'DTP*009*D8*20261210',
      'HL*2*1*21*1',
      'NM1*41*2*BILLING TEST PRACTICE*****46*TESTSUB',
      'TRN*2*B1',
      'STC*A1:19:PR*20261210*WQ*180',
      'HL*3*2*19*1',
      'NM1*85*2*BILLING TEST PRACTICE*****XX*1234567893',
      'TRN*1*0',
      'HL*4*3*PT',
      'NM1*QC*1*ACKED*ADA****MI*M1',
      `TRN*2*${ok1.controlNumber}`,
      'STC*A2:20:PR*20261210*WQ*90',
      'REF*1K*PAYERNO-1',
      'HL*5*3*PT',
      'NM1*QC*1*ACKED*ADA****MI*M1',
      `TRN*2*${bad.controlNumber}`,
      'STC*A7:562:85*20261210*U*90',
      'SE*24*0001',
      'GE*1*777',
      'IEA*1*000000777',
    ].join('~');
    const res = await post(ack);
    expect(res.status, res.text).toBe(200);
    expect(res.body.acknowledgements).toEqual([
      {
        controlNumber: ok1.controlNumber,
        claimId: ok1.id,
        accepted: true,
        status: 'accepted',
        result: 'updated',
      },
      {
        controlNumber: bad.controlNumber,
        claimId: bad.id,
        accepted: false,
        status: 'rejected',
        result: 'updated',
      },
    ]);
    expect(await ok('getClaim', { params: { claimId: ok1.id } })).toMatchObject({
      status: 'accepted',
      payerClaimNumber: 'PAYERNO-1',
    });
    expect((await ok('getClaim', { params: { claimId: bad.id } })).status).toBe('rejected');
    // The same 277CA again changes nothing.
    const again = await post(ack);
    expect(again.body.acknowledgements.map((a: { result: string }) => a.result)).toEqual([
      'unchanged',
      'unchanged',
    ]);
  });

  it('makes the secondary claim from the primary’s remittance, with its payment and adjustments', async () => {
    const p = await newPatient('Coordinated');
    await cover(p, practice.payerId, 'primary');
    const secondaryPayer = (
      await ok(
        'createPayer',
        {
          body: {
            name: 'Second Health',
            payerId: `SEC${Date.now() % 1e6}`,
            filingIndicator: 'CI',
            timelyFilingDays: 365,
          },
          headers: { 'Idempotency-Key': crypto.randomUUID() },
        },
        201,
      )
    ).id;
    await cover(p, secondaryPayer, 'secondary');
    const [claim] = await submit([(await readyClaim(practice, p, [{ code: '99214', charge: 15000 }])).id]);
    const res = await post(
      interchange([
        'BPR*I*100*C*ACH************20261212',
        `TRN*1*${trace('COB')}*1512345678`,
        ...payer,
        `CLP*${claim.controlNumber}*1*150*100*20*CI*PAYER-E1*11*1`,
        'SVC*HC:99214*150*100**1',
        'DTM*472*20261120',
        'CAS*CO*45*30',
        'CAS*PR*2*20',
        `REF*6R*${claim.lines[0].controlNumber}`,
      ]),
    );
    expect(res.status, res.text).toBe(201);
    const secondaryId = res.body.remittances[0].claims[0].secondaryClaimId;
    expect(secondaryId).toBeDefined();
    const secondary = await ok('getClaim', { params: { claimId: secondaryId } });
    expect(secondary).toMatchObject({ status: 'draft', payerId: secondaryPayer, patientId: p, total: 15000 });
    expect(secondary.priorPayers[0]).toMatchObject({
      paid: 10000,
      adjustments: [
        { group: 'CO', reason: '45', amount: 3000 },
        { group: 'PR', reason: '2', amount: 2000 },
      ],
      lines: [{ lineNumber: 1, paid: 10000 }],
    });
    // The secondary bills the same services: the ledger's charge is the primary claim's only.
    expect((await ledger(p)).totals.charges).toBe(15000);
  });
});
