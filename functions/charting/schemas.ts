// Charting request and response shapes. Field names follow FHIR R4 / US Core where a resource exists (Encounter,
// Condition, MedicationRequest, AllergyIntolerance, Observation, DiagnosticReport), so the mappers in fhir.ts are
// renames. Schemas check shape only (400); code check digits and physiological ranges are business rules (422),
// checked by the service so the error names the field and nothing is written.
import * as z from 'zod';
import { Patient } from '#functions/patients/index.ts';
import { Audited, CalendarDate, Cursor, Id, Limit, page, Text, Timestamp } from '#shared/schemas.ts';

/** A code from a terminology; its system's check (check digit, format) runs in the service. */
const Code = z.string().trim().min(1).max(32);
const nonEmpty = (b: object) => Object.keys(b).length > 0;
const SEND_A_FIELD = 'Send at least one field to change';

/** Who did something: the signed-in user, and the provider record they are, when they are one. */
export const Actor = z.object({
  userId: z.string(),
  name: z.string(),
  practitionerId: z.string().optional(),
});
export type Actor = z.output<typeof Actor>;

// ── Encounters ─────────────────────────────────────────────────────────────────────────────────────────────
export const EncounterClass = z.enum(['ambulatory', 'virtual']);
export const EncounterStatus = z.enum(['in-progress', 'finished']);
export const ProviderRef = z.strictObject({ id: Id, name: Text(200) });
export const LocationRef = z.strictObject({ id: Id.optional(), name: Text(200) });

export const CreateEncounterBody = z.strictObject({
  class: EncounterClass,
  provider: ProviderRef,
  location: LocationRef.optional(),
  reason: Text(500),
  /** ICD-10-CM code for the reason, e.g. R05.9. */
  reasonCode: Code.optional(),
  /** CPT code of the visit, e.g. 99213 (office visit, established patient). */
  serviceCode: Code.optional(),
  /** The appointment this visit is for, when there is one. */
  appointmentId: Id.optional(),
  /** Defaults to now. */
  start: Timestamp.optional(),
});
export type CreateEncounterBody = z.output<typeof CreateEncounterBody>;

export const UpdateEncounterBody = z
  .strictObject({
    class: EncounterClass.optional(),
    provider: ProviderRef.optional(),
    location: LocationRef.nullable().optional(),
    reason: Text(500).optional(),
    reasonCode: Code.nullable().optional(),
    serviceCode: Code.nullable().optional(),
    appointmentId: Id.nullable().optional(),
    start: Timestamp.optional(),
  })
  .refine(nonEmpty, SEND_A_FIELD);
export type UpdateEncounterBody = z.output<typeof UpdateEncounterBody>;

export const Encounter = z.object({
  ...Audited,
  patientId: z.string(),
  class: EncounterClass,
  status: EncounterStatus,
  provider: z.object({ id: z.string(), name: z.string() }),
  location: z.object({ id: z.string().optional(), name: z.string() }).optional(),
  reason: z.string(),
  reasonCode: z.string().optional(),
  serviceCode: z.string().optional(),
  appointmentId: z.string().optional(),
  start: z.string(),
  end: z.string().optional(),
  finishedBy: Actor.optional(),
});
export type Encounter = z.output<typeof Encounter>;

// ── Progress notes ───────────────────────────────────────────────────────────────────────────────────────────
const Section = z.string().max(20_000);
export const TemplateId = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,64}$/, 'Must be a template id (letters, digits and hyphens)');

/** A colleague the author lets edit a draft: identified by their user id (Cognito `sub`), named for the reader. */
export const ContributorInput = z.strictObject({
  userId: z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'Must be a user id (the Cognito sub of a colleague)'),
  name: Text(200),
});
export type ContributorInput = z.output<typeof ContributorInput>;
/** At most this many contributors on a note. */
export const MAX_CONTRIBUTORS = 10;
const Contributors = z.array(ContributorInput).max(MAX_CONTRIBUTORS);

export const Contributor = z.object({
  userId: z.string(),
  name: z.string(),
  /** When the author added them. */
  addedAt: z.string(),
  /** When they last changed the draft; absent if they never did. */
  lastEditedAt: z.string().optional(),
});
export type Contributor = z.output<typeof Contributor>;

export const CreateNoteBody = z.strictObject({
  encounterId: Id,
  /** Defaults to the general / internal medicine template; sections you send replace the template's. */
  templateId: TemplateId.optional(),
  title: Text(200).optional(),
  subjective: Section.optional(),
  objective: Section.optional(),
  assessment: Section.optional(),
  plan: Section.optional(),
  /** Colleagues who may edit the draft too (you alone may change this list). */
  contributors: Contributors.optional(),
});
export type CreateNoteBody = z.output<typeof CreateNoteBody>;

export const UpdateNoteBody = z
  .strictObject({
    title: Text(200).optional(),
    subjective: Section.optional(),
    objective: Section.optional(),
    assessment: Section.optional(),
    plan: Section.optional(),
    /** The author only: the whole list of colleagues who may edit the draft (`[]` removes them all). */
    contributors: Contributors.optional(),
  })
  .refine(nonEmpty, SEND_A_FIELD);
export type UpdateNoteBody = z.output<typeof UpdateNoteBody>;

export const CreateAddendumBody = z.strictObject({ text: Text(20_000) });
export type CreateAddendumBody = z.output<typeof CreateAddendumBody>;

export const Addendum = z.object({
  ...Audited,
  patientId: z.string(),
  noteId: z.string(),
  text: z.string(),
  author: Actor,
  signedAt: z.string(),
});
export type Addendum = z.output<typeof Addendum>;

export const NoteStatus = z.enum(['draft', 'signed']);
export const Note = z.object({
  ...Audited,
  patientId: z.string(),
  encounterId: z.string(),
  templateId: z.string(),
  title: z.string(),
  subjective: z.string(),
  objective: z.string(),
  assessment: z.string(),
  plan: z.string(),
  status: NoteStatus,
  author: Actor,
  /** Who besides the author may edit the draft (added by the author), and when each last did. */
  contributors: z.array(Contributor).optional(),
  signedBy: Actor.optional(),
  signedAt: z.string().optional(),
  /** On a single note's read: its addenda, oldest first. */
  addenda: z.array(Addendum).optional(),
});
export type Note = z.output<typeof Note>;
/** A signed note, with the documentation prompts its encounter's charges still raise (billing answers them). */
export const SignedNote = Note.extend({
  warnings: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

/** A note without its text: what the chart and note lists show (read one note for its sections and addenda). */
export const NoteSummary = Note.omit({
  subjective: true,
  objective: true,
  assessment: true,
  plan: true,
  addenda: true,
});
export type NoteSummary = z.output<typeof NoteSummary>;

export const CreateNoteTemplateBody = z.strictObject({
  name: Text(100),
  specialty: Text(100),
  title: Text(200).optional(),
  subjective: Section.default(''),
  objective: Section.default(''),
  assessment: Section.default(''),
  plan: Section.default(''),
});
export type CreateNoteTemplateBody = z.output<typeof CreateNoteTemplateBody>;

export const NoteTemplate = z.object({
  id: z.string(),
  name: z.string(),
  specialty: z.string(),
  /** Built-in templates ship with the product; the others are the practice's own. */
  builtIn: z.boolean(),
  title: z.string(),
  subjective: z.string(),
  objective: z.string(),
  assessment: z.string(),
  plan: z.string(),
  version: z.number().optional(),
  createdAt: z.string().optional(),
  createdBy: z.string().optional(),
});
export type NoteTemplate = z.output<typeof NoteTemplate>;
export const NoteTemplateList = z.object({ items: z.array(NoteTemplate) });

// ── Problems and treatment plans ─────────────────────────────────────────────────────────────────────────────
export const ProblemStatus = z.enum(['active', 'inactive', 'resolved']);
export const PlanItemStatus = z.enum(['not-started', 'scheduled', 'in-progress', 'completed', 'cancelled']);
export type PlanItemStatus = z.output<typeof PlanItemStatus>;
export const PlanItem = z.strictObject({
  description: Text(500),
  status: PlanItemStatus.default('not-started'),
  due: CalendarDate.optional(),
});

export const CreateProblemBody = z.strictObject({
  /** ICD-10-CM, e.g. E11.9. */
  code: Code,
  display: Text(300),
  clinicalStatus: ProblemStatus.default('active'),
  onset: CalendarDate.optional(),
  /** When it resolved or went inactive. */
  abatement: CalendarDate.optional(),
  note: Text(2000).optional(),
  treatmentPlan: z.array(PlanItem).max(50).optional(),
  encounterId: Id.optional(),
});
export type CreateProblemBody = z.output<typeof CreateProblemBody>;

export const UpdateProblemBody = z
  .strictObject({
    code: Code.optional(),
    display: Text(300).optional(),
    clinicalStatus: ProblemStatus.optional(),
    onset: CalendarDate.nullable().optional(),
    abatement: CalendarDate.nullable().optional(),
    note: Text(2000).nullable().optional(),
    treatmentPlan: z.array(PlanItem).max(50).nullable().optional(),
  })
  .refine(nonEmpty, SEND_A_FIELD);
export type UpdateProblemBody = z.output<typeof UpdateProblemBody>;

export const Problem = z.object({
  ...Audited,
  patientId: z.string(),
  code: z.string(),
  display: z.string(),
  clinicalStatus: ProblemStatus,
  onset: z.string().optional(),
  abatement: z.string().optional(),
  note: z.string().optional(),
  treatmentPlan: z
    .array(z.object({ description: z.string(), status: PlanItemStatus, due: z.string().optional() }))
    .optional(),
  encounterId: z.string().optional(),
});
export type Problem = z.output<typeof Problem>;

// ── Medications ──────────────────────────────────────────────────────────────────────────────────────────────
export const MedicationStatus = z.enum(['active', 'on-hold', 'completed', 'stopped', 'entered-in-error']);
export const MedicationRoute = z.enum([
  'oral',
  'sublingual',
  'topical',
  'transdermal',
  'inhalation',
  'nasal',
  'ophthalmic',
  'otic',
  'rectal',
  'vaginal',
  'subcutaneous',
  'intramuscular',
  'intravenous',
]);
export type MedicationRoute = z.output<typeof MedicationRoute>;
/** HL7 v3 GTSAbbreviation timing codes. https://terminology.hl7.org/CodeSystem-v3-GTSAbbreviation.html */
export const Frequency = z.enum([
  'QD',
  'BID',
  'TID',
  'QID',
  'Q4H',
  'Q6H',
  'Q8H',
  'Q12H',
  'AM',
  'PM',
  'BED',
  'WK',
]);
export type Frequency = z.output<typeof Frequency>;
const Dose = z.strictObject({ value: z.number().positive(), unit: z.string().trim().min(1).max(20) });
const Prescriber = z.strictObject({ id: Id.optional(), name: Text(200) });

export const CreateMedicationBody = z.strictObject({
  /** RxNorm RXCUI, e.g. 860975 (metformin 500 mg extended-release tablet). */
  code: Code,
  display: Text(300),
  dose: Dose.optional(),
  route: MedicationRoute.optional(),
  frequency: Frequency.optional(),
  asNeeded: z.boolean().optional(),
  instructions: Text(500).optional(),
  /** Defaults to today. */
  start: CalendarDate.optional(),
  stop: CalendarDate.optional(),
  status: MedicationStatus.default('active'),
  /** Defaults to you, when you are a provider. */
  prescriber: Prescriber.optional(),
  /** True when the patient reports it (prescribed elsewhere) rather than it being prescribed here. */
  reported: z.boolean().optional(),
  encounterId: Id.optional(),
});
export type CreateMedicationBody = z.output<typeof CreateMedicationBody>;

export const UpdateMedicationBody = z
  .strictObject({
    code: Code.optional(),
    display: Text(300).optional(),
    dose: Dose.nullable().optional(),
    route: MedicationRoute.nullable().optional(),
    frequency: Frequency.nullable().optional(),
    asNeeded: z.boolean().nullable().optional(),
    instructions: Text(500).nullable().optional(),
    start: CalendarDate.optional(),
    stop: CalendarDate.nullable().optional(),
    status: MedicationStatus.optional(),
    prescriber: Prescriber.nullable().optional(),
    reported: z.boolean().nullable().optional(),
  })
  .refine(nonEmpty, SEND_A_FIELD);
export type UpdateMedicationBody = z.output<typeof UpdateMedicationBody>;

export const Medication = z.object({
  ...Audited,
  patientId: z.string(),
  code: z.string(),
  display: z.string(),
  dose: z.object({ value: z.number(), unit: z.string() }).optional(),
  route: MedicationRoute.optional(),
  frequency: Frequency.optional(),
  asNeeded: z.boolean().optional(),
  instructions: z.string().optional(),
  start: z.string(),
  stop: z.string().optional(),
  status: MedicationStatus,
  prescriber: z.object({ id: z.string().optional(), name: z.string() }).optional(),
  reported: z.boolean().optional(),
  encounterId: z.string().optional(),
});
export type Medication = z.output<typeof Medication>;

// ── Allergies ────────────────────────────────────────────────────────────────────────────────────────────────
export const AllergyClinicalStatus = z.enum(['active', 'inactive', 'resolved']);
export const AllergyVerificationStatus = z.enum(['unconfirmed', 'confirmed', 'refuted', 'entered-in-error']);
export const Severity = z.enum(['mild', 'moderate', 'severe']);
export const Criticality = z.enum(['low', 'high', 'unable-to-assess']);
export const Substance = z.strictObject({
  system: z.enum(['rxnorm', 'snomed', 'text']),
  /** RxNorm RXCUI or SNOMED CT concept id; omit for free text. */
  code: Code.optional(),
  display: Text(200),
});
export const Reaction = z.strictObject({ manifestation: Text(200), severity: Severity.optional() });

const AllergyFields = {
  reactions: z.array(Reaction).max(10).optional(),
  criticality: Criticality.optional(),
  onset: CalendarDate.optional(),
  note: Text(1000).optional(),
};

export const CreateAllergyBody = z
  .strictObject({
    /** Send `true` (and no substance) to record that the patient was asked and has no known allergies. */
    noKnownAllergies: z.literal(true).optional(),
    substance: Substance.optional(),
    clinicalStatus: AllergyClinicalStatus.default('active'),
    verificationStatus: AllergyVerificationStatus.default('confirmed'),
    ...AllergyFields,
  })
  .superRefine((a, ctx) => {
    if (a.noKnownAllergies && a.substance) {
      ctx.addIssue({ code: 'custom', message: 'Not with noKnownAllergies', path: ['substance'] });
    }
    if (!a.noKnownAllergies && !a.substance) {
      ctx.addIssue({
        code: 'custom',
        message: 'Required unless noKnownAllergies is true',
        path: ['substance'],
      });
    }
    if (a.noKnownAllergies && (a.reactions || a.criticality)) {
      ctx.addIssue({
        code: 'custom',
        message: 'Not with noKnownAllergies',
        path: [a.reactions ? 'reactions' : 'criticality'],
      });
    }
  });
export type CreateAllergyBody = z.output<typeof CreateAllergyBody>;

export const UpdateAllergyBody = z
  .strictObject({
    substance: Substance.optional(),
    clinicalStatus: AllergyClinicalStatus.optional(),
    verificationStatus: AllergyVerificationStatus.optional(),
    reactions: AllergyFields.reactions.nullable(),
    criticality: Criticality.nullable().optional(),
    onset: CalendarDate.nullable().optional(),
    note: Text(1000).nullable().optional(),
  })
  .refine(nonEmpty, SEND_A_FIELD);
export type UpdateAllergyBody = z.output<typeof UpdateAllergyBody>;

export const Allergy = z.object({
  ...Audited,
  patientId: z.string(),
  noKnownAllergies: z.boolean().optional(),
  substance: z.object({ system: z.string(), code: z.string().optional(), display: z.string() }).optional(),
  clinicalStatus: AllergyClinicalStatus,
  verificationStatus: AllergyVerificationStatus,
  reactions: z.array(z.object({ manifestation: z.string(), severity: Severity.optional() })).optional(),
  criticality: Criticality.optional(),
  onset: z.string().optional(),
  note: z.string().optional(),
});
export type Allergy = z.output<typeof Allergy>;

// ── Vital signs ──────────────────────────────────────────────────────────────────────────────────────────────
const Measured = <U extends readonly [string, ...string[]]>(units: U) =>
  z.strictObject({ value: z.number(), unit: z.enum(units) });
export const TemperatureUnit = ['Cel', '[degF]'] as const;
export const WeightUnit = ['kg', 'g', '[lb_av]'] as const;
export const HeightUnit = ['cm', '[in_i]'] as const;

const VitalsFields = {
  /** mm[Hg] */
  bloodPressure: z.strictObject({ systolic: z.number(), diastolic: z.number() }),
  /** beats per minute (/min) */
  heartRate: z.number(),
  /** breaths per minute (/min) */
  respiratoryRate: z.number(),
  temperature: Measured(TemperatureUnit),
  /** SpO2 by pulse oximetry, % */
  oxygenSaturation: z.number(),
  weight: Measured(WeightUnit),
  height: Measured(HeightUnit),
};
const MEASUREMENTS = Object.keys(VitalsFields);
const hasMeasurement = (b: Record<string, unknown>) => MEASUREMENTS.some((k) => b[k] !== undefined);

export const CreateVitalsBody = z
  .strictObject({
    /** When they were taken; defaults to now. */
    effective: Timestamp.optional(),
    encounterId: Id.optional(),
    bloodPressure: VitalsFields.bloodPressure.optional(),
    heartRate: VitalsFields.heartRate.optional(),
    respiratoryRate: VitalsFields.respiratoryRate.optional(),
    temperature: VitalsFields.temperature.optional(),
    oxygenSaturation: VitalsFields.oxygenSaturation.optional(),
    weight: VitalsFields.weight.optional(),
    height: VitalsFields.height.optional(),
  })
  .refine(hasMeasurement, 'Send at least one measurement');
export type CreateVitalsBody = z.output<typeof CreateVitalsBody>;

export const UpdateVitalsBody = z
  .strictObject({
    effective: Timestamp.optional(),
    bloodPressure: VitalsFields.bloodPressure.nullable().optional(),
    heartRate: VitalsFields.heartRate.nullable().optional(),
    respiratoryRate: VitalsFields.respiratoryRate.nullable().optional(),
    temperature: VitalsFields.temperature.nullable().optional(),
    oxygenSaturation: VitalsFields.oxygenSaturation.nullable().optional(),
    weight: VitalsFields.weight.nullable().optional(),
    height: VitalsFields.height.nullable().optional(),
  })
  .refine(nonEmpty, SEND_A_FIELD);
export type UpdateVitalsBody = z.output<typeof UpdateVitalsBody>;

/** One LOINC-coded observation with a UCUM unit (blood pressure carries its two components instead of a value). */
export const CodedObservation = z.object({
  code: z.string(),
  display: z.string(),
  value: z.number().optional(),
  unit: z.string().optional(),
  components: z
    .array(z.object({ code: z.string(), display: z.string(), value: z.number(), unit: z.string() }))
    .optional(),
});
export type CodedObservation = z.output<typeof CodedObservation>;

const Quantity = <U extends readonly [string, ...string[]]>(units: U) =>
  z.object({ value: z.number(), unit: z.enum(units) });
export const VitalSigns = z.object({
  ...Audited,
  patientId: z.string(),
  encounterId: z.string().optional(),
  effective: z.string(),
  bloodPressure: z.object({ systolic: z.number(), diastolic: z.number() }).optional(),
  heartRate: z.number().optional(),
  respiratoryRate: z.number().optional(),
  temperature: Quantity(TemperatureUnit).optional(),
  oxygenSaturation: z.number().optional(),
  weight: Quantity(WeightUnit).optional(),
  height: Quantity(HeightUnit).optional(),
  /** Derived from weight and height when both are in the set, kg/m2, one decimal. */
  bmi: z.number().optional(),
  /** The set as LOINC-coded observations with UCUM units, BMI included. */
  observations: z.array(CodedObservation),
});
export type VitalSigns = z.output<typeof VitalSigns>;

// ── Lab results ──────────────────────────────────────────────────────────────────────────────────────────────
export const LabStatus = z.enum(['preliminary', 'final', 'corrected']);
/** HL7 v3 ObservationInterpretation: normal, low, high, critically low / high, abnormal, critically abnormal. */
export const Interpretation = z.enum(['N', 'L', 'H', 'LL', 'HH', 'A', 'AA']);
export type Interpretation = z.output<typeof Interpretation>;
const ReferenceRange = z.strictObject({
  low: z.number().optional(),
  high: z.number().optional(),
  text: Text(100).optional(),
});
export const LabObservationInput = z.strictObject({
  /** LOINC, e.g. 2345-7 (glucose). */
  code: Code,
  display: Text(200),
  value: z.union([z.number(), Text(200)]),
  /** UCUM, e.g. mg/dL. */
  unit: z.string().trim().min(1).max(30).optional(),
  referenceRange: ReferenceRange.optional(),
  /** Derived from the reference range when omitted (numeric values only). */
  interpretation: Interpretation.optional(),
});

export const CreateLabResultBody = z.strictObject({
  /** LOINC of the panel or test, e.g. 24323-8 (comprehensive metabolic panel). */
  code: Code,
  display: Text(200),
  status: LabStatus,
  orderingProviderId: Id,
  issued: Timestamp,
  /** When the specimen was taken; defaults to `issued`. */
  effective: Timestamp.optional(),
  encounterId: Id.optional(),
  /** The performing laboratory. */
  performer: Text(200).optional(),
  results: z.array(LabObservationInput).min(1).max(100),
});
export type CreateLabResultBody = z.output<typeof CreateLabResultBody>;

export const UpdateLabResultBody = z
  .strictObject({
    code: Code.optional(),
    display: Text(200).optional(),
    status: LabStatus.optional(),
    orderingProviderId: Id.optional(),
    issued: Timestamp.optional(),
    effective: Timestamp.optional(),
    performer: Text(200).nullable().optional(),
    results: z.array(LabObservationInput).min(1).max(100).optional(),
  })
  .refine(nonEmpty, SEND_A_FIELD);
export type UpdateLabResultBody = z.output<typeof UpdateLabResultBody>;

export const ReviewBody = z.strictObject({
  /** The follow-up decided; required when any result is abnormal. */
  comment: Text(2000).optional(),
});
export type ReviewBody = z.output<typeof ReviewBody>;

export const LabObservation = z.object({
  code: z.string(),
  display: z.string(),
  value: z.union([z.number(), z.string()]),
  unit: z.string().optional(),
  referenceRange: z
    .object({ low: z.number().optional(), high: z.number().optional(), text: z.string().optional() })
    .optional(),
  interpretation: Interpretation.optional(),
  /** True when the interpretation was derived from the reference range rather than sent by the lab. */
  interpretationDerived: z.boolean().optional(),
});
export type LabObservation = z.output<typeof LabObservation>;

export const LabResult = z.object({
  ...Audited,
  patientId: z.string(),
  code: z.string(),
  display: z.string(),
  status: LabStatus,
  orderingProviderId: z.string(),
  issued: z.string(),
  effective: z.string(),
  encounterId: z.string().optional(),
  performer: z.string().optional(),
  results: z.array(LabObservation),
  /** True when any result is interpreted as abnormal. */
  abnormal: z.boolean(),
  /** Who reviewed it, when, and the follow-up; cleared when the report changes after review. */
  review: z.object({ by: Actor, at: z.string(), comment: z.string().optional() }).optional(),
});
export type LabResult = z.output<typeof LabResult>;

// ── Reads: params, queries, chart, timeline, inbox ───────────────────────────────────────────────────────────
export const PatientParams = z.strictObject({ patientId: Id });
export const EncounterParams = z.strictObject({ patientId: Id, encounterId: Id });
export const NoteParams = z.strictObject({ patientId: Id, noteId: Id });
export const ProblemParams = z.strictObject({ patientId: Id, problemId: Id });
export const MedicationParams = z.strictObject({ patientId: Id, medicationId: Id });
export const AllergyParams = z.strictObject({ patientId: Id, allergyId: Id });
export const VitalsParams = z.strictObject({ patientId: Id, vitalsId: Id });
export const LabResultParams = z.strictObject({ patientId: Id, labResultId: Id });

export const ListQuery = z.strictObject({ limit: Limit, cursor: Cursor.optional() });
export type ListQuery = z.output<typeof ListQuery>;

export const InboxQuery = z.strictObject({
  /** Defaults to you, when you are a provider. */
  providerId: Id.optional(),
  limit: Limit,
  cursor: Cursor.optional(),
});
export type InboxQuery = z.output<typeof InboxQuery>;

export const AllergyListStatus = z.enum(['unknown', 'no-known-allergies', 'has-allergies']);
export type AllergyListStatus = z.output<typeof AllergyListStatus>;

export const Chart = z.object({
  patient: Patient,
  allergies: z.object({
    /** `unknown`: never asked, or nothing current; distinct from an explicit `no-known-allergies`. */
    status: AllergyListStatus,
    items: z.array(Allergy),
  }),
  problems: z.array(Problem),
  medications: z.array(Medication),
  latestVitals: VitalSigns.optional(),
  encounters: z.array(Encounter),
  /** Summaries: read a note for its sections and addenda. */
  notes: z.array(NoteSummary),
  labResults: z.array(LabResult),
  /**
   * False when the chart outgrew one read (1 MB) and the oldest history was not read: current problems,
   * medications and allergies are always complete; use the timeline for older history.
   */
  historyComplete: z.boolean(),
});
export type Chart = z.output<typeof Chart>;

export const EncounterPage = page(Encounter);
export const NotePage = page(NoteSummary);
export const ProblemPage = page(Problem);
export const MedicationPage = page(Medication);
export const AllergyPage = page(Allergy);
export const VitalsPage = page(VitalSigns);
export const LabResultPage = page(LabResult);
