// Referral and directory shapes: the stored records, the request bodies and the answers. Names follow FHIR R4
// ServiceRequest/Task (referral), Organization/Practitioner/PractitionerRole (directory) where they exist.
import * as z from 'zod';
import { isValidIcd10Cm, normalizeIcd10Cm } from '#shared/codes.ts';
import { isValidNpi } from '#shared/npi.ts';
import { Address, Audited, CalendarDate, Cursor, Id, Limit, page, Text, Timestamp } from '#shared/schemas.ts';
import { REFERRAL_STATUSES } from './lifecycle.ts';

// ── Directory ────────────────────────────────────────────────────────────────────────────────────────────────
export const Npi = z.string().refine(isValidNpi, 'Must be a 10-digit NPI with a valid check digit');
/** NUCC Health Care Provider Taxonomy code, e.g. 207RC0000X (cardiovascular disease). https://taxonomy.nucc.org */
export const Taxonomy = z
  .string()
  .regex(/^\d{3}[0-9A-Z]{6}X$/, 'Must be a NUCC taxonomy code such as 207RC0000X');
export const Phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ().-]{7,25}$/, 'Must be a phone number');
/** A Direct secure-messaging address (an e-mail form address on a HISP). */
export const DirectAddress = z
  .email('Must be a Direct address such as cardiology@direct.example.org')
  .max(254);
export const FhirEndpoint = z.url({ protocol: /^https?$/, message: 'Must be an http(s) URL' }).max(500);

export const DIRECTORY_KINDS = ['organization', 'practitioner'] as const;
export const Specialty = z.strictObject({ code: Taxonomy, display: Text(200).optional() });

const directoryFields = {
  kind: z.enum(DIRECTORY_KINDS),
  /** An organisation's name, or a practitioner's name as it is printed ("Dr. Lena Okafor"). */
  name: Text(200),
  /** A practitioner's structured name (FHIR HumanName), required for practitioners. */
  practitionerName: z
    .strictObject({ given: z.array(Text(100)).min(1).max(5), family: Text(100), prefix: Text(20).optional() })
    .optional(),
  npi: Npi,
  specialty: Specialty,
  /** A practitioner's organisation (a directory entry of kind organization): where referrals to them go. */
  organizationId: Id.optional(),
  address: Address.optional(),
  phone: Phone.optional(),
  fax: Phone.optional(),
  directAddress: DirectAddress.optional(),
  fhirEndpoint: FhirEndpoint.optional(),
  /** Payer names (or payer ids) the recipient accepts. */
  acceptedInsurances: z.array(Text(120)).max(100).default([]),
};

export const CreateDirectoryEntryBody = z
  .strictObject({ ...directoryFields, active: z.boolean().default(true) })
  .refine((e) => e.kind === 'organization' || e.practitionerName !== undefined, {
    message: 'Required for a practitioner',
    path: ['practitionerName'],
  })
  .refine((e) => e.kind === 'practitioner' || e.organizationId === undefined, {
    message: 'Only a practitioner belongs to an organization',
    path: ['organizationId'],
  });
export type CreateDirectoryEntryBody = z.output<typeof CreateDirectoryEntryBody>;
/** PUT replaces the whole entry (If-Match). */
export const UpdateDirectoryEntryBody = CreateDirectoryEntryBody;
export type UpdateDirectoryEntryBody = CreateDirectoryEntryBody;

export const DirectoryEntry = z.object({
  ...Audited,
  ...directoryFields,
  acceptedInsurances: z.array(z.string()),
  /** False once an entry is retired: kept for the referrals that named it, offered for no new one. */
  active: z.boolean(),
  /**
   * A practitioner's organisation as it was when the practitioner was last written (server-set), so a referral to
   * them reads one directory item, not two.
   */
  organization: z.object({ id: z.string(), name: z.string(), npi: z.string() }).optional(),
});
export type DirectoryEntry = z.output<typeof DirectoryEntry>;

export const SearchDirectoryQuery = z.strictObject({
  /** NUCC taxonomy code. */
  specialty: Taxonomy.optional(),
  /** Name prefix, accents and case ignored. */
  name: z.string().trim().min(1).max(100).optional(),
  kind: z.enum(DIRECTORY_KINDS).optional(),
  limit: Limit,
  cursor: Cursor.optional(),
});
export type SearchDirectoryQuery = z.output<typeof SearchDirectoryQuery>;
export const DirectoryPage = page(DirectoryEntry);

// ── Referrals ────────────────────────────────────────────────────────────────────────────────────────────────
export const URGENCIES = ['routine', 'urgent', 'stat'] as const;

export const Icd10Cm = z
  .string()
  .trim()
  .transform(normalizeIcd10Cm)
  .refine(isValidIcd10Cm, 'Must be an ICD-10-CM code such as I48.91');

export const PacketSelection = z.strictObject({
  problems: z.array(Id).max(200),
  medications: z.array(Id).max(200),
  allergies: z.array(Id).max(200),
  vitals: z.array(Id).max(50),
  labs: z.array(Id).max(200),
  notes: z.array(Id).max(20),
});
export type PacketSelection = z.output<typeof PacketSelection>;

export const Coverage = z.strictObject({
  payer: Text(120),
  memberId: Text(60),
  planName: Text(120).optional(),
});

export const CreateReferralBody = z.strictObject({
  encounterId: Id,
  /** The directory entry (practitioner or organization) the referral goes to. */
  recipientId: Id,
  /** Defaults to the recipient's specialty. */
  specialty: Specialty.optional(),
  reason: z.strictObject({ code: Icd10Cm, text: Text(500) }),
  urgency: z.enum(URGENCIES),
  clinicalQuestion: Text(2000),
  /** Defaults by urgency: routine 30 days, urgent 7, stat 1. */
  dueDate: CalendarDate.optional(),
  coverage: Coverage.optional(),
  /** The payer's prior-authorization number, which billing puts on claims for the referred care. */
  priorAuthorization: Text(60).optional(),
  /** What goes with it; any list left out takes its default (docs/referrals.md). */
  packet: PacketSelection.partial().optional(),
  /** Keep it as a draft instead of sending it now. */
  draft: z.boolean().default(false),
});
export type CreateReferralBody = z.output<typeof CreateReferralBody>;

export const Actor = z.object({
  sub: z.string(),
  name: z.string().optional(),
  /** The provider in the schedule the user is (a referring clinician). */
  practitionerId: z.string().optional(),
  /** An external provider's organisation (a directory entry id), recorded on what they do. */
  organization: z.string().optional(),
});

export const StatusChange = z.object({
  status: z.enum(REFERRAL_STATUSES),
  at: Timestamp,
  by: Actor,
  /** `api` (a user of this practice or an external provider) or `fhir` (the recipient's Task in the FHIR store). */
  via: z.enum(['api', 'fhir']),
  note: z.string().optional(),
});

export const Packet = z.object({
  selection: PacketSelection,
  builtAt: Timestamp,
  /** SHA-256 (hex) of the FHIR document Bundle exactly as stored and downloadable: proves what was sent. */
  bundleSha256: z.string(),
  ccdaSha256: z.string(),
  /** The FHIR ids the packet was sent under (Bundle, DocumentReference). */
  bundleId: z.string(),
  documentReferenceId: z.string(),
  entries: z.number(),
});

export const Referral = z.object({
  ...Audited,
  direction: z.enum(['outbound', 'inbound']),
  status: z.enum(REFERRAL_STATUSES),
  patientId: z.string(),
  encounterId: z.string().optional(),
  recipient: z.object({
    id: z.string(),
    kind: z.enum(DIRECTORY_KINDS),
    name: z.string(),
    npi: z.string(),
    /** The organisation that owns the Task: the recipient itself, or the practitioner's organisation. */
    organizationId: z.string(),
    organizationName: z.string(),
  }),
  specialty: z.object({ code: z.string(), display: z.string().optional() }),
  reason: z.object({ code: z.string(), text: z.string() }),
  urgency: z.enum(URGENCIES),
  clinicalQuestion: z.string(),
  dueDate: z.string(),
  coverage: z.object({ payer: z.string(), memberId: z.string(), planName: z.string().optional() }).optional(),
  priorAuthorization: z.string().optional(),
  referrer: Actor,
  packet: Packet.optional(),
  /** The draft's chosen packet (before sending); the sent packet's selection lives in `packet`. */
  packetRequest: PacketSelection.partial().optional(),
  sentAt: Timestamp.optional(),
  receivedAt: Timestamp.optional(),
  acceptedAt: Timestamp.optional(),
  declinedAt: Timestamp.optional(),
  declineReason: z.string().optional(),
  scheduledAt: Timestamp.optional(),
  /** The appointment date the recipient gave. */
  appointmentDate: z.string().optional(),
  consultNoteAt: Timestamp.optional(),
  closedAt: Timestamp.optional(),
  cancelledAt: Timestamp.optional(),
  cancelReason: z.string().optional(),
  history: z.array(StatusChange),
  /** The exchange's view of the Task: the FHIR versionId last seen, so a recipient's change is read once. */
  exchange: z
    .object({
      serviceRequestId: z.string(),
      taskId: z.string(),
      taskVersionSeen: z.string().optional(),
      /** The referral version last told to the FHIR store. */
      pushedVersion: z.number().optional(),
    })
    .optional(),
  /** When the external provider's grant lapses (ref-ext), epoch seconds. */
  grantExpiresAt: z.number().optional(),
});
export type Referral = z.output<typeof Referral>;

/** A transition's body: what the event needs (decline reason, appointment date, cancel reason). */
export const TransitionBody = z.strictObject({
  reason: Text(500).optional(),
  appointmentDate: CalendarDate.optional(),
});
export type TransitionBody = z.output<typeof TransitionBody>;

export const WorklistQuery = z.strictObject({
  direction: z.enum(['outbound', 'inbound']).default('outbound'),
  status: z.enum(REFERRAL_STATUSES).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  /** Only the referrals this clinician (Cognito sub) sent. */
  referrer: z.string().max(100).optional(),
  limit: Limit,
  cursor: Cursor.optional(),
});
export type WorklistQuery = z.output<typeof WorklistQuery>;

export const WorklistItem = Referral.omit({ history: true }).extend({ overdue: z.boolean() });
export const WorklistPage = page(WorklistItem).extend({
  /** False when the open referrals outgrew one read (1 MB): the oldest are not in this answer. */
  complete: z.boolean(),
});

export const MetricsQuery = z.strictObject({
  from: CalendarDate.optional(),
  to: CalendarDate.optional(),
});
export type MetricsQuery = z.output<typeof MetricsQuery>;

// ── Parameters and answers ───────────────────────────────────────────────────────────────────────────────────
export const DirectoryParams = z.strictObject({ entryId: Id });
export const ReferralParams = z.strictObject({ referralId: Id });
export const PatientParams = z.strictObject({ patientId: Id });
export const PacketQuery = z.strictObject({ format: z.enum(['fhir', 'ccda']).default('fhir') });
export const CancelBody = z.strictObject({ reason: Text(500) });
export const EmptyBody = z.strictObject({});

const Metric = z.object({
  key: z.string(),
  sent: z.number(),
  medianDaysToAccepted: z.number().optional(),
  medianDaysToScheduled: z.number().optional(),
  medianDaysToConsultNote: z.number().optional(),
  loopClosureRate: z.number().optional(),
  declinedReasons: z.record(z.string(), z.number()),
});
export const Metrics = z.object({
  from: z.string(),
  to: z.string(),
  sent: z.number(),
  byRecipient: z.array(Metric),
  bySpecialty: z.array(Metric),
});
