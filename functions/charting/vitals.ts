// Vital signs: the LOINC code and UCUM unit of each measurement, the physiologically possible range of each (outside
// it is a typing error, not a patient: 422), BMI derived from weight and height, and the set as coded observations.
// Codes and units are those of the US Core vital-signs profiles:
// https://hl7.org/fhir/us/core/STU6.1/vital-signs.html and https://hl7.org/fhir/R4/observation-vitalsigns.html
import type { FieldIssue } from '#shared/errors.ts';
import type { CodedObservation, VitalSigns } from './schemas.ts';

export interface VitalSignDefinition {
  code: string;
  display: string;
  /** The US Core profile of the Observation this measurement maps to. */
  profile: string;
}

const US_CORE = 'http://hl7.org/fhir/us/core/StructureDefinition';

export const VITAL_SIGNS = {
  bloodPressure: {
    code: '85354-9',
    display: 'Blood pressure panel with all children optional',
    profile: `${US_CORE}/us-core-blood-pressure`,
  },
  systolic: { code: '8480-6', display: 'Systolic blood pressure', profile: '' },
  diastolic: { code: '8462-4', display: 'Diastolic blood pressure', profile: '' },
  heartRate: { code: '8867-4', display: 'Heart rate', profile: `${US_CORE}/us-core-heart-rate` },
  respiratoryRate: {
    code: '9279-1',
    display: 'Respiratory rate',
    profile: `${US_CORE}/us-core-respiratory-rate`,
  },
  temperature: {
    code: '8310-5',
    display: 'Body temperature',
    profile: `${US_CORE}/us-core-body-temperature`,
  },
  /** US Core pulse oximetry carries both codes: 2708-6 (FHIR core vital sign) and 59408-5 (by pulse oximetry). */
  oxygenSaturation: {
    code: '2708-6',
    display: 'Oxygen saturation in Arterial blood',
    profile: `${US_CORE}/us-core-pulse-oximetry`,
  },
  pulseOximetry: {
    code: '59408-5',
    display: 'Oxygen saturation in Arterial blood by Pulse oximetry',
    profile: '',
  },
  weight: { code: '29463-7', display: 'Body weight', profile: `${US_CORE}/us-core-body-weight` },
  height: { code: '8302-2', display: 'Body height', profile: `${US_CORE}/us-core-body-height` },
  bmi: { code: '39156-5', display: 'Body mass index (BMI) [Ratio]', profile: `${US_CORE}/us-core-bmi` },
} satisfies Record<string, VitalSignDefinition>;

type Range = readonly [number, number];

/**
 * Outside these a value cannot be a living patient's (wide enough for neonates and extremes of illness), so it is a
 * typing or unit error: heart rate 900 and SpO2 130 % are refused.
 */
export const PHYSIOLOGICAL_RANGES = {
  systolic: [40, 300],
  diastolic: [10, 200],
  heartRate: [20, 300],
  respiratoryRate: [2, 100],
  temperature: { Cel: [25, 45], '[degF]': [77, 113] },
  oxygenSaturation: [40, 100],
  weight: { kg: [0.2, 650], g: [200, 650_000], '[lb_av]': [0.44, 1433] },
  height: { cm: [20, 275], '[in_i]': [8, 108] },
  bmi: [7, 150],
} as const;

type Measurements = Pick<
  VitalSigns,
  'bloodPressure' | 'heartRate' | 'respiratoryRate' | 'temperature' | 'oxygenSaturation' | 'weight' | 'height'
>;

function outside(value: number, [low, high]: Range): boolean {
  return !Number.isFinite(value) || value < low || value > high;
}

function rangeMessage([low, high]: Range, unit: string): string {
  return `Must be between ${low} and ${high} ${unit}`;
}

const KG_PER = { kg: 1, g: 0.001, '[lb_av]': 0.453_592_37 } as const;
const CM_PER = { cm: 1, '[in_i]': 2.54 } as const;

/** BMI in kg/m2, one decimal, when the set has both weight and height. */
export function bmiOf(m: Pick<Measurements, 'weight' | 'height'>): number | undefined {
  if (!m.weight || !m.height) return undefined;
  const kg = m.weight.value * KG_PER[m.weight.unit];
  const metres = (m.height.value * CM_PER[m.height.unit]) / 100;
  return Math.round((kg / (metres * metres)) * 10) / 10;
}

/** Every impossible value in the set, each naming its field (`body.heartRate`, `body.bloodPressure.systolic`). */
export function implausibleVitals(m: Measurements): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const check = (field: string, value: number, range: Range, unit: string) => {
    if (outside(value, range)) issues.push({ field: `body.${field}`, message: rangeMessage(range, unit) });
  };
  if (m.bloodPressure) {
    const { systolic, diastolic } = m.bloodPressure;
    check('bloodPressure.systolic', systolic, PHYSIOLOGICAL_RANGES.systolic, 'mm[Hg]');
    check('bloodPressure.diastolic', diastolic, PHYSIOLOGICAL_RANGES.diastolic, 'mm[Hg]');
    if (diastolic >= systolic) {
      issues.push({ field: 'body.bloodPressure.diastolic', message: 'Must be lower than systolic' });
    }
  }
  if (m.heartRate !== undefined) check('heartRate', m.heartRate, PHYSIOLOGICAL_RANGES.heartRate, '/min');
  if (m.respiratoryRate !== undefined) {
    check('respiratoryRate', m.respiratoryRate, PHYSIOLOGICAL_RANGES.respiratoryRate, '/min');
  }
  if (m.temperature) {
    const { value, unit } = m.temperature;
    check('temperature.value', value, PHYSIOLOGICAL_RANGES.temperature[unit], unit);
  }
  if (m.oxygenSaturation !== undefined) {
    check('oxygenSaturation', m.oxygenSaturation, PHYSIOLOGICAL_RANGES.oxygenSaturation, '%');
  }
  if (m.weight)
    check('weight.value', m.weight.value, PHYSIOLOGICAL_RANGES.weight[m.weight.unit], m.weight.unit);
  if (m.height)
    check('height.value', m.height.value, PHYSIOLOGICAL_RANGES.height[m.height.unit], m.height.unit);
  const bmi = issues.length === 0 ? bmiOf(m) : undefined;
  if (bmi !== undefined && outside(bmi, PHYSIOLOGICAL_RANGES.bmi)) {
    const message = 'Weight and height together give an impossible BMI; check their units';
    issues.push({ field: 'body.weight', message }, { field: 'body.height', message });
  }
  return issues;
}

function coded(def: VitalSignDefinition, value: number, unit: string): CodedObservation {
  return { code: def.code, display: def.display, value, unit };
}

/** The set as LOINC-coded observations with UCUM units, in a fixed order, BMI last. */
export function observationsOf(m: Measurements & { bmi?: number }): CodedObservation[] {
  const out: CodedObservation[] = [];
  const v = VITAL_SIGNS;
  if (m.bloodPressure) {
    out.push({
      code: v.bloodPressure.code,
      display: v.bloodPressure.display,
      components: [
        {
          code: v.systolic.code,
          display: v.systolic.display,
          value: m.bloodPressure.systolic,
          unit: 'mm[Hg]',
        },
        {
          code: v.diastolic.code,
          display: v.diastolic.display,
          value: m.bloodPressure.diastolic,
          unit: 'mm[Hg]',
        },
      ],
    });
  }
  if (m.heartRate !== undefined) out.push(coded(v.heartRate, m.heartRate, '/min'));
  if (m.respiratoryRate !== undefined) out.push(coded(v.respiratoryRate, m.respiratoryRate, '/min'));
  if (m.temperature) out.push(coded(v.temperature, m.temperature.value, m.temperature.unit));
  if (m.oxygenSaturation !== undefined) out.push(coded(v.oxygenSaturation, m.oxygenSaturation, '%'));
  if (m.weight) out.push(coded(v.weight, m.weight.value, m.weight.unit));
  if (m.height) out.push(coded(v.height, m.height.value, m.height.unit));
  if (m.bmi !== undefined) out.push(coded(v.bmi, m.bmi, 'kg/m2'));
  return out;
}
