// The local clearinghouse's payer: reads an 837P the way a clearinghouse and payer would, answers with a 999, a
// 277CA and an 835 that balances. Deterministic (a claim's fate follows from its control number), so tests and
// walk-throughs get the same answers every run. A stand-in for development, not a model of any real payer.
import { createHash } from 'node:crypto';
import type { Adjustment } from '#functions/billing/model.ts';
import { toCents, x12Amount } from '#functions/billing/money.ts';
import { build277CA, build999, type ClaimAcknowledgement } from '#functions/billing/x12/acknowledgements.ts';
import { casSegments } from '#functions/billing/x12/claim-837p.ts';
import {
  buildInterchange,
  d8,
  type EnvelopeInput,
  parseInterchange,
  type Segment,
} from '#functions/billing/x12/envelope.ts';

export interface ReceivedLine {
  code: string;
  modifiers: string[];
  charge: number;
  units: number;
  serviceDate: string;
  controlNumber: string;
}

export interface ReceivedClaim {
  controlNumber: string;
  charge: number;
  frequency: string;
  payerId: string;
  payerName: string;
  memberId: string;
  patient: { family: string; given: string };
  lines: ReceivedLine[];
}

export interface ReceivedBatch {
  senderId: string;
  receiverId: string;
  groupControlNumber: string;
  transactionControlNumber: string;
  batchReference: string;
  billingProvider: { name: string; npi: string };
  submitter: { name: string; id: string };
  claims: ReceivedClaim[];
}

/** Reads the parts of an 837P that adjudication needs. Throws X12FormatError when it is not one. */
export function read837(text: string): ReceivedBatch {
  const interchange = parseInterchange(text);
  const group = interchange.groups[0];
  const transaction = group?.transactions[0];
  if (!group || !transaction || transaction.header[0] !== '837') throw new Error('not an 837 interchange');
  const batch: ReceivedBatch = {
    senderId: (interchange.header[5] ?? '').trim(),
    receiverId: (interchange.header[7] ?? '').trim(),
    groupControlNumber: group.header[5] ?? '',
    transactionControlNumber: transaction.header[1] ?? '',
    batchReference: '',
    billingProvider: { name: '', npi: '' },
    submitter: { name: '', id: '' },
    claims: [],
  };
  let subscriber = { memberId: '', family: '', given: '', payerId: '', payerName: '' };
  let claim: ReceivedClaim | undefined;
  let line: ReceivedLine | undefined;
  let inPriorPayer = false;
  const take = (s: Segment) => s.elements;
  for (const segment of transaction.segments) {
    const e = take(segment);
    switch (segment.tag) {
      case 'BHT':
        batch.batchReference = e[2] ?? '';
        break;
      case 'HL':
        claim = undefined;
        line = undefined;
        inPriorPayer = false;
        if (e[2] === '22') subscriber = { memberId: '', family: '', given: '', payerId: '', payerName: '' };
        break;
      case 'SBR':
        if (claim) inPriorPayer = true;
        break;
      case 'NM1':
        if (inPriorPayer) break;
        if (e[0] === '41') batch.submitter = { name: e[2] ?? '', id: e[8] ?? '' };
        if (e[0] === '85') batch.billingProvider = { name: e[2] ?? '', npi: e[8] ?? '' };
        if (e[0] === 'IL')
          subscriber = { ...subscriber, memberId: e[8] ?? '', family: e[2] ?? '', given: e[3] ?? '' };
        if (e[0] === 'QC') subscriber = { ...subscriber, family: e[2] ?? '', given: e[3] ?? '' };
        if (e[0] === 'PR') subscriber = { ...subscriber, payerName: e[2] ?? '', payerId: e[8] ?? '' };
        break;
      case 'CLM':
        claim = {
          controlNumber: e[0] ?? '',
          charge: toCents(e[1] ?? '0'),
          frequency: (e[4] ?? '').split(':')[2] ?? '1',
          payerId: subscriber.payerId,
          payerName: subscriber.payerName,
          memberId: subscriber.memberId,
          patient: { family: subscriber.family, given: subscriber.given },
          lines: [],
        };
        batch.claims.push(claim);
        break;
      case 'SV1': {
        if (!claim) break;
        const [, code = '', ...modifiers] = (e[0] ?? '').split(':');
        line = {
          code,
          modifiers,
          charge: toCents(e[1] ?? '0'),
          units: Number(e[3] ?? '1'),
          serviceDate: '',
          controlNumber: '',
        };
        claim.lines.push(line);
        break;
      }
      case 'DTP':
        if (line && e[0] === '472')
          line.serviceDate = `${e[2]?.slice(0, 4)}-${e[2]?.slice(4, 6)}-${e[2]?.slice(6, 8)}`;
        break;
      case 'REF':
        if (line && e[0] === '6R') line.controlNumber = e[1] ?? '';
        break;
      default:
        break;
    }
  }
  return batch;
}

export interface AdjudicationRules {
  /** Allowed amount in cents for a procedure code at a payer (NM1*PR's id); undefined → 80 % of the charge. */
  allowed: (code: string, modifiers: string[], payerId: string) => number | undefined;
  /** Share (0–1) of claims the clearinghouse rejects in the 277CA. */
  rejectShare: number;
  /** Share (0–1) of accepted claims the payer denies, with these CARCs (in turn). */
  denyShare: number;
  denyReasons: string[];
  /** Co-payment for evaluation and management visits (992xx), in cents. */
  copay: number;
  /** Coinsurance for other services, as a fraction of the allowed amount. */
  coinsurance: number;
}

export const DEFAULT_RULES: AdjudicationRules = {
  allowed: () => undefined,
  rejectShare: 0,
  denyShare: 0,
  denyReasons: ['16'],
  copay: 2000,
  coinsurance: 0.2,
};

/** A stable number in [0, 1) from a claim's control number, so each claim's fate is reproducible. */
function fate(controlNumber: string, salt: string): number {
  return createHash('sha256').update(`${salt}:${controlNumber}`).digest().readUInt32BE(0) / 2 ** 32;
}

export interface Adjudication {
  ack999: string;
  ack277: string;
  /** Undefined when every claim was rejected: there is nothing to pay. */
  remittance?: string;
  accepted: string[];
  rejected: string[];
  denied: string[];
}

interface Counters {
  interchangeControlNumber: number;
  createdAt: Date;
}

/** Adjudicates a batch: rejects, denies and pays by the rules, and writes the three answers. */
export function adjudicate(text: string, rules: AdjudicationRules, counters: Counters): Adjudication {
  const batch = read837(text);
  const parties = (n: number) => ({
    senderId: batch.receiverId,
    receiverId: batch.senderId,
    interchangeControlNumber: counters.interchangeControlNumber + n,
    groupControlNumber: counters.interchangeControlNumber + n,
    createdAt: counters.createdAt,
    usage: 'T' as const,
  });
  const ack999 = build999(parties(0), {
    groupControlNumber: batch.groupControlNumber,
    transactionSets: [{ controlNumber: batch.transactionControlNumber, result: 'A', errors: [] }],
    result: 'A',
  });
  const acks: ClaimAcknowledgement[] = batch.claims.map((claim) => {
    const rejected = fate(claim.controlNumber, 'reject') < rules.rejectShare;
    return {
      claimControlNumber: claim.controlNumber,
      accepted: !rejected,
      status: rejected ? 'A7:562:85' : 'A2:20:PR',
      ...(rejected ? {} : { payerClaimNumber: `P${claim.controlNumber}` }),
      amount: claim.charge,
    };
  });
  const ack277 = build277CA(parties(1), {
    batchReference: batch.batchReference,
    payer: { name: 'Local Clearinghouse', id: batch.receiverId },
    submitter: batch.submitter,
    billingProvider: batch.billingProvider,
    patients: Object.fromEntries(
      batch.claims.map((c) => [
        c.controlNumber,
        {
          family: c.patient.family,
          given: c.patient.given,
          memberId: c.memberId,
          serviceDate: c.lines[0]?.serviceDate ?? '',
        },
      ]),
    ),
    claims: acks,
  });
  const accepted = batch.claims.filter(
    (c) => acks.find((a) => a.claimControlNumber === c.controlNumber)?.accepted,
  );
  const denied: string[] = [];
  let remittance: string | undefined;
  if (accepted.length > 0) {
    remittance = buildRemittance(batch, accepted, rules, parties(2), denied);
  }
  return {
    ack999,
    ack277,
    ...(remittance ? { remittance } : {}),
    accepted: accepted.map((c) => c.controlNumber),
    rejected: acks.filter((a) => !a.accepted).map((a) => a.claimControlNumber),
    denied,
  };
}

function buildRemittance(
  batch: ReceivedBatch,
  claims: ReceivedClaim[],
  rules: AdjudicationRules,
  parties: Omit<EnvelopeInput, 'functionalId' | 'version'>,
  denied: string[],
): string {
  const paymentDate = d8(parties.createdAt.toISOString().slice(0, 10));
  const outcomes = claims.map((claim, index) => {
    const deny = fate(claim.controlNumber, 'deny') < rules.denyShare;
    const reason = rules.denyReasons[index % Math.max(1, rules.denyReasons.length)] ?? '16';
    if (deny) denied.push(claim.controlNumber);
    const lines = claim.lines.map((line) => {
      if (deny)
        return {
          line,
          paid: 0,
          allowed: 0,
          adjustments: [{ group: 'CO', reason, amount: line.charge }] as Adjustment[],
        };
      const allowed = Math.min(
        line.charge,
        rules.allowed(line.code, line.modifiers, claim.payerId) ?? Math.round(line.charge * 0.8),
      );
      const patientShare = line.code.startsWith('992')
        ? Math.min(rules.copay, allowed)
        : Math.round(allowed * rules.coinsurance);
      const adjustments: Adjustment[] = [];
      if (line.charge > allowed)
        adjustments.push({ group: 'CO', reason: '45', amount: line.charge - allowed });
      if (patientShare > 0) {
        adjustments.push({
          group: 'PR',
          reason: line.code.startsWith('992') ? '3' : '2',
          amount: patientShare,
        });
      }
      return { line, paid: allowed - patientShare, allowed, adjustments };
    });
    const paid = lines.reduce((t, l) => t + l.paid, 0);
    const patient = lines.reduce(
      (t, l) => t + l.adjustments.filter((a) => a.group === 'PR').reduce((s, a) => s + a.amount, 0),
      0,
    );
    return { claim, deny, reason, lines, paid, patient };
  });
  const total = outcomes.reduce((t, o) => t + o.paid, 0);
  const trace = `LCH${String(parties.interchangeControlNumber).padStart(9, '0')}`;
  return buildInterchange({ ...parties, functionalId: 'HP', version: '005010X221A1' }, (add) => {
    const t = add('835', '0001');
    t.addSegment('BPR', [
      total > 0 ? 'I' : 'H',
      x12Amount(total),
      'C',
      total > 0 ? 'ACH' : 'NON',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      paymentDate,
    ]);
    t.addSegment('TRN', ['1', trace, `1${batch.receiverId.slice(0, 9)}`]);
    t.addSegment('DTM', ['405', paymentDate]);
    const first = claims[0];
    t.addSegment('N1', ['PR', first?.payerName || 'LOCAL PAYER']);
    t.addSegment('REF', ['2U', first?.payerId || batch.receiverId]);
    t.addSegment('N1', ['PE', batch.billingProvider.name, 'XX', batch.billingProvider.npi]);
    t.addSegment('LX', ['1']);
    for (const o of outcomes) {
      t.addSegment('CLP', [
        o.claim.controlNumber,
        o.deny ? '4' : '1',
        x12Amount(o.claim.charge),
        x12Amount(o.paid),
        o.patient ? x12Amount(o.patient) : '',
        'CI',
        `P${o.claim.controlNumber}`,
        '11',
        o.claim.frequency,
      ]);
      t.addSegment('NM1', [
        'QC',
        '1',
        o.claim.patient.family,
        o.claim.patient.given,
        '',
        '',
        '',
        'MI',
        o.claim.memberId,
      ]);
      for (const l of o.lines) {
        t.addSegment('SVC', [
          ['HC', l.line.code, ...l.line.modifiers].join(':'),
          x12Amount(l.line.charge),
          x12Amount(l.paid),
          '',
          String(l.line.units),
        ]);
        t.addSegment('DTM', ['472', d8(l.line.serviceDate)]);
        for (const cas of casSegments(l.adjustments)) t.addSegment('CAS', cas);
        if (l.line.controlNumber) t.addSegment('REF', ['6R', l.line.controlNumber]);
        if (!o.deny) t.addSegment('AMT', ['B6', x12Amount(l.allowed)]);
        // M51: missing, incomplete or invalid procedure code(s), the remark that goes with a CO-16 denial.
        if (o.deny && o.reason === '16') t.addSegment('LQ', ['HE', 'M51']);
      }
    }
  });
}
