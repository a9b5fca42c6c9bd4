// What each role sees of a chart: the object-level half of the charting policy.
import { describe, expect, it } from 'vitest';
import type { Role } from '#shared/auth/roles.ts';
import { KIND_OF_ITEM_TYPE, KINDS, type Kind } from './kinds.ts';
import {
  canSee,
  canSeeResource,
  chartKindOfResource,
  type DynamoFilter,
  isReleased,
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

describe('release: what may leave the care team (portal, referral packets)', () => {
  it('releases a signed note and a final or corrected result, nothing in another state; other kinds always', () => {
    expect(['draft', 'signed'].map((status) => isReleased('note', { status }))).toEqual([false, true]);
    expect(
      ['preliminary', 'final', 'corrected'].map((status) => isReleased('lab-result', { status })),
    ).toEqual([false, true, true]);
    expect([isReleased('note', {}), isReleased('lab-result', { status: 'signed' })]).toEqual([false, false]);
    expect(KINDS.filter((kind) => isReleased(kind, {}))).toEqual(
      KINDS.filter((kind) => kind !== 'note' && kind !== 'lab-result'),
    );
  });
});

describe('the DynamoDB filter', () => {
  it('keeps only visible types, signed notes and released results for a patient', () => {
    const filter = visibilityFilter(as('patient'), ['encounter', 'note', 'lab-result']);
    expect(filter?.expression).toBe(
      '#type IN (:t0, :t1, :t2) AND (NOT (#type IN (:k0t0, :k0t1)) OR #status IN (:k0s0)) AND (NOT (#type IN (:k1t0)) OR #status IN (:k1s0, :k1s1))',
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

/**
 * Evaluates the DynamoDB filter on an item the way DynamoDB does for the grammar the filter uses (AND, OR, NOT,
 * parentheses, =, <>, IN; a comparison with a missing attribute is false), so the filter is tested by what it lets
 * through rather than by its text. An unknown name or value placeholder throws, as DynamoDB refuses the request.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
 */
function passes(filter: DynamoFilter, item: Record<string, unknown>): boolean {
  const tokens: string[] = filter.expression.match(/\(|\)|,|<>|=|[#:]\w+|\w+/g) ?? [];
  let at = 0;
  const next = () => tokens[at++] as string;
  const expect_ = (token: string) => {
    if (next() !== token) throw new Error(`expected ${token} at ${at - 1} in ${filter.expression}`);
  };
  const operand = (): unknown => {
    const token = next();
    if (token.startsWith('#')) {
      const name = filter.names[token];
      if (name === undefined) throw new Error(`no name for ${token}`);
      return item[name];
    }
    if (!(token in filter.values)) throw new Error(`no value for ${token}`);
    return filter.values[token];
  };
  const primary = (): boolean => {
    if (tokens[at] === '(') {
      next();
      const value = or();
      expect_(')');
      return value;
    }
    const left = operand();
    const op = next();
    if (op === 'IN') {
      expect_('(');
      const list = [operand()];
      while (tokens[at] === ',') {
        next();
        list.push(operand());
      }
      expect_(')');
      return left !== undefined && list.includes(left);
    }
    const right = operand();
    if (left === undefined || right === undefined) return false;
    if (op === '=') return left === right;
    if (op === '<>') return left !== right;
    throw new Error(`unknown operator ${op}`);
  };
  const unary = (): boolean => {
    if (tokens[at] === 'NOT') {
      next();
      return !unary();
    }
    return primary();
  };
  const and = (): boolean => {
    let value = unary();
    while (tokens[at] === 'AND') {
      next();
      value = unary() && value;
    }
    return value;
  };
  const or = (): boolean => {
    let value = and();
    while (tokens[at] === 'OR') {
      next();
      value = and() || value;
    }
    return value;
  };
  const result = or();
  if (at !== tokens.length) throw new Error(`trailing ${tokens.slice(at).join(' ')}`);
  // DynamoDB also refuses names and values the expression does not use.
  for (const key of [...Object.keys(filter.names), ...Object.keys(filter.values)])
    if (!tokens.includes(key)) throw new Error(`unused ${key}`);
  return result;
}

const ROLE_SETS: Role[][] = [
  ['clinician'],
  ['nurse'],
  ['billing'],
  ['front-desk'],
  ['patient'],
  ['admin'],
  ['external-provider'],
  ['front-desk', 'billing'],
  ['patient', 'front-desk'],
  ['billing', 'nurse'],
  [],
];
const STATUSES = [undefined, 'draft', 'signed', 'preliminary', 'final', 'corrected', 'active', 'finished'];
const STORED_TYPES = Object.keys(KIND_OF_ITEM_TYPE);

describe('the DynamoDB filter, by what it lets through', () => {
  it('lets through exactly what canSee allows, for every role, item type and status', () => {
    for (const roles of ROLE_SETS) {
      const v = as(...roles);
      const filter = visibilityFilter(v, KINDS);
      for (const type of STORED_TYPES) {
        for (const status of STATUSES) {
          const item = status === undefined ? { type } : { type, status };
          const expected = canSee(v, KIND_OF_ITEM_TYPE[type] as Kind, item);
          expect(filter ? passes(filter, item) : false, `${roles.join('+')} ${type} ${status}`).toBe(
            expected,
          );
        }
      }
    }
  });

  it('shows a patient signed notes (and their summaries) and final or corrected results only', () => {
    const filter = visibilityFilter(as('patient'), ['note', 'lab-result', 'encounter']);
    if (!filter) throw new Error('a patient sees notes');
    const shown = (type: string, status: string) => passes(filter, { type, status });
    expect([shown('ProgressNote', 'signed'), shown('ProgressNoteSummary', 'signed')]).toEqual([true, true]);
    expect([shown('ProgressNote', 'draft'), shown('ProgressNoteSummary', 'draft')]).toEqual([false, false]);
    expect([
      shown('LabReport', 'final'),
      shown('LabReport', 'corrected'),
      shown('LabReport', 'preliminary'),
    ]).toEqual([true, true, false]);
    expect(shown('Encounter', 'finished')).toBe(false);
  });

  it('holds back preliminary results when only results are asked for', () => {
    const filter = visibilityFilter(as('patient'), ['lab-result']);
    if (!filter) throw new Error('a patient sees results');
    expect(
      ['preliminary', 'final', 'corrected'].map((status) => passes(filter, { type: 'LabReport', status })),
    ).toEqual([false, true, true]);
  });

  it('reads only the kinds asked for', () => {
    const filter = visibilityFilter(as('clinician'), ['vitals', 'note']);
    if (!filter) throw new Error('a clinician sees vitals');
    expect(STORED_TYPES.filter((type) => passes(filter, { type, status: 'draft' }))).toEqual([
      'ProgressNote',
      'ProgressNoteSummary',
      'VitalSigns',
    ]);
  });

  it('lets a clinician see drafts and preliminary results in the same read', () => {
    const filter = visibilityFilter(as('clinician'), KINDS);
    if (!filter) throw new Error('a clinician sees everything');
    expect(passes(filter, { type: 'ProgressNote', status: 'draft' })).toBe(true);
    expect(passes(filter, { type: 'LabReport', status: 'preliminary' })).toBe(true);
  });

  it('gives no filter to a role that sees none of the kinds asked for', () => {
    for (const roles of [['admin'], ['external-provider'], []] as Role[][])
      expect(visibilityFilter(as(...roles), KINDS), roles.join()).toBeUndefined();
  });
});

describe('what each role may see, in detail', () => {
  it('lets the care team see every kind of record, drafts, preliminary results and review comments included', () => {
    for (const role of ['clinician', 'nurse'] as const) {
      const v = as(role);
      for (const type of KINDS) expect(canSee(v, type, draft), `${role} ${type}`).toBe(true);
      const report = { status: 'preliminary', review: { comment: 'repeat in 3 months' } };
      expect(redact(v, 'lab-result', report), role).toEqual(report);
    }
  });

  it('shows billing the encounter, its signed notes and their addenda, nothing clinical beyond', () => {
    const v = as('billing');
    expect(KINDS.filter((type) => canSee(v, type, signed))).toEqual(['encounter', 'note', 'addendum']);
    expect(KINDS.filter((type) => canSee(as('front-desk'), type, signed))).toEqual(['encounter']);
    const released = (type: Kind) => (type === 'lab-result' ? { status: 'final' } : signed);
    expect(KINDS.filter((type) => canSee(as('patient'), type, released(type)))).toEqual(
      KINDS.filter((type) => type !== 'encounter'),
    );
  });

  it('adds up flags across roles: one role that sees drafts is enough', () => {
    const v = as('billing', 'nurse');
    expect([v.signedNotesOnly, v.releasedResultsOnly, v.reviewHidden]).toEqual([false, false, false]);
    expect(canSee(v, 'note', draft)).toBe(true);
    expect(as('patient', 'front-desk')).toMatchObject({
      signedNotesOnly: true,
      releasedResultsOnly: true,
      reviewHidden: true,
    });
    expect([...as('patient', 'front-desk').types].sort()).toEqual([...KINDS].sort());
    // A role that sees no results at all does not loosen another role's rule for them.
    const patientAndBilling = as('patient', 'billing');
    expect(canSee(patientAndBilling, 'lab-result', { status: 'preliminary' })).toBe(false);
    expect(redact(patientAndBilling, 'lab-result', { status: 'final', review: 'internal' })).toEqual({
      status: 'final',
    });
  });

  it('treats a record without a status as neither signed nor released', () => {
    expect(canSee(as('patient'), 'note', {})).toBe(false);
    expect(canSee(as('patient'), 'lab-result', {})).toBe(false);
    expect(canSee(as('patient'), 'vitals', {})).toBe(true);
    // Statuses of other kinds do not matter: a problem's `resolved` is not a note's `signed`.
    expect(canSee(as('patient'), 'problem', { status: 'resolved' })).toBe(true);
  });

  it('hides the review comment from billing and patients, keeps it for the care team, touches nothing else', () => {
    const report = { status: 'final', review: { comment: 'call patient' } };
    expect(redact(as('billing'), 'lab-result', report)).toEqual({ status: 'final' });
    expect(redact(as('nurse'), 'lab-result', report)).toBe(report);
    expect(redact(as('patient'), 'note', { status: 'signed', review: 'kept' })).toEqual({
      status: 'signed',
      review: 'kept',
    });
    expect(redact(as('patient'), 'lab-result', { status: 'final' })).toEqual({ status: 'final' });
  });

  it('maps every stored item type to its kind, a note summary to a note', () => {
    expect(KIND_OF_ITEM_TYPE).toEqual({
      Encounter: 'encounter',
      ProgressNote: 'note',
      ProgressNoteSummary: 'note',
      Addendum: 'addendum',
      Problem: 'problem',
      Medication: 'medication',
      Allergy: 'allergy',
      VitalSigns: 'vitals',
      LabReport: 'lab-result',
    });
  });
});
