// Billing request and response shapes. Amounts are integer cents (12500 is $125.00), as the domain core keeps them;
// dates are YYYY-MM-DD. Codes are the practice's own: no CPT descriptions are stored or shipped (AMA-licensed).
import * as z from 'zod';
import { isValidCpt, isValidIcd10Cm, normalizeIcd10Cm } from '#shared/codes.ts';
import { isValidNpi } from '#shared/npi.ts';
import { Audited, CalendarDate, Cursor, Id, Limit, page, Text } from '#shared/schemas.ts';
import { CLAIM_STATUSES } from './lifecycle.ts';
import { isValidHcpcsLevel2, PLACES_OF_SERVICE } from './scrubber.ts';

const Cents = z.number().int('Must be whole cents').min(0).max(100_000_000);
const PositiveCents = Cents.refine((c) => c > 0, 'Must be more than zero');

export const Npi = z
  .string()
  .regex(/^\d{10}$/, 'Must be 10 digits')
  .refine(isValidNpi, 'Fails the NPI check digit');

/** EIN: nine digits; the usual 12-3456789 form is accepted and stored as digits. */
export const TaxId = z
  .string()
  .trim()
  .regex(/^\d{2}-?\d{7}$/, 'Must be a 9-digit EIN (12-3456789)')
  .transform((v) => v.replace('-', ''));

/** NUCC health care provider taxonomy code: ten characters ending in X, e.g. 207Q00000X. */
export const Taxonomy = z
  .string()
  .regex(/^\d{3}[0-9A-Z]{6}X$/, 'Must be a NUCC taxonomy code such as 207Q00000X');

const State = z.string().regex(/^[A-Z]{2}$/, 'Must be a two-letter state code');
const Zip = (nine: boolean) =>
  z
    .string()
    .trim()
    .regex(
      nine ? /^\d{5}-?\d{4}$/ : /^\d{5}(-?\d{4})?$/,
      nine ? 'Must be a 9-digit ZIP+4 (12345-6789)' : 'Must be a ZIP code',
    )
    .transform((v) => v.replace('-', ''));

const addressOf = (nine: boolean) =>
  z.strictObject({
    line: z.array(Text(55)).min(1).max(2),
    city: Text(30),
    state: State,
    postalCode: Zip(nine),
  });
/** The billing provider's address: the 837 requires ZIP+4 there. */
export const BillingAddress = addressOf(true);
export const PostalAddress = addressOf(false);

const X12Id = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{2,15}$/, `Must be the ${what}: 2 to 15 letters or digits`);

export const BillingProfileBody = z.strictObject({
  name: Text(60),
  npi: Npi,
  taxId: TaxId,
  taxonomy: Taxonomy,
  address: BillingAddress,
  payTo: PostalAddress.optional(),
  submitter: z.strictObject({
    id: X12Id('submitter id the clearinghouse gave the practice'),
    name: Text(60),
    contactName: Text(60),
    phone: z.string().regex(/^\+?[0-9 ().-]{10,20}$/, 'Must be a phone number'),
  }),
  receiver: z.strictObject({ id: X12Id("clearinghouse's receiver id"), name: Text(60) }),
});
export type BillingProfileBody = z.output<typeof BillingProfileBody>;
// Response shapes are plain (no patterns or check digits): what was stored passed the request's checks.
const AddressOut = z.object({
  line: z.array(z.string()),
  city: z.string(),
  state: z.string(),
  postalCode: z.string(),
});
const PersonNameOut = z.object({ family: z.string(), given: z.array(z.string()) });
const ProviderOut = z.object({ name: PersonNameOut, npi: z.string(), taxonomy: z.string().optional() });

/** One per practice: its id is `billing-profile`. */
export const BillingProfile = z.object({
  ...Audited,
  id: z.string(),
  name: z.string(),
  npi: z.string(),
  taxId: z.string(),
  taxonomy: z.string(),
  address: AddressOut,
  payTo: AddressOut.optional(),
  submitter: z.object({ id: z.string(), name: z.string(), contactName: z.string(), phone: z.string() }),
  receiver: z.object({ id: z.string(), name: z.string() }),
});

export const FilingIndicator = z.enum(['MB', 'MC', 'CI', 'BL', 'HM', 'CH', 'VA', 'WC', 'OF', 'ZZ']);

const PayerFields = {
  name: Text(60),
  payerId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{2,80}$/, 'Must be the payer id as the clearinghouse knows it'),
  filingIndicator: FilingIndicator,
  address: PostalAddress.optional(),
  timelyFilingDays: z.number().int().min(30).max(3650),
};
export const CreatePayerBody = z.strictObject(PayerFields);
export type CreatePayerBody = z.output<typeof CreatePayerBody>;
export const UpdatePayerBody = z
  .strictObject({ ...PayerFields, address: PostalAddress.nullable().optional() })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Send at least one field');
export type UpdatePayerBody = z.output<typeof UpdatePayerBody>;
export const Payer = z.object({
  ...Audited,
  name: z.string(),
  payerId: z.string(),
  filingIndicator: FilingIndicator,
  address: AddressOut.optional(),
  timelyFilingDays: z.number(),
});
export const PayerList = z.object({ items: z.array(Payer) });
export const PayerParams = z.strictObject({ payerId: Id });

export const ProcedureCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine((c) => isValidCpt(c) || isValidHcpcsLevel2(c), 'Must be a CPT or HCPCS Level II code');
export const Modifier = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{2}$/, 'Must be a two-character modifier');

/** A fee schedule entry's path: the code, or code-modifier (99213, 99213-25). */
export const FeeParams = z.strictObject({
  entry: z
    .string()
    .toUpperCase()
    .regex(/^[A-Z0-9]{5}(-[A-Z0-9]{2})?$/, 'Must be a code or code-modifier, e.g. 99213 or 99213-25')
    .refine((e) => {
      const code = e.slice(0, 5);
      return isValidCpt(code) || isValidHcpcsLevel2(code);
    }, 'Must start with a CPT or HCPCS Level II code'),
});
export const FeeBody = z.strictObject({
  charge: PositiveCents,
  /** Per payer (a payer's id): what it allows for this code, for expected-payment checks. */
  allowed: z.record(Id, Cents).optional(),
});
export type FeeBody = z.output<typeof FeeBody>;
export const FeeEntry = z.object({
  ...Audited,
  /** The entry as its path names it: 99213 or 99213-25. */
  id: z.string(),
  code: z.string(),
  modifier: z.string().optional(),
  charge: z.number(),
  allowed: z.record(z.string(), z.number()).optional(),
});
export const FeeList = z.object({ items: z.array(FeeEntry) });

// ── Coverage ─────────────────────────────────────────────────────────────────────────────────────────────────
const PersonName = z.strictObject({ family: Text(60), given: z.array(Text(35)).min(1).max(2) });
export const Subscriber = z.strictObject({
  name: PersonName,
  birthDate: CalendarDate,
  sex: z.enum(['male', 'female', 'unknown']),
  address: PostalAddress.optional(),
});
const CoverageFields = {
  payerId: Id,
  order: z.enum(['primary', 'secondary', 'tertiary']),
  memberId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{2,80}$/, 'Must be the member id on the card'),
  groupNumber: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{1,50}$/, 'Must be the group number on the card')
    .optional(),
  relationship: z.enum(['self', 'spouse', 'child', 'other']),
  /** The policy holder when it is not the patient (required then; absent for `self`). */
  subscriber: Subscriber.optional(),
  start: CalendarDate,
  end: CalendarDate.optional(),
};
const subscriberMatchesRelationship = (b: { relationship?: string; subscriber?: unknown }) =>
  b.relationship === undefined || (b.relationship === 'self') === (b.subscriber === undefined);
const SUBSCRIBER_RULE = {
  message: 'A subscriber is required unless the relationship is self, and must be absent when it is',
  path: ['subscriber'],
};
export const CreateCoverageBody = z
  .strictObject(CoverageFields)
  .refine(subscriberMatchesRelationship, SUBSCRIBER_RULE)
  .refine((b) => !b.end || b.end >= b.start, { message: 'Must not be before start', path: ['end'] });
export type CreateCoverageBody = z.output<typeof CreateCoverageBody>;
export const UpdateCoverageBody = z
  .strictObject({
    ...CoverageFields,
    groupNumber: CoverageFields.groupNumber.unwrap().nullable().optional(),
    subscriber: Subscriber.nullable().optional(),
    end: CalendarDate.nullable().optional(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Send at least one field');
export type UpdateCoverageBody = z.output<typeof UpdateCoverageBody>;
export const EndCoverageBody = z.strictObject({ end: CalendarDate });
export const Coverage = z.object({
  ...Audited,
  patientId: z.string(),
  payerId: z.string(),
  order: CoverageFields.order,
  memberId: z.string(),
  groupNumber: z.string().optional(),
  relationship: CoverageFields.relationship,
  subscriber: z
    .object({
      name: PersonNameOut,
      birthDate: z.string(),
      sex: Subscriber.shape.sex,
      address: AddressOut.optional(),
    })
    .optional(),
  start: z.string(),
  end: z.string().optional(),
});
export const CoverageList = z.object({ items: z.array(Coverage) });
export const CoverageParams = z.strictObject({ patientId: Id, coverageId: Id });
export const PatientParams = z.strictObject({ patientId: Id });

// ── Charges ──────────────────────────────────────────────────────────────────────────────────────────────────
export const Icd10Cm = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isValidIcd10Cm, 'Must be an ICD-10-CM code such as E11.9')
  .transform(normalizeIcd10Cm);
export const ClaimProvider = z.strictObject({ name: PersonName, npi: Npi, taxonomy: Taxonomy.optional() });
export const PlaceOfService = z
  .string()
  .refine((p) => PLACES_OF_SERVICE.has(p), 'Must be a CMS place-of-service code such as 11 (office)');

export const ChargeLineBody = z.strictObject({
  code: ProcedureCode,
  modifiers: z.array(Modifier).max(4).default([]),
  units: z.number().int().min(1).max(999).default(1),
  /** Defaults to the fee schedule's charge for the code (and first modifier). */
  charge: PositiveCents.optional(),
  /** Defaults to the encounter's date. */
  serviceDate: CalendarDate.optional(),
  placeOfService: PlaceOfService.default('11'),
  /** 1-based pointers into `diagnoses`; a line without one is a documentation prompt, and fails the scrubber. */
  diagnosisPointers: z.array(z.number().int().min(1).max(12)).max(4).default([]),
});
export const ChargesBody = z.strictObject({
  diagnoses: z.array(Icd10Cm).max(12),
  lines: z.array(ChargeLineBody).min(1).max(50),
  renderingProvider: ClaimProvider,
  referringProvider: ClaimProvider.optional(),
  priorAuthorization: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9-]{1,50}$/, 'Must be the authorization number')
    .optional(),
});
export type ChargesBody = z.output<typeof ChargesBody>;
export const ChargeLine = z.object({
  code: z.string(),
  modifiers: z.array(z.string()),
  units: z.number(),
  charge: z.number(),
  serviceDate: z.string(),
  placeOfService: z.string(),
  diagnosisPointers: z.array(z.number()),
});
export const DocumentationPrompt = z.object({ field: z.string(), message: z.string() });
export const EncounterCharges = z.object({
  ...Audited,
  patientId: z.string(),
  encounterId: z.string(),
  encounterDate: z.string(),
  notes: z.array(z.object({ id: z.string(), status: z.enum(['draft', 'signed']) })),
  diagnoses: z.array(z.string()),
  lines: z.array(ChargeLine),
  renderingProvider: ProviderOut,
  referringProvider: ProviderOut.optional(),
  priorAuthorization: z.string().optional(),
  /** What would cost money later: lines without diagnoses, diagnoses no line points to. */
  prompts: z.array(DocumentationPrompt),
});
export const ChargesParams = z.strictObject({ patientId: Id, encounterId: Id });

// ── Claims ───────────────────────────────────────────────────────────────────────────────────────────────────
export const ClaimStatus = z.enum(CLAIM_STATUSES);
export const CreateClaimBody = z.strictObject({
  patientId: Id,
  encounterId: Id,
  /** Which coverage to bill; defaults to the primary coverage active on the date of service. */
  coverageId: Id.optional(),
});
export type CreateClaimBody = z.output<typeof CreateClaimBody>;
const Adjustment = z.object({
  group: z.string(),
  reason: z.string(),
  amount: z.number(),
  quantity: z.number().optional(),
});
const ServiceLine = ChargeLine.extend({ lineNumber: z.number(), controlNumber: z.string() });
export const Claim = z.object({
  ...Audited,
  patientId: z.string(),
  encounterId: z.string(),
  status: ClaimStatus,
  controlNumber: z.string(),
  frequency: z.enum(['1', '7', '8']),
  originalClaimNumber: z.string().optional(),
  payerClaimNumber: z.string().optional(),
  payerId: z.string(),
  coverage: Coverage,
  diagnoses: z.array(z.string()),
  lines: z.array(ServiceLine),
  total: z.number(),
  renderingProvider: ProviderOut,
  referringProvider: ProviderOut.optional(),
  priorAuthorization: z.string().optional(),
  replaces: z.string().optional(),
  replacedBy: z.string().optional(),
  batchId: z.string().optional(),
  submittedAt: z.string().optional(),
  writeOff: z.object({ amount: z.number(), reason: z.string() }).optional(),
  /** What earlier payers paid and adjusted (a secondary claim: coordination of benefits, the 837's 2320/2430). */
  priorPayers: z
    .array(
      z.object({
        payerId: z.string(),
        payerName: z.string(),
        paid: z.number(),
        adjustments: z.array(Adjustment),
        adjudicationDate: z.string(),
        lines: z.array(
          z.object({ lineNumber: z.number(), paid: z.number(), adjustments: z.array(Adjustment) }),
        ),
      }),
    )
    .optional(),
  /** The latest clearinghouse or payer acknowledgement (999 / 277CA). */
  acknowledgement: z
    .object({ accepted: z.boolean(), status: z.string(), at: z.string(), reasons: z.array(z.string()) })
    .optional(),
  /** The latest remittance posted to the claim: what was paid, moved to the patient, written off, and why. */
  remittance: z
    .object({
      traceNumber: z.string(),
      outcome: z.string(),
      paid: z.number(),
      patientResponsibility: z.number(),
      writtenOff: z.number(),
      openDenied: z.number(),
      payerClaimNumber: z.string().optional(),
      adjustments: z.array(Adjustment),
      lines: z.array(
        z.object({
          lineControlNumber: z.string(),
          paid: z.number(),
          allowed: z.number().optional(),
          adjustments: z.array(Adjustment),
          remarks: z.array(z.string()),
          denied: z.boolean(),
        }),
      ),
    })
    .optional(),
  history: z.array(
    z.object({
      at: z.string(),
      by: z.string(),
      event: z.string(),
      from: z.string().optional(),
      to: z.string(),
      note: z.string().optional(),
    }),
  ),
  /** The lifecycle events allowed now (what a front end offers as actions). */
  allowedEvents: z.array(z.string()),
});
export const ClaimPage = page(Claim);
export const ClaimParams = z.strictObject({ claimId: Id });
export const ListClaimsQuery = z
  .strictObject({
    status: ClaimStatus.optional(),
    patientId: Id.optional(),
    payerId: Id.optional(),
    limit: Limit,
    cursor: Cursor.optional(),
  })
  .refine((q) => q.status !== undefined || q.patientId !== undefined, {
    message: 'Send status or patientId (payerId narrows either)',
    path: ['status'],
  });
export type ListClaimsQuery = z.output<typeof ListClaimsQuery>;
export const UpdateClaimBody = z
  .strictObject({
    diagnoses: z.array(Icd10Cm).max(12),
    lines: z
      .array(ChargeLineBody.extend({ charge: PositiveCents, serviceDate: CalendarDate }))
      .min(1)
      .max(50),
    renderingProvider: ClaimProvider,
    referringProvider: ClaimProvider.nullable(),
    priorAuthorization: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{1,50}$/)
      .nullable(),
    originalClaimNumber: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{1,50}$/)
      .nullable(),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Send at least one field');
export type UpdateClaimBody = z.output<typeof UpdateClaimBody>;
export const ClaimNoteBody = z.strictObject({ note: Text(500).optional() });
export const WriteOffBody = z.strictObject({ amount: PositiveCents, reason: Text(200) });
export const ScrubResult = z.object({ passed: z.boolean() });

// ── Batches ──────────────────────────────────────────────────────────────────────────────────────────────────
export const CreateBatchBody = z.strictObject({
  /** Ready claims to send; default: the oldest ready claims, up to the batch limit. */
  claimIds: z.array(Id).min(1).max(40).optional(),
});
export const ClaimBatch = z.object({
  ...Audited,
  claimIds: z.array(z.string()),
  patientIds: z.array(z.string()),
  claimCount: z.number(),
  total: z.number(),
  interchangeControlNumber: z.number(),
  groupControlNumber: z.number(),
  fileName: z.string(),
  status: z.enum(['built', 'sent']),
  sentAt: z.string().optional(),
});
export const BatchParams = z.strictObject({ batchId: Id });
