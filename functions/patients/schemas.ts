// Patient request and response shapes. Field names follow FHIR R4 Patient where one exists
// (https://hl7.org/fhir/R4/patient.html), so the FHIR mapper is a rename, not a translation.
import * as z from 'zod';
import { Address, Audited, Cursor, Id, Limit, PastDate, page, Text } from '#shared/schemas.ts';

export const HumanName = z.strictObject({
  given: z.array(Text(100)).min(1).max(5),
  family: Text(100),
  prefix: Text(20).optional(),
  suffix: Text(20).optional(),
});

/** E.164-ish: optional +, 7–15 digits, common separators allowed. */
export const Phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ().-]{7,20}$/, 'Must be a phone number')
  .refine(
    (p) => p.replace(/\D/g, '').length >= 7 && p.replace(/\D/g, '').length <= 15,
    'Must have 7 to 15 digits',
  );

export const Contact = z.strictObject({
  phone: Phone.optional(),
  email: z.email('Must be an e-mail address').max(254).optional(),
  address: Address.optional(),
});

export const EmergencyContact = z.strictObject({
  name: Text(200),
  relationship: Text(60),
  phone: Phone,
});

export const Gender = z.enum(['male', 'female', 'other', 'unknown']);

/** Medical record number: the practice's own identifier for the patient, unique within the practice. */
export const Mrn = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9-]{2,19}$/, 'Must be 3 to 20 letters, digits or hyphens');

/** BCP 47 language tag, e.g. en, es-MX. */
export const Language = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'Must be a language tag such as en or es-MX');

const PatientFields = {
  name: HumanName,
  birthDate: PastDate.refine((d) => d >= '1890-01-01', 'Must be after 1890-01-01'),
  gender: Gender,
  contact: Contact.optional(),
  preferredLanguage: Language.optional(),
  emergencyContact: EmergencyContact.optional(),
};

export const CreatePatientBody = z.strictObject({ ...PatientFields, mrn: Mrn.optional() });
export type CreatePatientBody = z.output<typeof CreatePatientBody>;

/** Top-level fields you send replace the stored ones; `null` clears an optional field. */
export const UpdatePatientBody = z
  .strictObject({
    name: HumanName.optional(),
    birthDate: PatientFields.birthDate.optional(),
    gender: Gender.optional(),
    contact: Contact.nullable().optional(),
    preferredLanguage: Language.nullable().optional(),
    emergencyContact: EmergencyContact.nullable().optional(),
    mrn: Mrn.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'Send at least one field to change');
export type UpdatePatientBody = z.output<typeof UpdatePatientBody>;

export const Patient = z.object({
  ...Audited,
  mrn: z.string(),
  name: HumanName,
  birthDate: z.string(),
  gender: Gender,
  contact: Contact.optional(),
  preferredLanguage: z.string().optional(),
  emergencyContact: EmergencyContact.optional(),
});
export type Patient = z.output<typeof Patient>;

export const PatientParams = z.strictObject({ patientId: Id });

export const SearchPatientsQuery = z.strictObject({
  family: z.string().trim().min(1).max(100).optional(),
  given: z.string().trim().min(1).max(100).optional(),
  birthDate: z.iso.date('Must be a real date, YYYY-MM-DD').optional(),
  mrn: Mrn.optional(),
  limit: Limit,
  cursor: Cursor.optional(),
});
export type SearchPatientsQuery = z.output<typeof SearchPatientsQuery>;

export const PatientPage = page(Patient);
