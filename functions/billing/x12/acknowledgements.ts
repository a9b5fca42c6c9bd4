// Acknowledgements a clearinghouse returns for an 837: the 999 (005010X231A1) says whether each transaction set
// was syntactically accepted; the 277CA (005010X214) says, claim by claim, whether it entered adjudication or
// was rejected and why. Both are built here (for the local clearinghouse) and parsed here (for every one).

import { toCents, x12Amount } from '../money.ts';
import {
  buildInterchange,
  d8,
  parseInterchange,
  type Segment,
  X12FormatError,
  x12DateTime,
} from './envelope.ts';

export const IMPLEMENTATION_GUIDE_999 = '005010X231A1';
export const IMPLEMENTATION_GUIDE_277CA = '005010X214';

interface Parties {
  senderId: string;
  receiverId: string;
  interchangeControlNumber: number;
  groupControlNumber: number;
  createdAt: Date;
  usage: 'P' | 'T';
}

/** IK5/AK9 codes: A accepted, E accepted with errors, R rejected. */
export type SyntaxResult = 'A' | 'E' | 'R';

export interface ImplementationAcknowledgement {
  /** GS06 of the acknowledged functional group. */
  groupControlNumber: string;
  transactionSets: { controlNumber: string; result: SyntaxResult; errors: string[] }[];
  result: SyntaxResult;
}

export function build999(
  parties: Parties,
  ack: ImplementationAcknowledgement,
  guide = '005010X222A1',
): string {
  return buildInterchange({ ...parties, functionalId: 'FA', version: IMPLEMENTATION_GUIDE_999 }, (add) => {
    const t = add('999', '0001');
    t.addSegment('AK1', ['HC', ack.groupControlNumber, guide]);
    for (const set of ack.transactionSets) {
      t.addSegment('AK2', ['837', set.controlNumber, guide]);
      // IK3 names the segment in error; the local stand-in puts a readable reason in CTX01 (real clearinghouses also
      // name the element in IK4).
      for (const error of set.errors) {
        t.addSegment('IK3', ['CLM', '1', '', '8']);
        t.addSegment('CTX', [error.slice(0, 35)]);
      }
      t.addSegment('IK5', [set.result]);
    }
    const accepted = ack.transactionSets.filter((s) => s.result !== 'R').length;
    t.addSegment('AK9', [
      ack.result,
      String(ack.transactionSets.length),
      String(ack.transactionSets.length),
      String(accepted),
    ]);
  });
}

export function parse999(text: string): ImplementationAcknowledgement[] {
  const acks: ImplementationAcknowledgement[] = [];
  for (const group of parseInterchange(text).groups) {
    for (const transaction of group.transactions) {
      if (transaction.header[0] !== '999')
        throw new X12FormatError(`transaction set ${transaction.header[0]} is not a 999`);
      let ack: ImplementationAcknowledgement | undefined;
      let set: ImplementationAcknowledgement['transactionSets'][number] | undefined;
      for (const { tag, elements: e } of transaction.segments) {
        if (tag === 'AK1') {
          ack = { groupControlNumber: e[1] ?? '', transactionSets: [], result: 'R' };
          acks.push(ack);
        } else if (tag === 'AK2' && ack) {
          set = { controlNumber: e[1] ?? '', result: 'R', errors: [] };
          ack.transactionSets.push(set);
        } else if (tag === 'CTX' && set && e[0]) {
          set.errors.push(e[0]);
        } else if (tag === 'IK5' && set) {
          set.result = resultOf(e[0]);
        } else if (tag === 'AK9' && ack) {
          ack.result = resultOf(e[0]);
        }
      }
    }
  }
  if (acks.length === 0) throw new X12FormatError('no 999 acknowledgement');
  return acks;
}

function resultOf(code: string | undefined): SyntaxResult {
  if (code === 'A' || code === 'E' || code === 'R') return code;
  if (code === 'P' || code === 'M' || code === 'W' || code === 'X') return 'R';
  throw new X12FormatError(`acknowledgement code "${code}" is unknown`);
}

export interface ClaimAcknowledgement {
  /** TRN02 of the patient level: the claim control number the practice sent as CLM01. */
  claimControlNumber: string;
  accepted: boolean;
  /** STC01: category:status[:entity], e.g. A2:20 accepted, A7:562:85 rejected (entity's NPI invalid). */
  status: string;
  /** REF*1K: the payer's claim number, when it entered adjudication. */
  payerClaimNumber?: string;
  amount: number;
}

export interface ClaimAcknowledgementBatch {
  /** The 837's BHT03, echoed in TRN*2 at the submitter level. */
  batchReference: string;
  claims: ClaimAcknowledgement[];
}

/** STC01-1 categories that mean the claim entered adjudication. */
const ACCEPTED_CATEGORIES = new Set(['A1', 'A2']);

export function build277CA(
  parties: Parties,
  batch: ClaimAcknowledgementBatch & {
    payer: { name: string; id: string };
    submitter: { name: string; id: string };
    billingProvider: { name: string; npi: string };
    patients: Record<string, { family: string; given: string; memberId: string; serviceDate: string }>;
  },
): string {
  const { date, time } = x12DateTime(parties.createdAt);
  return buildInterchange({ ...parties, functionalId: 'HN', version: IMPLEMENTATION_GUIDE_277CA }, (add) => {
    const t = add('277', '0001');
    const sum = (claims: ClaimAcknowledgement[]) => x12Amount(claims.reduce((s, c) => s + c.amount, 0));
    const accepted = batch.claims.filter((c) => c.accepted);
    const rejected = batch.claims.filter((c) => !c.accepted);
    t.addSegment('BHT', ['0085', '08', batch.batchReference, date, time, 'TH']);
    t.addSegment('HL', ['1', '', '20', '1']);
    t.addSegment('NM1', ['PR', '2', batch.payer.name, '', '', '', '', 'PI', batch.payer.id]);
    t.addSegment('TRN', ['1', batch.batchReference]);
    t.addSegment('DTP', ['050', 'D8', date]);
    t.addSegment('DTP', ['009', 'D8', date]);
    t.addSegment('HL', ['2', '1', '21', '1']);
    t.addSegment('NM1', ['41', '2', batch.submitter.name, '', '', '', '', '46', batch.submitter.id]);
    t.addSegment('TRN', ['2', batch.batchReference]);
    t.addSegment('STC', ['A1:19:PR', date, 'WQ', sum(batch.claims)]);
    t.addSegment('QTY', ['90', String(accepted.length)]);
    t.addSegment('QTY', ['AA', String(rejected.length)]);
    t.addSegment('AMT', ['YU', sum(accepted)]);
    t.addSegment('AMT', ['YY', sum(rejected)]);
    t.addSegment('HL', ['3', '2', '19', '1']);
    t.addSegment('NM1', [
      '85',
      '2',
      batch.billingProvider.name,
      '',
      '',
      '',
      '',
      'XX',
      batch.billingProvider.npi,
    ]);
    t.addSegment('TRN', ['1', '0']);
    let hl = 3;
    for (const claim of batch.claims) {
      const patient = batch.patients[claim.claimControlNumber];
      t.addSegment('HL', [String(++hl), '3', 'PT']);
      t.addSegment('NM1', [
        'QC',
        '1',
        patient?.family ?? '',
        patient?.given ?? '',
        '',
        '',
        '',
        'MI',
        patient?.memberId ?? '',
      ]);
      t.addSegment('TRN', ['2', claim.claimControlNumber]);
      t.addSegment('STC', [claim.status, date, claim.accepted ? 'WQ' : 'U', x12Amount(claim.amount)]);
      if (claim.payerClaimNumber) t.addSegment('REF', ['1K', claim.payerClaimNumber]);
      if (patient) t.addSegment('DTP', ['472', 'D8', d8(patient.serviceDate)]);
    }
  });
}

export function parse277CA(text: string): ClaimAcknowledgementBatch[] {
  const batches: ClaimAcknowledgementBatch[] = [];
  for (const group of parseInterchange(text).groups) {
    for (const transaction of group.transactions) {
      if (transaction.header[0] !== '277')
        throw new X12FormatError(`transaction set ${transaction.header[0]} is not a 277`);
      batches.push(readClaimAcknowledgements(transaction.segments));
    }
  }
  if (batches.length === 0) throw new X12FormatError('no 277CA transaction set');
  return batches;
}

function readClaimAcknowledgements(segments: Segment[]): ClaimAcknowledgementBatch {
  const batch: ClaimAcknowledgementBatch = { batchReference: '', claims: [] };
  let level = '';
  let claim: ClaimAcknowledgement | undefined;
  for (const { tag, elements: e } of segments) {
    if (tag === 'HL') {
      level = e[2] ?? '';
      claim = undefined;
      if (level === 'PT') {
        claim = { claimControlNumber: '', accepted: false, status: '', amount: 0 };
        batch.claims.push(claim);
      }
    } else if (tag === 'TRN' && e[0] === '2') {
      if (claim) claim.claimControlNumber = e[1] ?? '';
      else if (level === '21') batch.batchReference = e[1] ?? '';
    } else if (tag === 'STC' && claim && !claim.status) {
      claim.status = e[0] ?? '';
      claim.accepted = ACCEPTED_CATEGORIES.has(claim.status.split(':')[0] ?? '');
      claim.amount = toCents(e[3] ?? '0');
    } else if (tag === 'REF' && claim && e[0] === '1K') {
      claim.payerClaimNumber = e[1];
    }
  }
  if (batch.claims.some((c) => !c.claimControlNumber || !c.status)) {
    throw new X12FormatError('a claim in the 277CA has no TRN*2 or STC');
  }
  return batch;
}
