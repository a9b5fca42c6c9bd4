// Vital-sign rules: impossible values are refused by field, BMI is derived, every measurement is LOINC/UCUM coded.
import { describe, expect, it } from 'vitest';
import { bmiOf, implausibleVitals, observationsOf } from './vitals.ts';

const fields = (issues: { field: string }[]) => issues.map((i) => i.field);

describe('physiological ranges', () => {
  it('accepts an ordinary adult set and a newborn', () => {
    expect(
      implausibleVitals({
        bloodPressure: { systolic: 128, diastolic: 82 },
        heartRate: 72,
        respiratoryRate: 14,
        temperature: { value: 98.6, unit: '[degF]' },
        oxygenSaturation: 98,
        weight: { value: 182, unit: '[lb_av]' },
        height: { value: 70, unit: '[in_i]' },
      }),
    ).toEqual([]);
    expect(
      implausibleVitals({
        heartRate: 160,
        weight: { value: 3200, unit: 'g' },
        height: { value: 50, unit: 'cm' },
      }),
    ).toEqual([]);
  });

  it('names each impossible value: heart rate 900, SpO2 130 %, a diastolic above the systolic', () => {
    expect(
      fields(
        implausibleVitals({
          heartRate: 900,
          oxygenSaturation: 130,
          bloodPressure: { systolic: 80, diastolic: 120 },
          temperature: { value: 98.6, unit: 'Cel' },
        }),
      ),
    ).toEqual([
      'body.bloodPressure.diastolic',
      'body.heartRate',
      'body.temperature.value',
      'body.oxygenSaturation',
    ]);
  });

  it('catches a unit mix-up through the BMI (inches typed as centimetres)', () => {
    const issues = implausibleVitals({
      weight: { value: 80, unit: 'kg' },
      height: { value: 69, unit: 'cm' },
    });
    expect(fields(issues)).toEqual(['body.weight', 'body.height']);
  });
});

describe('BMI and coded observations', () => {
  it('derives BMI in kg/m2 from any units, to one decimal', () => {
    expect(bmiOf({ weight: { value: 82.5, unit: 'kg' }, height: { value: 176, unit: 'cm' } })).toBe(26.6);
    expect(bmiOf({ weight: { value: 182, unit: '[lb_av]' }, height: { value: 70, unit: '[in_i]' } })).toBe(
      26.1,
    );
    expect(bmiOf({ weight: { value: 82.5, unit: 'kg' } })).toBeUndefined();
  });

  it('codes each measurement with its LOINC code and UCUM unit, blood pressure as two components', () => {
    const observations = observationsOf({
      bloodPressure: { systolic: 120, diastolic: 80 },
      heartRate: 60,
      oxygenSaturation: 97,
      bmi: 24.1,
    });
    expect(observations.map((o) => [o.code, o.unit])).toEqual([
      ['85354-9', undefined],
      ['8867-4', '/min'],
      ['2708-6', '%'],
      ['39156-5', 'kg/m2'],
    ]);
    expect(observations[0]?.components?.map((c) => [c.code, c.value, c.unit])).toEqual([
      ['8480-6', 120, 'mm[Hg]'],
      ['8462-4', 80, 'mm[Hg]'],
    ]);
  });
});
