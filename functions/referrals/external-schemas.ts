// Shapes of what reaches outside the practice or comes in from outside: an external provider's grant and views,
// documents received from outside (a consult note, an imported packet), and inbound referrals.
import * as z from 'zod';
import { Audited, CalendarDate, Cursor, Id, Limit, page, Text, Timestamp } from '#shared/schemas.ts';

// ── Grants ────────────────────────────────────────────────────────────────────────────────────────────────────
export const ReferralGrant = z.object({
  referralId: z.string(),
  patientId: z.string(),
  practitionerId: z.string(),
  organization: z.object({ id: z.string(), name: z.string() }),
  grantedAt: Timestamp,
  /** Epoch seconds: the table's TTL attribute, checked by every reader too. */
  expiresAt: z.number().int(),
});
export type ReferralGrant = z.output<typeof ReferralGrant>;

// ── Received documents (DocumentReference-like) ──────────────────────────────────────────────────────────────
/** Decoded bytes of one attachment, and characters of a text note: an item stays well under DynamoDB's 400 KB. */
export const MAX_ATTACHMENT_BYTES = 150_000;
export const MAX_NOTE_CHARACTERS = 60_000;

export const DocumentContent = z.object({
  /** text/plain, application/pdf, application/cda+xml from the API; what the sender said, through the FHIR store. */
  contentType: z.string(),
  /** Base64 of the bytes (a FHIR Attachment's `data`). */
  data: z.string(),
  size: z.number().int(),
  /** SHA-256 (hex) of the bytes, as FHIR Attachment.hash carries it (there in base64). */
  sha256: z.string(),
});
export type DocumentContent = z.output<typeof DocumentContent>;

export const RECEIVED_DOCUMENT_KINDS = ['consult-note', 'referral-packet'] as const;

const receivedDocumentFields = {
  patientId: z.string(),
  kind: z.enum(RECEIVED_DOCUMENT_KINDS),
  /** LOINC document type: 11488-4 consult note, 57133-1 referral note. */
  typeCode: z.string(),
  title: z.string(),
  /** When it reached the practice. */
  receivedAt: Timestamp,
  from: z.object({
    organizationId: z.string().optional(),
    organizationName: z.string(),
    author: z.string().optional(),
  }),
  /** The referral it belongs to: an outbound one (a consult note) or an inbound one (its packet). */
  referralId: z.string().optional(),
  inboundReferralId: z.string().optional(),
};

export const ReceivedDocument = z.object({
  ...Audited,
  ...receivedDocumentFields,
  contents: z.array(DocumentContent),
});
export type ReceivedDocument = z.output<typeof ReceivedDocument>;

/** The list's view: what each document is, without its bytes. */
export const ReceivedDocumentSummary = z.object({
  ...Audited,
  ...receivedDocumentFields,
  contents: z.array(DocumentContent.omit({ data: true })),
});
export const ReceivedDocumentPage = page(ReceivedDocumentSummary);

export const ReceivedDocumentParams = z.strictObject({ patientId: Id, documentId: Id });
export const PatientParams = z.strictObject({ patientId: Id });
export const ListQuery = z.strictObject({ limit: Limit, cursor: Cursor.optional() });
export type ListQuery = z.output<typeof ListQuery>;

// ── External provider's routes ───────────────────────────────────────────────────────────────────────────────
export const ExternalReferralParams = z.strictObject({ referralId: Id });

export const PacketQuery = z.strictObject({
  /** `fhir`: the FHIR document Bundle (application/fhir+json); `ccda`: the C-CDA Referral Note (XML). */
  format: z.enum(['fhir', 'ccda']).default('fhir'),
});
export type PacketQuery = z.output<typeof PacketQuery>;

/** What an external provider sees of a referral: no internal bookkeeping (history actors, exchange state). */
export const ExternalReferral = z.object({
  id: z.string(),
  version: z.number(),
  status: z.string(),
  patientId: z.string(),
  referrer: z.object({ name: z.string().optional() }),
  recipient: z.object({ id: z.string(), name: z.string(), organizationName: z.string() }),
  specialty: z.object({ code: z.string(), display: z.string().optional() }),
  reason: z.object({ code: z.string(), text: z.string() }),
  urgency: z.string(),
  clinicalQuestion: z.string(),
  dueDate: z.string(),
  sentAt: z.string().optional(),
  acceptedAt: z.string().optional(),
  declinedAt: z.string().optional(),
  declineReason: z.string().optional(),
  appointmentDate: z.string().optional(),
  consultNoteAt: z.string().optional(),
  coverage: z.object({ payer: z.string(), memberId: z.string(), planName: z.string().optional() }).optional(),
  priorAuthorization: z.string().optional(),
  packet: z.object({ bundleSha256: z.string(), ccdaSha256: z.string(), builtAt: z.string() }).optional(),
  /** When this provider's access to the referral lapses. */
  accessExpiresAt: Timestamp,
});
export type ExternalReferral = z.output<typeof ExternalReferral>;
export const ExternalReferralPage = z.object({ items: z.array(ExternalReferral) });

/** The referred patient as an outside clinician needs them to book and identify: no chart, no address history. */
export const ExternalPatient = z.object({
  id: z.string(),
  mrn: z.string(),
  name: z.object({ given: z.array(z.string()), family: z.string() }),
  birthDate: z.string(),
  gender: z.string(),
  phone: z.string().optional(),
  preferredLanguage: z.string().optional(),
});
export type ExternalPatient = z.output<typeof ExternalPatient>;

export const DeclineBody = z.strictObject({ reason: Text(500) });
export type DeclineBody = z.output<typeof DeclineBody>;
export const ScheduleBody = z.strictObject({ appointmentDate: CalendarDate });
export type ScheduleBody = z.output<typeof ScheduleBody>;
export const EmptyBody = z.strictObject({}).optional();

const Base64 = z
  .string()
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Must be base64')
  .refine((s) => s.length % 4 === 0, 'Must be base64 (a multiple of 4 characters)');

export const ConsultNoteBody = z
  .strictObject({
    title: Text(200).default('Consult note'),
    author: Text(200).optional(),
    /** The note as plain text. */
    text: Text(MAX_NOTE_CHARACTERS).optional(),
    /** A PDF or a C-CDA Consultation Note, base64. */
    attachment: z
      .strictObject({
        contentType: z.enum(['application/pdf', 'application/cda+xml']),
        data: Base64.refine((s) => (s.length * 3) / 4 <= MAX_ATTACHMENT_BYTES + 2, {
          message: `At most ${MAX_ATTACHMENT_BYTES} bytes`,
        }),
      })
      .optional(),
  })
  .refine((b) => b.text !== undefined || b.attachment !== undefined, {
    message: 'Send the note as text, as an attachment, or both',
    path: ['text'],
  });
export type ConsultNoteBody = z.output<typeof ConsultNoteBody>;
