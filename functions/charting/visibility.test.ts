// What each role sees of a chart: the object-level half of the charting policy.
import { describe, expect, it } from 'vitest';
import type { Role } from '#shared/auth/roles.ts';
import {
  canSee,
  canSeeResource,
  chartKindOfResource,
  redact,
  seesWholeChart,
  visibilityFilter,
  visibilityOf,
} from './visibility.ts';

const as = (...roles: Role[]) => visibilityOf({ sub: 's', username: 'u', roles });
const draft = { status: 'draft' };
const signed = { status: 'signed' };

describe('visibility by role', () => {
  it('clinicians and nurses see everything, drafts and preliminary results included', () => {
    for (const v of [as('clinician'), as('nurse')]) {
      expect(canSee(v, 'note', draft)).toBe(true);
      expect(canSee(v, 'lab-result', { status: 'preliminary' })).toBe(true);
      expect(canSee(v, 'encounter', {})).toBe(true);
    }
  });

  it('a patient sees its signed notes and released results, never drafts, encounters or review comments', () => {
    const v = as('patient');
    expect(canSee(v, 'note', signed)).toBe(true);
    expect(canSee(v, 'note', draft)).toBe(false);
    expect(canSee(v, 'lab-result', { status: 'final' })).toBe(true);
    expect(canSee(v, 'lab-result', { status: 'corrected' })).toBe(true);
    expect(canSee(v, 'lab-result', { status: 'preliminary' })).toBe(false);
    expect(canSee(v, 'encounter', {})).toBe(false);
    for (const type of ['problem', 'medication', 'allergy', 'vitals'] as const)
      expect(canSee(v, type, {})).toBe(true);
    expect(redact(v, 'lab-result', { status: 'final', review: { comment: 'internal' } })).toEqual({
      status: 'final',
    });
  });

  it('billing sees encounters and signed notes only; front desk encounters only; admin and external nothing', () => {
    expect([canSee(as('billing'), 'encounter', {}), canSee(as('billing'), 'note', signed)]).toEqual([
      true,
      true,
    ]);
    expect([canSee(as('billing'), 'note', draft), canSee(as('billing'), 'problem', {})]).toEqual([
      false,
      false,
    ]);
    expect([canSee(as('front-desk'), 'encounter', {}), canSee(as('front-desk'), 'note', signed)]).toEqual([
      true,
      false,
    ]);
    expect(as('admin').types.size).toBe(0);
    expect(as('external-provider').types.size).toBe(0);
  });

  it('several roles add up', () => {
    const v = as('front-desk', 'billing');
    expect([canSee(v, 'encounter', {}), canSee(v, 'note', signed), canSee(v, 'note', draft)]).toEqual([
      true,
      true,
      false,
    ]);
  });
});

describe('the DynamoDB filter', () => {
  it('keeps only visible types, signed notes and released results for a patient', () => {
    const filter = visibilityFilter(as('patient'), ['encounter', 'note', 'lab-result']);
    expect(filter?.expression).toBe(
      '#type IN (:t0, :t1, :t2) AND (NOT (#type IN (:n0, :n1)) OR #status = :signed) AND (#type <> :labType OR #status IN (:final, :corrected))',
    );
    expect(filter?.values).toMatchObject({
      ':t0': 'ProgressNote',
      ':t1': 'ProgressNoteSummary',
      ':t2': 'LabReport',
    });
  });

  it('is undefined when nothing asked for is visible', () => {
    expect(visibilityFilter(as('front-desk'), ['note', 'problem'])).toBeUndefined();
    expect(visibilityFilter(as('clinician'), ['vitals'])?.expression).toBe('#type IN (:t0)');
  });
});

describe('chart content in FHIR form', () => {
  const report = (status: string) => ({ resourceType: 'DiagnosticReport', status });
  const document = (docStatus?: string) => ({
    resourceType: 'DocumentReference',
    status: 'current',
    docStatus,
  });
  const lab = { coding: [{ code: 'laboratory' }] };
  const vital = { coding: [{ code: 'vital-signs' }] };

  it('maps each resource to the chart record it stands for, in our words', () => {
    expect(chartKindOfResource(report('amended'))).toEqual({ type: 'lab-result', status: 'final' });
    expect(chartKindOfResource(report('preliminary'))).toEqual({ type: 'lab-result', status: 'preliminary' });
    expect(chartKindOfResource(document('final'))).toEqual({ type: 'note', status: 'signed' });
    expect(chartKindOfResource(document())).toEqual({ type: 'note', status: 'draft' });
    expect(chartKindOfResource({ resourceType: 'Observation', status: 'final', category: [vital] })).toEqual({
      type: 'vitals',
    });
    expect(
      chartKindOfResource({ resourceType: 'Observation', status: 'registered', category: [lab] }),
    ).toEqual({
      type: 'lab-result',
      status: 'registered',
    });
    expect(chartKindOfResource({ resourceType: 'Observation', status: 'final' })).toBe('other');
    expect(chartKindOfResource({ resourceType: 'Immunization' })).toBe('other');
    for (const resourceType of ['Patient', 'Appointment', 'Consent'])
      expect(chartKindOfResource({ resourceType })).toBeUndefined();
  });

  it('shows a resource exactly when the chart would show its record', () => {
    const patient = as('patient');
    expect(canSeeResource(patient, report('final'))).toBe(true);
    expect(canSeeResource(patient, report('corrected'))).toBe(true);
    expect(canSeeResource(patient, report('preliminary'))).toBe(false);
    expect(canSeeResource(patient, document('final'))).toBe(true);
    expect(canSeeResource(patient, document('preliminary'))).toBe(false);
    expect(canSeeResource(patient, { resourceType: 'Encounter' })).toBe(false);
    expect(canSeeResource(patient, { resourceType: 'Immunization' })).toBe(false);
    expect(canSeeResource(patient, { resourceType: 'Patient' })).toBe(true);
    for (const resourceType of ['Condition', 'CarePlan', 'MedicationRequest', 'AllergyIntolerance'])
      expect(canSeeResource(patient, { resourceType })).toBe(true);
    const admin = as('admin');
    for (const resourceType of ['Condition', 'Encounter', 'DocumentReference', 'Immunization'])
      expect(canSeeResource(admin, { resourceType, docStatus: 'final' })).toBe(false);
    expect(canSeeResource(admin, { resourceType: 'Appointment' })).toBe(true);
    expect(canSeeResource(as('front-desk'), { resourceType: 'Encounter' })).toBe(true);
    expect(canSeeResource(as('nurse'), report('preliminary'))).toBe(true);
    expect(canSeeResource(as('clinician'), { resourceType: 'Procedure' })).toBe(true);
  });

  it('only the care team reads the whole chart', () => {
    expect(seesWholeChart(as('clinician'))).toBe(true);
    expect(seesWholeChart(as('nurse'))).toBe(true);
    for (const role of ['patient', 'billing', 'front-desk', 'admin', 'external-provider'] as const)
      expect(seesWholeChart(as(role))).toBe(false);
  });
});
