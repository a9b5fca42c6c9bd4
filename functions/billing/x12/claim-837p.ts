// Professional claims as an X12 5010 837P (005010X222A1): one interchange per batch, one transaction set per
// billing provider, the HL hierarchy billing provider (20) → subscriber (22) → patient (23, only when the patient
// is not the subscriber), loop 2300 per claim and 2400 per service line with its line control number (REF*6R).
import type { X12Transaction } from 'node-x12';
import {
  type Adjustment,
  type BillingProfile,
  type Claim,
  type Coverage,
  claimTotal,
  type PersonName,
  type PostalAddress,
  type SubscriberRelationship,
} from '../model.ts';
import { x12Amount } from '../money.ts';
import { buildInterchange, d8, x12DateTime } from './envelope.ts';

export const IMPLEMENTATION_GUIDE_837P = '005010X222A1';

export interface ClaimBatchInput {
  profile: BillingProfile;
  claims: readonly Claim[];
  interchangeControlNumber: number;
  groupControlNumber: number;
  /** BHT03: the batch's own reference, echoed in acknowledgements. */
  batchReference: string;
  createdAt: Date;
  usage: 'P' | 'T';
}

/** SBR02 / PAT01 individual relationship codes. */
const RELATIONSHIP: Record<SubscriberRelationship, string> = {
  self: '18',
  spouse: '01',
  child: '19',
  other: 'G8',
};
const PAYER_RESPONSIBILITY = { primary: 'P', secondary: 'S', tertiary: 'T' } as const;
const SEX = { male: 'M', female: 'F', unknown: 'U' } as const;

function personName(entity: string, name: PersonName, idQualifier?: string, id?: string): string[] {
  const [first = '', middle = ''] = name.given;
  const elements = [entity, '1', name.family, first, middle, '', ''];
  return idQualifier && id ? [...elements, idQualifier, id] : elements;
}

function addAddress(transaction: X12Transaction, address: PostalAddress): void {
  const [line1 = '', line2] = address.line;
  transaction.addSegment('N3', line2 ? [line1, line2] : [line1]);
  transaction.addSegment('N4', [address.city, address.state, address.postalCode]);
}

/** ICD-10-CM codes go into HI without their dot; ABK marks the principal diagnosis, ABF the others. */
function diagnosisCodes(diagnoses: readonly string[]): string[] {
  return diagnoses.map((code, index) => `${index === 0 ? 'ABK' : 'ABF'}:${code.replace('.', '')}`);
}

/** CAS segments: up to six reason/amount/quantity triplets per group. */
export function casSegments(adjustments: readonly Adjustment[]): string[][] {
  const byGroup = new Map<string, Adjustment[]>();
  for (const adjustment of adjustments) {
    byGroup.set(adjustment.group, [...(byGroup.get(adjustment.group) ?? []), adjustment]);
  }
  const segments: string[][] = [];
  for (const [group, items] of byGroup) {
    for (let start = 0; start < items.length; start += 6) {
      const triplets = items
        .slice(start, start + 6)
        .flatMap((a) => [a.reason, x12Amount(a.amount), a.quantity === undefined ? '' : String(a.quantity)]);
      while (triplets.at(-1) === '') triplets.pop();
      segments.push([group, ...triplets]);
    }
  }
  return segments;
}

/** NM1*PR: the payer, by the id the clearinghouse knows it by (2010BB, and 2330B for an earlier payer). */
function payerName(coverage: Coverage): string[] {
  return ['PR', '2', coverage.payer.name, '', '', '', '', 'PI', coverage.payer.payerId];
}

function addSubscriber(transaction: X12Transaction, coverage: Coverage, patientIsSubscriber: boolean): void {
  const { subscriber } = coverage;
  transaction.addSegment('SBR', [
    PAYER_RESPONSIBILITY[coverage.order],
    patientIsSubscriber ? '18' : '',
    coverage.groupNumber ?? '',
    '',
    '',
    '',
    '',
    '',
    coverage.payer.filingIndicator,
  ]);
  transaction.addSegment('NM1', personName('IL', subscriber.name, 'MI', coverage.memberId));
  if (subscriber.address) addAddress(transaction, subscriber.address);
  // 2010BA DMG is sent only when the subscriber is the patient (the 2010CA loop carries it otherwise).
  if (patientIsSubscriber)
    transaction.addSegment('DMG', ['D8', d8(subscriber.birthDate), SEX[subscriber.sex]]);
  transaction.addSegment('NM1', payerName(coverage));
}

function addClaim(transaction: X12Transaction, claim: Claim): void {
  const placeOfService = claim.lines[0]?.placeOfService ?? '11';
  transaction.addSegment('CLM', [
    claim.controlNumber,
    x12Amount(claimTotal(claim)),
    '',
    '',
    `${placeOfService}:B:${claim.frequency}`,
    'Y', // provider signature on file
    'A', // assignment accepted
    'Y', // benefits assigned
    'Y', // release of information
  ]);
  if (claim.priorAuthorization) transaction.addSegment('REF', ['G1', claim.priorAuthorization]);
  if (claim.frequency !== '1' && claim.originalClaimNumber) {
    transaction.addSegment('REF', ['F8', claim.originalClaimNumber]);
  }
  transaction.addSegment('HI', diagnosisCodes(claim.diagnoses));
  if (claim.referringProvider) {
    transaction.addSegment(
      'NM1',
      personName('DN', claim.referringProvider.name, 'XX', claim.referringProvider.npi),
    );
  }
  transaction.addSegment(
    'NM1',
    personName('82', claim.renderingProvider.name, 'XX', claim.renderingProvider.npi),
  );
  if (claim.renderingProvider.taxonomy) {
    transaction.addSegment('PRV', ['PE', 'PXC', claim.renderingProvider.taxonomy]);
  }
  for (const prior of claim.priorPayers ?? []) addPriorPayer(transaction, prior);
  for (const line of claim.lines) {
    transaction.addSegment('LX', [String(line.lineNumber)]);
    transaction.addSegment('SV1', [
      ['HC', line.code, ...line.modifiers].join(':'),
      x12Amount(line.charge),
      'UN',
      String(line.units),
      line.placeOfService === placeOfService ? '' : line.placeOfService,
      '',
      line.diagnosisPointers.join(':'),
    ]);
    transaction.addSegment('DTP', ['472', 'D8', d8(line.serviceDate)]);
    transaction.addSegment('REF', ['6R', line.controlNumber]);
    for (const prior of claim.priorPayers ?? []) {
      const result = prior.lines.find((l) => l.lineNumber === line.lineNumber);
      if (!result) continue;
      transaction.addSegment('SVD', [
        prior.coverage.payer.payerId,
        x12Amount(result.paid),
        ['HC', line.code, ...line.modifiers].join(':'),
        '',
        String(line.units),
      ]);
      for (const cas of casSegments(result.adjustments)) transaction.addSegment('CAS', cas);
      transaction.addSegment('DTP', ['573', 'D8', d8(prior.adjudicationDate)]);
    }
  }
}

/** Loop 2320/2330: what an earlier payer paid and adjusted, for a secondary or tertiary claim. */
function addPriorPayer(transaction: X12Transaction, prior: NonNullable<Claim['priorPayers']>[number]): void {
  const { coverage } = prior;
  transaction.addSegment('SBR', [
    PAYER_RESPONSIBILITY[coverage.order],
    RELATIONSHIP[coverage.relationship],
    coverage.groupNumber ?? '',
    '',
    '',
    '',
    '',
    '',
    coverage.payer.filingIndicator,
  ]);
  for (const cas of casSegments(prior.adjustments)) transaction.addSegment('CAS', cas);
  transaction.addSegment('AMT', ['D', x12Amount(prior.paid)]);
  transaction.addSegment('OI', ['', '', 'Y', '', '', 'Y']);
  transaction.addSegment('NM1', personName('IL', coverage.subscriber.name, 'MI', coverage.memberId));
  transaction.addSegment('NM1', payerName(coverage));
}

/**
 * Builds the 837P interchange for a batch of claims of one billing provider. Each claim gets its own subscriber HL
 * (the guide allows it, and it keeps one claim's loops together); the patient HL appears only when the patient is
 * not the subscriber.
 */
export function buildClaimBatch(input: ClaimBatchInput): string {
  const { profile } = input;
  const { date, time } = x12DateTime(input.createdAt);
  return buildInterchange(
    {
      senderId: profile.submitter.id,
      receiverId: profile.receiver.id,
      interchangeControlNumber: input.interchangeControlNumber,
      groupControlNumber: input.groupControlNumber,
      functionalId: 'HC',
      version: IMPLEMENTATION_GUIDE_837P,
      createdAt: input.createdAt,
      usage: input.usage,
    },
    (addTransaction) => {
      const transaction = addTransaction('837', '0001');
      transaction.addSegment('BHT', ['0019', '00', input.batchReference, date, time, 'CH']);
      transaction.addSegment('NM1', [
        '41',
        '2',
        profile.submitter.name,
        '',
        '',
        '',
        '',
        '46',
        profile.submitter.id,
      ]);
      transaction.addSegment('PER', [
        'IC',
        profile.submitter.contactName,
        'TE',
        profile.submitter.phone.replace(/\D/g, ''),
      ]);
      transaction.addSegment('NM1', [
        '40',
        '2',
        profile.receiver.name,
        '',
        '',
        '',
        '',
        '46',
        profile.receiver.id,
      ]);
      let hl = 1;
      const billingHl = hl;
      transaction.addSegment('HL', [String(billingHl), '', '20', '1']);
      transaction.addSegment('PRV', ['BI', 'PXC', profile.taxonomy]);
      transaction.addSegment('NM1', ['85', '2', profile.name, '', '', '', '', 'XX', profile.npi]);
      addAddress(transaction, profile.address);
      transaction.addSegment('REF', ['EI', profile.taxId]);
      if (profile.payTo) {
        transaction.addSegment('NM1', ['87', '2']);
        addAddress(transaction, profile.payTo);
      }
      for (const claim of input.claims) {
        const patientIsSubscriber = claim.coverage.relationship === 'self';
        const subscriberHl = ++hl;
        transaction.addSegment('HL', [
          String(subscriberHl),
          String(billingHl),
          '22',
          patientIsSubscriber ? '0' : '1',
        ]);
        addSubscriber(transaction, claim.coverage, patientIsSubscriber);
        if (!patientIsSubscriber) {
          const patientHl = ++hl;
          transaction.addSegment('HL', [String(patientHl), String(subscriberHl), '23', '0']);
          transaction.addSegment('PAT', [RELATIONSHIP[claim.coverage.relationship]]);
          transaction.addSegment('NM1', personName('QC', claim.patient.name));
          addAddress(transaction, claim.patient.address);
          transaction.addSegment('DMG', ['D8', d8(claim.patient.birthDate), SEX[claim.patient.sex]]);
        }
        addClaim(transaction, claim);
      }
    },
  );
}
