// Inbound referrals: referrals another organisation addressed to this practice (a Task in the FHIR store whose
// owner is our Organization, or a C-CDA posted to the API), as they wait on the inbound worklist.
import * as z from 'zod';
import { Audited, Cursor, Id, Limit, page, Text, Timestamp } from '#shared/schemas.ts';

export const INBOUND_STATUSES = ['received', 'accepted', 'declined'] as const;

/** Who the sender says the patient is: what matching and registration work from. */
export const InboundPerson = z.object({
  given: z.array(z.string()),
  family: z.string(),
  birthDate: z.string().optional(),
  gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
  phones: z.array(z.string()),
  addresses: z.array(
    z.object({ line: z.array(z.string()), city: z.string().optional(), postalCode: z.string().optional() }),
  ),
  identifiers: z.array(z.object({ system: z.string(), value: z.string() })),
});
export type InboundPerson = z.output<typeof InboundPerson>;

export const InboundReferral = z.object({
  ...Audited,
  status: z.enum(INBOUND_STATUSES),
  receivedAt: Timestamp,
  source: z.object({
    via: z.enum(['fhir', 'ccda']),
    /** The sender's Task (FHIR), which the answer updates. */
    taskId: z.string().optional(),
    serviceRequestId: z.string().optional(),
    sender: z.object({ reference: z.string().optional(), name: z.string() }),
  }),
  person: InboundPerson,
  reason: z.string().optional(),
  urgency: z.string().optional(),
  /** What the packet holds, counted when it came in (the worklist shows it without opening the packet). */
  contents: z.object({
    problems: z.number(),
    medications: z.number(),
    allergies: z.number(),
    title: z.string(),
  }),
  /** Set once accepted: the patient it was filed under and how that patient was found. */
  patientId: z.string().optional(),
  match: z.enum(['identifier', 'demographics', 'chosen', 'registered']).optional(),
  documentIds: z.array(z.string()),
  acceptedAt: Timestamp.optional(),
  declinedAt: Timestamp.optional(),
  declineReason: z.string().optional(),
  /** When the sender was told (the Task updated); absent for a C-CDA, which has no Task to answer. */
  answeredAt: Timestamp.optional(),
});
export type InboundReferral = z.output<typeof InboundReferral>;

export const InboundReferralParams = z.strictObject({ inboundReferralId: Id });

export const ReceiveCcdaBody = z.strictObject({
  /** The C-CDA Referral Note (or any C-CDA with the patient and the clinical sections), as XML text. */
  ccda: z.string().min(100).max(200_000),
  /** The sending organisation as the person who received it knows it (a Direct message's sender). */
  sender: Text(200),
  reason: Text(500).optional(),
  urgency: z.enum(['routine', 'urgent', 'stat']).optional(),
});
export type ReceiveCcdaBody = z.output<typeof ReceiveCcdaBody>;

export const InboundWorklistQuery = z.strictObject({
  status: z.enum(['open', 'answered']).default('open'),
  limit: Limit,
  cursor: Cursor.optional(),
});
export type InboundWorklistQuery = z.output<typeof InboundWorklistQuery>;
export const InboundReferralPage = page(InboundReferral);

/** A patient who may be the referred person, for a person to choose (never merged silently). */
export const MatchCandidate = z.object({
  patientId: z.string(),
  mrn: z.string(),
  name: z.object({ given: z.array(z.string()), family: z.string() }),
  birthDate: z.string(),
  gender: z.string(),
  grade: z.enum(['match', 'possible']),
  basis: z.string(),
});
export const MatchAnswer = z.object({
  /** `match`: one patient is certainly this person; `choose`: a person must pick (or register); `none`. */
  decision: z.enum(['match', 'choose', 'none']),
  candidates: z.array(MatchCandidate),
});

export const AcceptInboundBody = z
  .strictObject({
    /** The patient a person chose among the candidates. */
    patientId: Id.optional(),
    /** Register the person as a new patient instead. */
    register: z.literal(true).optional(),
  })
  .refine((b) => !(b.patientId && b.register), {
    message: 'Choose a patient or register, not both',
    path: ['register'],
  });
export type AcceptInboundBody = z.output<typeof AcceptInboundBody>;

export const AcceptedInbound = z.object({
  inboundReferral: InboundReferral,
  patientId: z.string(),
  /** The received documents the packet was imported as. */
  documentIds: z.array(z.string()),
  /** How to book the visit: scheduling's find-a-time with what is known (add providerId and appointmentTypeId). */
  booking: z.object({ href: z.string(), params: z.record(z.string(), z.string()) }),
});

export const DeclineInboundBody = z.strictObject({ reason: Text(500) });
