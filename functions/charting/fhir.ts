// Chart records → FHIR R4 resources on the US Core 6.1.0 profiles, for the sharing mirror. Pure and deterministic:
// the same record version always gives the same resources with the same ids (our ULID in lower case, plus a
// suffix when one record becomes several resources), so a replayed stream event rewrites, never duplicates.
// https://hl7.org/fhir/us/core/STU6.1/profiles-and-extensions.html
import type {
  AllergyIntolerance,
  CarePlan,
  CodeableConcept,
  Condition,
  DiagnosticReport,
  DocumentReference,
  Encounter as FhirEncounter,
  MedicationRequest,
  Meta,
  Observation,
  Quantity,
  Reference,
  Timing,
} from '@medplum/fhirtypes';
import { SOURCE_VERSION_SYSTEM } from '#shared/fhir-client.ts';
import type {
  Actor,
  Addendum,
  Allergy,
  Encounter,
  Frequency,
  Interpretation,
  LabResult,
  Medication,
  MedicationRoute,
  Note,
  PlanItemStatus,
  Problem,
  VitalSigns,
} from './schemas.ts';
import { VITAL_SIGNS, type VitalSignDefinition } from './vitals.ts';

export interface FhirContext {
  /** The practice as a source URI (meta.source), e.g. urn:continuum:practice:acme. */
  source: string;
}

const US_CORE = 'http://hl7.org/fhir/us/core/StructureDefinition';
export const PROFILES = {
  encounter: `${US_CORE}/us-core-encounter`,
  condition: `${US_CORE}/us-core-condition-problems-health-concerns`,
  carePlan: `${US_CORE}/us-core-careplan`,
  medicationRequest: `${US_CORE}/us-core-medicationrequest`,
  allergyIntolerance: `${US_CORE}/us-core-allergyintolerance`,
  labObservation: `${US_CORE}/us-core-observation-lab`,
  labReport: `${US_CORE}/us-core-diagnosticreport-lab`,
  documentReference: `${US_CORE}/us-core-documentreference`,
};

const SYSTEM = {
  loinc: 'http://loinc.org',
  snomed: 'http://snomed.info/sct',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  cpt: 'http://www.ama-assn.org/go/cpt',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  ucum: 'http://unitsofmeasure.org',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  participationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  conditionVerification: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  conditionCategory: 'http://terminology.hl7.org/CodeSystem/condition-category',
  allergyClinical: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
  allergyVerification: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  interpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  diagnosticService: 'http://terminology.hl7.org/CodeSystem/v2-0074',
  medicationRequestCategory: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category',
  timing: 'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation',
  documentCategory: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category',
  carePlanCategory: 'http://hl7.org/fhir/us/core/CodeSystem/careplan-category',
  formatCode: 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode',
};

/** FHIR ids are [A-Za-z0-9-.]{1,64}; ours are ULIDs, lower-cased like every other mapper's. */
export const fhirId = (id: string, suffix?: string) => (suffix ? `${id}-${suffix}` : id).toLowerCase();
/** Typed as fitting any reference target (Reference<never> is assignable to every Reference<T>). */
const ref = (type: string, id: string, display?: string): Reference<never> => ({
  reference: `${type}/${fhirId(id)}`,
  ...(display ? { display } : {}),
});
const patientRef = (patientId: string) => ref('Patient', patientId);
/** A user who is a provider is a Practitioner; otherwise the reference names them. */
const actorRef = (a: Actor): Reference<never> =>
  a.practitionerId ? ref('Practitioner', a.practitionerId, a.name) : { display: a.name };

function meta(profile: string | undefined, record: { version: number }, ctx: FhirContext): Meta {
  return {
    ...(profile ? { profile: [profile] } : {}),
    source: ctx.source,
    tag: [{ system: SOURCE_VERSION_SYSTEM, code: String(record.version) }],
  };
}

const concept = (system: string, code: string, display?: string, text?: string): CodeableConcept => ({
  coding: [{ system, code, ...(display ? { display } : {}) }],
  ...(text ? { text } : {}),
});

const quantity = (value: number, unit?: string): Quantity =>
  unit ? { value, unit, system: SYSTEM.ucum, code: unit } : { value };

// ── Encounter ── https://hl7.org/fhir/us/core/STU6.1/StructureDefinition-us-core-encounter.html ───────────────
const ENCOUNTER_CLASS = {
  ambulatory: { code: 'AMB', display: 'ambulatory' },
  virtual: { code: 'VR', display: 'virtual' },
} as const;
/** US Core Encounter Type is CPT or SNOMED CT; the SNOMED concept says what kind of visit it was. */
const ENCOUNTER_TYPE = {
  ambulatory: { code: '308335008', display: 'Patient encounter procedure' },
  virtual: { code: '448337001', display: 'Telemedicine consultation with patient' },
} as const;

export function toFhirEncounter(e: Encounter, ctx: FhirContext): FhirEncounter {
  const period = { start: e.start, ...(e.end ? { end: e.end } : {}) };
  return {
    resourceType: 'Encounter',
    id: fhirId(e.id),
    meta: meta(PROFILES.encounter, e, ctx),
    identifier: [{ system: `${ctx.source}:encounter`, value: e.id }],
    status: e.status,
    class: { system: SYSTEM.actCode, ...ENCOUNTER_CLASS[e.class] },
    type: [
      concept(SYSTEM.snomed, ENCOUNTER_TYPE[e.class].code, ENCOUNTER_TYPE[e.class].display),
      ...(e.serviceCode ? [concept(SYSTEM.cpt, e.serviceCode)] : []),
    ],
    subject: patientRef(e.patientId),
    participant: [
      {
        type: [concept(SYSTEM.participationType, 'PPRF', 'primary performer')],
        period,
        individual: ref('Practitioner', e.provider.id, e.provider.name),
      },
    ],
    ...(e.appointmentId ? { appointment: [ref('Appointment', e.appointmentId)] } : {}),
    period,
    reasonCode: [
      e.reasonCode ? concept(SYSTEM.icd10cm, e.reasonCode, undefined, e.reason) : { text: e.reason },
    ],
    ...(e.location
      ? {
          location: [
            {
              location: e.location.id
                ? ref('Location', e.location.id, e.location.name)
                : { display: e.location.name },
            },
          ],
        }
      : {}),
  };
}

// ── Condition (problem list) ── https://hl7.org/fhir/us/core/STU6.1/StructureDefinition-us-core-condition-problems-health-concerns.html
export function toFhirCondition(p: Problem, ctx: FhirContext): Condition {
  return {
    resourceType: 'Condition',
    id: fhirId(p.id),
    meta: meta(PROFILES.condition, p, ctx),
    extension: [
      {
        url: 'http://hl7.org/fhir/StructureDefinition/condition-assertedDate',
        valueDateTime: p.createdAt.slice(0, 10),
      },
    ],
    clinicalStatus: concept(SYSTEM.conditionClinical, p.clinicalStatus),
    verificationStatus: concept(SYSTEM.conditionVerification, 'confirmed'),
    category: [concept(SYSTEM.conditionCategory, 'problem-list-item', 'Problem List Item')],
    code: concept(SYSTEM.icd10cm, p.code, p.display, p.display),
    subject: patientRef(p.patientId),
    ...(p.encounterId ? { encounter: ref('Encounter', p.encounterId) } : {}),
    ...(p.onset ? { onsetDateTime: p.onset } : {}),
    ...(p.abatement ? { abatementDateTime: p.abatement } : {}),
    recordedDate: p.createdAt,
    ...(p.note ? { note: [{ text: p.note }] } : {}),
  };
}

// ── CarePlan (a problem's treatment plan) ── https://hl7.org/fhir/us/core/STU6.1/StructureDefinition-us-core-careplan.html
function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

const DONE: readonly PlanItemStatus[] = ['completed', 'cancelled'];

/** The treatment plan of a problem, when it has one. */
export function toFhirCarePlan(p: Problem, ctx: FhirContext): CarePlan | undefined {
  const items = p.treatmentPlan ?? [];
  if (items.length === 0) return undefined;
  const finished = p.clinicalStatus !== 'active' || items.every((i) => DONE.includes(i.status));
  const list = items
    .map((i) => `<li>${escapeHtml(i.description)} (${i.status}${i.due ? `, due ${i.due}` : ''})</li>`)
    .join('');
  return {
    resourceType: 'CarePlan',
    id: fhirId(p.id, 'plan'),
    meta: meta(PROFILES.carePlan, p, ctx),
    text: {
      status: 'generated',
      div: `<div xmlns="http://www.w3.org/1999/xhtml"><p>Plan for ${escapeHtml(p.display)}</p><ul>${list}</ul></div>`,
    },
    status: finished ? 'completed' : 'active',
    intent: 'plan',
    category: [concept(SYSTEM.carePlanCategory, 'assess-plan', 'Assessment and Plan of Treatment')],
    title: `Plan for ${p.display}`,
    subject: patientRef(p.patientId),
    addresses: [ref('Condition', p.id)],
    activity: items.map((i) => ({
      detail: {
        status: i.status,
        description: i.description,
        ...(i.due ? { scheduledString: `Due ${i.due}` } : {}),
      },
    })),
  };
}

// ── MedicationRequest ── https://hl7.org/fhir/us/core/STU6.1/StructureDefinition-us-core-medicationrequest.html
/** SNOMED CT route of administration concepts (the FHIR R4 RouteCodes example value set draws from these). */
const ROUTE: Record<MedicationRoute, { code: string; display: string }> = {
  oral: { code: '26643006', display: 'Oral route' },
  sublingual: { code: '37839007', display: 'Sublingual route' },
  topical: { code: '6064005', display: 'Topical route' },
  transdermal: { code: '45890007', display: 'Transdermal route' },
  inhalation: { code: '447694001', display: 'Respiratory tract route' },
  nasal: { code: '46713006', display: 'Nasal route' },
  ophthalmic: { code: '54485002', display: 'Ophthalmic route' },
  otic: { code: '10547007', display: 'Otic route' },
  rectal: { code: '37161004', display: 'Rectal route' },
  vaginal: { code: '16857009', display: 'Vaginal route' },
  subcutaneous: { code: '34206005', display: 'Subcutaneous route' },
  intramuscular: { code: '78421000', display: 'Intramuscular route' },
  intravenous: { code: '47625008', display: 'Intravenous route' },
};
export const ROUTE_CODES = ROUTE;

const REPEAT: Record<Frequency, NonNullable<Timing['repeat']>> = {
  QD: { frequency: 1, period: 1, periodUnit: 'd' },
  BID: { frequency: 2, period: 1, periodUnit: 'd' },
  TID: { frequency: 3, period: 1, periodUnit: 'd' },
  QID: { frequency: 4, period: 1, periodUnit: 'd' },
  Q4H: { frequency: 1, period: 4, periodUnit: 'h' },
  Q6H: { frequency: 1, period: 6, periodUnit: 'h' },
  Q8H: { frequency: 1, period: 8, periodUnit: 'h' },
  Q12H: { frequency: 1, period: 12, periodUnit: 'h' },
  AM: { frequency: 1, period: 1, periodUnit: 'd', when: ['MORN'] },
  PM: { frequency: 1, period: 1, periodUnit: 'd', when: ['EVE'] },
  BED: { frequency: 1, period: 1, periodUnit: 'd', when: ['HS'] },
  WK: { frequency: 1, period: 1, periodUnit: 'wk' },
};

function dosageText(m: Medication): string {
  const parts = [
    m.dose ? `${m.dose.value} ${m.dose.unit}` : undefined,
    m.route,
    m.frequency,
    m.asNeeded ? 'as needed' : undefined,
    m.instructions,
  ];
  return parts.filter(Boolean).join(', ') || m.display;
}

export function toFhirMedicationRequest(m: Medication, ctx: FhirContext): MedicationRequest {
  const bounds = { start: m.start, ...(m.stop ? { end: m.stop } : {}) };
  return {
    resourceType: 'MedicationRequest',
    id: fhirId(m.id),
    meta: meta(PROFILES.medicationRequest, m, ctx),
    status: m.status,
    // A medication the patient reports is on the plan of care; one prescribed here is an order.
    intent: m.reported ? 'plan' : 'order',
    category: [concept(SYSTEM.medicationRequestCategory, 'community', 'Community')],
    reportedBoolean: m.reported ?? false,
    medicationCodeableConcept: concept(SYSTEM.rxnorm, m.code, m.display, m.display),
    subject: patientRef(m.patientId),
    ...(m.encounterId ? { encounter: ref('Encounter', m.encounterId) } : {}),
    authoredOn: m.createdAt,
    ...(m.prescriber
      ? {
          requester: m.prescriber.id
            ? ref('Practitioner', m.prescriber.id, m.prescriber.name)
            : { display: m.prescriber.name },
        }
      : {}),
    dosageInstruction: [
      {
        text: dosageText(m),
        timing: {
          repeat: { boundsPeriod: bounds, ...(m.frequency ? REPEAT[m.frequency] : {}) },
          ...(m.frequency ? { code: concept(SYSTEM.timing, m.frequency) } : {}),
        },
        ...(m.asNeeded !== undefined ? { asNeededBoolean: m.asNeeded } : {}),
        ...(m.route ? { route: concept(SYSTEM.snomed, ROUTE[m.route].code, ROUTE[m.route].display) } : {}),
        ...(m.dose ? { doseAndRate: [{ doseQuantity: quantity(m.dose.value, m.dose.unit) }] } : {}),
      },
    ],
  };
}

// ── AllergyIntolerance ── https://hl7.org/fhir/us/core/STU6.1/StructureDefinition-us-core-allergyintolerance.html
/** SNOMED CT 716186003 |No known allergy (situation)|, as US Core recommends for "no known allergies". */
const NO_KNOWN_ALLERGY = { code: '716186003', display: 'No known allergy (situation)' };

function substanceConcept(a: Allergy): CodeableConcept {
  if (a.noKnownAllergies) return concept(SYSTEM.snomed, NO_KNOWN_ALLERGY.code, NO_KNOWN_ALLERGY.display);
  const s = a.substance;
  if (!s) return { text: 'Unknown substance' };
  if (s.system === 'text' || !s.code) return { text: s.display };
  return concept(s.system === 'rxnorm' ? SYSTEM.rxnorm : SYSTEM.snomed, s.code, s.display, s.display);
}

export function toFhirAllergyIntolerance(a: Allergy, ctx: FhirContext): AllergyIntolerance {
  const enteredInError = a.verificationStatus === 'entered-in-error';
  return {
    resourceType: 'AllergyIntolerance',
    id: fhirId(a.id),
    meta: meta(PROFILES.allergyIntolerance, a, ctx),
    // ait-2: no clinical status on a record entered in error.
    ...(enteredInError ? {} : { clinicalStatus: concept(SYSTEM.allergyClinical, a.clinicalStatus) }),
    verificationStatus: concept(SYSTEM.allergyVerification, a.verificationStatus),
    ...(a.criticality ? { criticality: a.criticality } : {}),
    code: substanceConcept(a),
    patient: patientRef(a.patientId),
    ...(a.onset ? { onsetDateTime: a.onset } : {}),
    recordedDate: a.createdAt,
    ...(a.reactions?.length
      ? {
          reaction: a.reactions.map((r) => ({
            manifestation: [{ text: r.manifestation }],
            ...(r.severity ? { severity: r.severity } : {}),
          })),
        }
      : {}),
    ...(a.note ? { note: [{ text: a.note }] } : {}),
  };
}

// ── Observations: vital signs ── https://hl7.org/fhir/us/core/STU6.1/vital-signs.html ─────────────────────────
const VITAL_SIGNS_CATEGORY = concept(SYSTEM.observationCategory, 'vital-signs', 'Vital Signs');

const VITAL_ID: Record<string, string> = {
  [VITAL_SIGNS.bloodPressure.code]: 'blood-pressure',
  [VITAL_SIGNS.heartRate.code]: 'heart-rate',
  [VITAL_SIGNS.respiratoryRate.code]: 'respiratory-rate',
  [VITAL_SIGNS.temperature.code]: 'body-temperature',
  [VITAL_SIGNS.oxygenSaturation.code]: 'pulse-oximetry',
  [VITAL_SIGNS.weight.code]: 'body-weight',
  [VITAL_SIGNS.height.code]: 'body-height',
  [VITAL_SIGNS.bmi.code]: 'bmi',
};
const DEFINITION_BY_CODE: Record<string, VitalSignDefinition> = Object.fromEntries(
  Object.values(VITAL_SIGNS).map((d) => [d.code, d]),
);

/** One Observation per measurement of the set (BMI included), each on its US Core vital-sign profile. */
export function toFhirVitalSigns(v: VitalSigns, ctx: FhirContext): Observation[] {
  return v.observations.map((o) => {
    const def = DEFINITION_BY_CODE[o.code];
    const codings = [{ system: SYSTEM.loinc, code: o.code, display: o.display }];
    // US Core pulse oximetry: the FHIR core code plus the by-pulse-oximetry one.
    if (o.code === VITAL_SIGNS.oxygenSaturation.code) {
      codings.push({
        system: SYSTEM.loinc,
        code: VITAL_SIGNS.pulseOximetry.code,
        display: VITAL_SIGNS.pulseOximetry.display,
      });
    }
    return {
      resourceType: 'Observation',
      id: fhirId(v.id, VITAL_ID[o.code] ?? o.code),
      meta: meta(def?.profile, v, ctx),
      status: 'final',
      category: [VITAL_SIGNS_CATEGORY],
      code: { coding: codings, text: o.display },
      subject: patientRef(v.patientId),
      ...(v.encounterId ? { encounter: ref('Encounter', v.encounterId) } : {}),
      effectiveDateTime: v.effective,
      ...(o.components
        ? {
            component: o.components.map((c) => ({
              code: concept(SYSTEM.loinc, c.code, c.display),
              valueQuantity: quantity(c.value, c.unit),
            })),
          }
        : o.value !== undefined
          ? { valueQuantity: quantity(o.value, o.unit) }
          : {}),
    } satisfies Observation;
  });
}

// ── Lab results: DiagnosticReport and its Observations ──────────────────────────────────────────────────────
// https://hl7.org/fhir/us/core/STU6.1/StructureDefinition-us-core-diagnosticreport-lab.html
// https://hl7.org/fhir/us/core/STU6.1/StructureDefinition-us-core-observation-lab.html
const INTERPRETATION_DISPLAY: Record<Interpretation, string> = {
  N: 'Normal',
  L: 'Low',
  H: 'High',
  LL: 'Critical low',
  HH: 'Critical high',
  A: 'Abnormal',
  AA: 'Critical abnormal',
};
const LABORATORY = concept(SYSTEM.observationCategory, 'laboratory', 'Laboratory');

export function toFhirLabResult(
  r: LabResult,
  ctx: FhirContext,
): { report: DiagnosticReport; results: Observation[] } {
  const results: Observation[] = r.results.map((result, i) => ({
    resourceType: 'Observation',
    id: fhirId(r.id, String(i + 1)),
    meta: meta(PROFILES.labObservation, r, ctx),
    status: r.status,
    category: [LABORATORY],
    code: concept(SYSTEM.loinc, result.code, result.display, result.display),
    subject: patientRef(r.patientId),
    ...(r.encounterId ? { encounter: ref('Encounter', r.encounterId) } : {}),
    effectiveDateTime: r.effective,
    issued: r.issued,
    ...(typeof result.value === 'number'
      ? { valueQuantity: quantity(result.value, result.unit) }
      : { valueString: result.value }),
    ...(result.interpretation
      ? {
          interpretation: [
            concept(
              SYSTEM.interpretation,
              result.interpretation,
              INTERPRETATION_DISPLAY[result.interpretation],
            ),
          ],
        }
      : {}),
    ...(result.referenceRange
      ? {
          referenceRange: [
            {
              ...(result.referenceRange.low !== undefined
                ? { low: quantity(result.referenceRange.low, result.unit) }
                : {}),
              ...(result.referenceRange.high !== undefined
                ? { high: quantity(result.referenceRange.high, result.unit) }
                : {}),
              ...(result.referenceRange.text ? { text: result.referenceRange.text } : {}),
            },
          ],
        }
      : {}),
  }));
  const report: DiagnosticReport = {
    resourceType: 'DiagnosticReport',
    id: fhirId(r.id),
    meta: meta(PROFILES.labReport, r, ctx),
    status: r.status,
    category: [concept(SYSTEM.diagnosticService, 'LAB', 'Laboratory')],
    code: concept(SYSTEM.loinc, r.code, r.display, r.display),
    subject: patientRef(r.patientId),
    ...(r.encounterId ? { encounter: ref('Encounter', r.encounterId) } : {}),
    effectiveDateTime: r.effective,
    issued: r.issued,
    ...(r.performer ? { performer: [{ display: r.performer }] } : {}),
    result: results.map((o) => ({ reference: `Observation/${o.id}` })),
  };
  return { report, results };
}

// ── DocumentReference: signed notes and their addenda ──────────────────────────────────────────────────────
// https://hl7.org/fhir/us/core/STU6.1/StructureDefinition-us-core-documentreference.html
// https://hl7.org/fhir/us/core/STU6.1/clinical-notes.html (progress note: LOINC 11506-3, category clinical-note)
const PROGRESS_NOTE = concept('http://loinc.org', '11506-3', 'Progress note');
const CLINICAL_NOTE = concept(SYSTEM.documentCategory, 'clinical-note', 'Clinical Note');
const PLAIN_TEXT = {
  system: SYSTEM.formatCode,
  code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient',
  display: 'mimeType Sufficient',
};

/** The note as the plain text a reader sees, sections in SOAP order. */
export function noteText(n: Note): string {
  const sections: [string, string][] = [
    ['Subjective', n.subjective],
    ['Objective', n.objective],
    ['Assessment', n.assessment],
    ['Plan', n.plan],
  ];
  const signed =
    n.signedBy && n.signedAt ? `\n\nElectronically signed by ${n.signedBy.name} at ${n.signedAt}` : '';
  return `${n.title}\n\n${sections.map(([h, t]) => `${h}:\n${t}`).join('\n\n')}${signed}\n`;
}

function documentReference(
  fields: {
    id: string;
    version: number;
    patientId: string;
    encounterId?: string;
    title: string;
    text: string;
  },
  signer: { by: Actor; at: string; coAuthors?: readonly { name: string }[] },
  ctx: FhirContext,
): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    id: fhirId(fields.id),
    meta: meta(PROFILES.documentReference, fields, ctx),
    identifier: [{ system: `${ctx.source}:document`, value: fields.id }],
    status: 'current',
    docStatus: 'final',
    type: PROGRESS_NOTE,
    category: [CLINICAL_NOTE],
    subject: patientRef(fields.patientId),
    date: signer.at,
    author: [actorRef(signer.by), ...(signer.coAuthors ?? []).map((c) => ({ display: c.name }))],
    authenticator: actorRef(signer.by),
    description: fields.title,
    content: [
      {
        attachment: {
          contentType: 'text/plain; charset=utf-8',
          language: 'en',
          data: Buffer.from(fields.text, 'utf8').toString('base64'),
          title: fields.title,
          creation: signer.at,
        },
        format: PLAIN_TEXT,
      },
    ],
    ...(fields.encounterId ? { context: { encounter: [ref('Encounter', fields.encounterId)] } } : {}),
  };
}

/** A signed note; a draft is not a document yet and maps to nothing. */
export function toFhirDocumentReference(n: Note, ctx: FhirContext): DocumentReference | undefined {
  if (n.status !== 'signed' || !n.signedBy || !n.signedAt) return undefined;
  // Contributors who changed the draft are its co-authors.
  const coAuthors = (n.contributors ?? []).filter((c) => c.lastEditedAt !== undefined);
  return documentReference(
    { ...n, text: noteText(n) },
    { by: n.signedBy, at: n.signedAt, ...(coAuthors.length > 0 ? { coAuthors } : {}) },
    ctx,
  );
}

/** An addendum is its own signed document that appends to its note's. */
export function toFhirAddendum(a: Addendum, ctx: FhirContext): DocumentReference {
  return {
    ...documentReference(
      {
        id: a.id,
        version: a.version,
        patientId: a.patientId,
        title: 'Addendum',
        text: `Addendum\n\n${a.text}\n`,
      },
      { by: a.author, at: a.signedAt },
      ctx,
    ),
    relatesTo: [{ code: 'appends', target: ref('DocumentReference', a.noteId) }],
  };
}
