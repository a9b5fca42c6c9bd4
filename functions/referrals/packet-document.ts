// The referral's clinical packet as documents: a FHIR document Bundle (a Composition and its entries, US Core
// profiles, mapped by charting's own mappers) and the C-CDA Referral Note generated from it (@medplum/ccda). Built
// once, at send time, from the chart as it is then; the bytes are hashed and kept, so what was sent can be proven.
// https://hl7.org/fhir/R4/documents.html · https://hl7.org/cda/us/ccda/ (Referral Note, LOINC 57133-1)
import { createHash } from 'node:crypto';
import { convertCcdaToXml, convertFhirToCcda } from '@medplum/ccda';
import type {
  Bundle,
  BundleEntry,
  Composition,
  CompositionSection,
  Coverage,
  Reference,
  Resource,
  ServiceRequest,
} from '@medplum/fhirtypes';
import { KIND_FHIR, type Kind, noteText, type PacketChart } from '#functions/charting/index.ts';
import { toFhirPatient } from '#functions/patients/index.ts';
import { directoryFhirId, NUCC_SYSTEM, toFhirOrganization, toFhirPractitioner } from './directory-fhir.ts';
import type { PacketCandidates, PacketSelection } from './packet.ts';
import type { DirectoryEntry, Referral } from './schemas.ts';

const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
const US_CORE = 'http://hl7.org/fhir/us/core/StructureDefinition';

/** The chart's records as the packet rules (packet.ts) see them. */
export function packetCandidates(chart: PacketChart): PacketCandidates {
  return {
    problems: chart.problems.map((p) => ({ id: p.id, status: p.clinicalStatus })),
    medications: chart.medications.map((m) => ({ id: m.id, status: m.status })),
    allergies: chart.allergies
      .filter((a) => !a.noKnownAllergies || a.verificationStatus !== 'entered-in-error')
      .map((a) => ({ id: a.id, verificationStatus: a.verificationStatus })),
    vitals: chart.vitals.map((v) => ({ id: v.id, effective: v.effective })),
    labs: chart.labs.map((l) => ({ id: l.id, status: l.status, effective: l.effective })),
    notes: chart.notes.map((n) => ({ id: n.id, status: n.status, encounterId: n.encounterId })),
  };
}

export interface PacketInput {
  referral: Referral;
  chart: PacketChart;
  selection: PacketSelection;
  recipient: DirectoryEntry;
  /** The recipient's organisation (the recipient itself when it is one). */
  organization: DirectoryEntry;
  practice: { source: string };
  /** Base for the entries' fullUrl (the exchange's FHIR base). */
  fhirBase: string;
  /** When the packet is built (the Composition's date). */
  at: string;
}

export interface BuiltPacket {
  bundle: Bundle;
  /** The Bundle as stored and downloadable: the bytes the hash is of. */
  bundleJson: string;
  ccda: string;
  bundleSha256: string;
  ccdaSha256: string;
  serviceRequest: ServiceRequest;
}

export const referralFhirIds = (referralId: string) => {
  const id = referralId.toLowerCase();
  return {
    serviceRequest: id,
    task: id,
    composition: `${id}-packet`,
    bundle: `${id}-packet`,
    documentReference: `${id}-packet`,
    coverage: `${id}-coverage`,
  };
};

const escapeXhtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function narrative(lines: string[]) {
  return {
    status: 'generated' as const,
    div: `<div xmlns="http://www.w3.org/1999/xhtml">${
      lines.length > 0 ? `<ul>${lines.map((l) => `<li>${escapeXhtml(l)}</li>`).join('')}</ul>` : '<p>None</p>'
    }</div>`,
  };
}

/** Typed as fitting any reference target (Reference<never> is assignable to every Reference<T>). */
/** LOINC 11506-3 Progress note: the notes section of the FHIR document. */
const PROGRESS_NOTES = '11506-3';
/** The C-CDA Notes Section (template 2.16.840.1.113883.10.20.22.2.65) as @medplum/ccda knows it, by LOINC 11488-4. */
const CCDA_NOTES_SECTION = '11488-4';

function noteNarrative(notes: PacketChart['notes']) {
  const body = notes
    .map((n) => {
      const parts = [noteText(n), ...(n.addenda ?? []).map((a) => `Addendum (${a.signedAt}): ${a.text}`)];
      return `<div>${parts.map((p) => `<p>${escapeXhtml(p).replace(/\n/g, '<br/>')}</p>`).join('')}</div>`;
    })
    .join('');
  return {
    status: 'generated' as const,
    div: `<div xmlns="http://www.w3.org/1999/xhtml">${body || '<p>None</p>'}</div>`,
  };
}

/**
 * The document as @medplum/ccda converts it: the notes section under the code its Notes Section is keyed by. Only
 * the code differs; the FHIR document keeps LOINC's Progress note.
 */
function forCcda(bundle: Bundle): Bundle {
  return {
    ...bundle,
    entry: bundle.entry?.map((e) =>
      e.resource?.resourceType === 'Composition'
        ? {
            ...e,
            resource: {
              ...e.resource,
              section: e.resource.section?.map((s) =>
                s.code?.coding?.[0]?.code === PROGRESS_NOTES
                  ? {
                      ...s,
                      code: { coding: [{ system: LOINC, code: CCDA_NOTES_SECTION, display: 'Notes' }] },
                    }
                  : s,
              ),
            },
          }
        : e,
    ),
  };
}

const refTo = (r: Resource): Reference<never> => ({ reference: `${r.resourceType}/${r.id}` });

function serviceRequestOf(input: PacketInput, coverage?: Coverage): ServiceRequest {
  const { referral: r, recipient, practice } = input;
  const ids = referralFhirIds(r.id);
  const performer =
    recipient.kind === 'practitioner'
      ? [
          { reference: `Practitioner/${directoryFhirId(recipient.id)}`, display: recipient.name },
          {
            reference: `Organization/${directoryFhirId(input.organization.id)}`,
            display: input.organization.name,
          },
        ]
      : [{ reference: `Organization/${directoryFhirId(recipient.id)}`, display: recipient.name }];
  return {
    resourceType: 'ServiceRequest',
    id: ids.serviceRequest,
    meta: { profile: [`${US_CORE}/us-core-servicerequest`], source: practice.source },
    identifier: [
      { system: `${practice.source}:referral`, value: r.id },
      ...(r.priorAuthorization
        ? [
            {
              system: `${practice.source}:prior-authorization`,
              type: { text: 'Prior authorization number' },
              value: r.priorAuthorization,
            },
          ]
        : []),
    ],
    status: 'active',
    intent: 'order',
    category: [{ coding: [{ system: SNOMED, code: '3457005', display: 'Patient referral' }] }],
    priority: r.urgency,
    code: {
      coding: [{ system: SNOMED, code: '3457005', display: 'Patient referral' }],
      text: `Referral to ${r.specialty.display ?? r.specialty.code}`,
    },
    subject: { reference: `Patient/${r.patientId.toLowerCase()}` },
    ...(r.encounterId ? { encounter: { reference: `Encounter/${r.encounterId.toLowerCase()}` } } : {}),
    occurrencePeriod: { end: r.dueDate },
    authoredOn: input.at,
    requester: r.referrer.practitionerId
      ? {
          reference: `Practitioner/${r.referrer.practitionerId.toLowerCase()}`,
          ...(r.referrer.name ? { display: r.referrer.name } : {}),
        }
      : { display: r.referrer.name ?? 'Referring clinician' },
    performerType: {
      coding: [
        {
          system: NUCC_SYSTEM,
          code: r.specialty.code,
          ...(r.specialty.display ? { display: r.specialty.display } : {}),
        },
      ],
    },
    performer,
    reasonCode: [{ coding: [{ system: ICD10CM, code: r.reason.code }], text: r.reason.text }],
    ...(coverage ? { insurance: [refTo(coverage)] } : {}),
    note: [{ text: `Clinical question: ${r.clinicalQuestion}` }],
  };
}

function coverageOf(input: PacketInput): Coverage | undefined {
  const c = input.referral.coverage;
  if (!c) return undefined;
  return {
    resourceType: 'Coverage',
    id: referralFhirIds(input.referral.id).coverage,
    meta: { source: input.practice.source },
    status: 'active',
    subscriberId: c.memberId,
    beneficiary: { reference: `Patient/${input.referral.patientId.toLowerCase()}` },
    payor: [{ display: c.payer }],
    ...(c.planName
      ? {
          class: [
            {
              type: {
                coding: [{ system: 'http://terminology.hl7.org/CodeSystem/coverage-class', code: 'plan' }],
              },
              value: c.planName,
            },
          ],
        }
      : {}),
  };
}

const mapped = (kind: Kind, record: unknown, source: string): Resource[] =>
  (KIND_FHIR[kind] as (r: unknown, ctx: { source: string }) => Resource[])(record, { source });

/** The FHIR document Bundle and the C-CDA Referral Note of exactly the chosen records. */
export function buildPacket(input: PacketInput): BuiltPacket {
  const { chart, selection, practice, referral } = input;
  const source = practice.source;
  const pick = <T extends { id: string }>(records: T[], ids: string[]) => {
    const chosen = new Set(ids);
    return records.filter((r) => chosen.has(r.id));
  };
  if (!chart.patient) throw new Error('buildPacket needs the patient');
  const patient = toFhirPatient(chart.patient, { source });
  const encounter = chart.encounters.find((e) => e.id === referral.encounterId);
  const coverage = coverageOf(input);
  const serviceRequest = serviceRequestOf(input, coverage);

  const problems = pick(chart.problems, selection.problems).map((p) => ({
    record: p,
    resources: mapped('problem', p, source).filter((r) => r.resourceType === 'Condition'),
  }));
  const medications = pick(chart.medications, selection.medications).map((m) => ({
    record: m,
    resources: mapped('medication', m, source),
  }));
  const allergies = pick(chart.allergies, selection.allergies).map((a) => ({
    record: a,
    resources: mapped('allergy', a, source),
  }));
  const vitals = pick(chart.vitals, selection.vitals).map((v) => ({
    record: v,
    resources: mapped('vitals', v, source),
  }));
  const labs = pick(chart.labs, selection.labs).map((l) => ({
    record: l,
    resources: mapped('lab-result', l, source),
  }));
  const notes = pick(chart.notes, selection.notes).map((n) => ({
    record: n,
    resources: [
      ...mapped('note', n, source),
      ...(n.addenda ?? []).flatMap((a) => mapped('addendum', a, source)),
    ],
  }));

  const section = (
    code: string,
    title: string,
    entries: { resources: Resource[] }[],
    lines: string[],
    only?: (r: Resource) => boolean,
  ): CompositionSection => ({
    title,
    code: { coding: [{ system: LOINC, code, display: title }] },
    text: narrative(lines),
    ...(entries.length > 0
      ? { entry: entries.flatMap((e) => e.resources.filter((r) => !only || only(r)).map(refTo)) }
      : {
          emptyReason: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/list-empty-reason',
                code: 'withheld',
                display: 'Information Withheld',
              },
            ],
          },
        }),
  });

  const author: Reference<never> = encounter
    ? { reference: `Practitioner/${encounter.provider.id.toLowerCase()}`, display: encounter.provider.name }
    : { display: referral.referrer.name ?? 'Referring clinician' };
  const ids = referralFhirIds(referral.id);
  const composition: Composition = {
    resourceType: 'Composition',
    id: ids.composition,
    meta: { source },
    identifier: { system: `${source}:referral-packet`, value: referral.id },
    status: 'final',
    type: { coding: [{ system: LOINC, code: '57133-1', display: 'Referral note' }] },
    category: [{ coding: [{ system: LOINC, code: '57133-1', display: 'Referral note' }] }],
    subject: refTo(patient),
    ...(encounter ? { encounter: { reference: `Encounter/${encounter.id.toLowerCase()}` } } : {}),
    date: input.at,
    author: [author],
    title: `Referral to ${input.recipient.name}`,
    confidentiality: 'N',
    section: [
      section(
        '42349-1',
        'Reason for referral',
        [{ resources: [serviceRequest] }],
        [
          `${referral.reason.code} ${referral.reason.text}`,
          `Clinical question: ${referral.clinicalQuestion}`,
          `Urgency: ${referral.urgency}; due ${referral.dueDate}`,
        ],
      ),
      section(
        '11450-4',
        'Problems',
        problems,
        problems.map((p) => `${p.record.code} ${p.record.display} (${p.record.clinicalStatus})`),
      ),
      section(
        '10160-0',
        'Medications',
        medications,
        medications.map(
          (m) => `${m.record.display}${m.record.dose ? ` ${m.record.dose.value} ${m.record.dose.unit}` : ''}`,
        ),
      ),
      section(
        '48765-2',
        'Allergies and intolerances',
        allergies,
        allergies.map((a) =>
          a.record.noKnownAllergies
            ? 'No known allergies'
            : `${a.record.substance?.display ?? 'Unknown substance'}${a.record.reactions?.length ? `: ${a.record.reactions.map((x) => x.manifestation).join(', ')}` : ''}`,
        ),
      ),
      section(
        '8716-3',
        'Vital signs',
        vitals,
        vitals.map((v) => `Vital signs of ${v.record.effective}`),
      ),
      section(
        '30954-2',
        'Results',
        labs,
        labs.map((l) => `${l.record.display} (${l.record.status}), ${l.record.effective}`),
      ),
      {
        ...section(PROGRESS_NOTES, 'Progress notes', notes, []),
        // The notes' whole text is the narrative: C-CDA carries a note as section text.
        text: noteNarrative(notes.map((n) => n.record)),
      },
    ],
  };
  const participants: Resource[] = [
    toFhirOrganization(input.organization, source),
    ...(input.recipient.kind === 'practitioner' ? [toFhirPractitioner(input.recipient, source)] : []),
  ];
  const encounterResources = encounter ? mapped('encounter', encounter, source) : [];
  const resources: Resource[] = [
    composition,
    patient,
    ...encounterResources,
    serviceRequest,
    ...(coverage ? [coverage] : []),
    ...participants,
    ...[...problems, ...medications, ...allergies, ...vitals, ...labs, ...notes].flatMap((e) => e.resources),
  ];
  const entry: BundleEntry[] = resources.map((resource) => ({
    fullUrl: `${input.fhirBase.replace(/\/$/, '')}/${resource.resourceType}/${resource.id}`,
    resource,
  }));
  const bundle: Bundle = {
    resourceType: 'Bundle',
    id: ids.bundle,
    meta: { source },
    identifier: { system: `${source}:referral-packet`, value: referral.id },
    type: 'document',
    timestamp: input.at,
    entry,
  };
  const bundleJson = JSON.stringify(bundle);
  const ccda = convertCcdaToXml(convertFhirToCcda(forCcda(bundle), { type: 'referral' }));
  return {
    bundle,
    bundleJson,
    ccda,
    bundleSha256: sha256(bundleJson),
    ccdaSha256: sha256(ccda),
    serviceRequest,
  };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
