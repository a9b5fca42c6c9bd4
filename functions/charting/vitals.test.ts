// Vital-sign rules: impossible values are refused by field, BMI is derived, every measurement is LOINC/UCUM coded.
import { describe, expect, it } from 'vitest';
import { bmiOf, implausibleVitals, observationsOf, VITAL_SIGNS } from './vitals.ts';

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

// Every range bound is a possible patient and one step past it is a typing error; each field is checked on its own.
describe('the range of each measurement, bound by bound', () => {
  type Case = [
    field: string,
    input: (v: number) => Parameters<typeof implausibleVitals>[0],
    low: number,
    high: number,
    message: string,
  ];
  const table: Case[] = [
    [
      'body.bloodPressure.systolic',
      (v) => ({ bloodPressure: { systolic: v, diastolic: 30 } }),
      40,
      300,
      'Must be between 40 and 300 mm[Hg]',
    ],
    [
      'body.bloodPressure.diastolic',
      (v) => ({ bloodPressure: { systolic: 250, diastolic: v } }),
      10,
      200,
      'Must be between 10 and 200 mm[Hg]',
    ],
    ['body.heartRate', (v) => ({ heartRate: v }), 20, 300, 'Must be between 20 and 300 /min'],
    ['body.respiratoryRate', (v) => ({ respiratoryRate: v }), 2, 100, 'Must be between 2 and 100 /min'],
    [
      'body.temperature.value',
      (v) => ({ temperature: { value: v, unit: 'Cel' } }),
      25,
      45,
      'Must be between 25 and 45 Cel',
    ],
    [
      'body.temperature.value',
      (v) => ({ temperature: { value: v, unit: '[degF]' } }),
      77,
      113,
      'Must be between 77 and 113 [degF]',
    ],
    ['body.oxygenSaturation', (v) => ({ oxygenSaturation: v }), 40, 100, 'Must be between 40 and 100 %'],
    [
      'body.weight.value',
      (v) => ({ weight: { value: v, unit: 'kg' } }),
      0.2,
      650,
      'Must be between 0.2 and 650 kg',
    ],
    [
      'body.weight.value',
      (v) => ({ weight: { value: v, unit: 'g' } }),
      200,
      650_000,
      'Must be between 200 and 650000 g',
    ],
    [
      'body.weight.value',
      (v) => ({ weight: { value: v, unit: '[lb_av]' } }),
      0.44,
      1433,
      'Must be between 0.44 and 1433 [lb_av]',
    ],
    [
      'body.height.value',
      (v) => ({ height: { value: v, unit: 'cm' } }),
      20,
      275,
      'Must be between 20 and 275 cm',
    ],
    [
      'body.height.value',
      (v) => ({ height: { value: v, unit: '[in_i]' } }),
      8,
      108,
      'Must be between 8 and 108 [in_i]',
    ],
  ];

  const cases = table.map(([field, input, low, high, message]) => ({ field, input, low, high, message }));
  it.each(cases)(
    '$field, $message: accepts both bounds, refuses a step past either',
    ({ field, input, low, high, message }) => {
      expect(implausibleVitals(input(low)), `${field} = ${low}`).toEqual([]);
      expect(implausibleVitals(input(high)), `${field} = ${high}`).toEqual([]);
      const step = Math.min(low, 1) / 100;
      for (const wrong of [
        low - step,
        high + step,
        Number.NaN,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
      ]) {
        const rangeIssues = implausibleVitals(input(wrong)).filter((i) =>
          i.message.startsWith('Must be between'),
        );
        expect(rangeIssues, `${field} = ${wrong}`).toEqual([{ field, message }]);
      }
    },
  );

  it('refuses a diastolic equal to the systolic, accepts one a point lower', () => {
    expect(implausibleVitals({ bloodPressure: { systolic: 120, diastolic: 120 } })).toEqual([
      { field: 'body.bloodPressure.diastolic', message: 'Must be lower than systolic' },
    ]);
    expect(implausibleVitals({ bloodPressure: { systolic: 120, diastolic: 119 } })).toEqual([]);
  });

  it('accepts a set with nothing measured and refuses a zero heart rate, respiratory rate or saturation', () => {
    expect(implausibleVitals({})).toEqual([]);
    expect(fields(implausibleVitals({ heartRate: 0, respiratoryRate: 0, oxygenSaturation: 0 }))).toEqual([
      'body.heartRate',
      'body.respiratoryRate',
      'body.oxygenSaturation',
    ]);
  });
});

describe('the BMI check', () => {
  it('refuses weight and height that are each possible but together impossible, naming both', () => {
    const message = 'Weight and height together give an impossible BMI; check their units';
    // 80 kg at 69 cm: BMI 168. 20 kg at 180 cm: BMI 6.2.
    for (const set of [
      { weight: { value: 80, unit: 'kg' as const }, height: { value: 69, unit: 'cm' as const } },
      { weight: { value: 20, unit: 'kg' as const }, height: { value: 180, unit: 'cm' as const } },
    ]) {
      expect(implausibleVitals(set)).toEqual([
        { field: 'body.weight', message },
        { field: 'body.height', message },
      ]);
    }
  });

  it('accepts a BMI exactly at either end of its range', () => {
    // 150 kg/m2 and 7 kg/m2 at 1 m.
    expect(
      implausibleVitals({ weight: { value: 150, unit: 'kg' }, height: { value: 100, unit: 'cm' } }),
    ).toEqual([]);
    expect(
      implausibleVitals({ weight: { value: 7, unit: 'kg' }, height: { value: 100, unit: 'cm' } }),
    ).toEqual([]);
    expect(
      fields(implausibleVitals({ weight: { value: 6.9, unit: 'kg' }, height: { value: 100, unit: 'cm' } })),
    ).toEqual(['body.weight', 'body.height']);
  });

  it('reports only the value out of range, not a BMI built from it', () => {
    expect(
      fields(implausibleVitals({ weight: { value: 700, unit: 'kg' }, height: { value: 100, unit: 'cm' } })),
    ).toEqual(['body.weight.value']);
  });

  it('converts grams, pounds and inches before dividing', () => {
    expect(bmiOf({ weight: { value: 3200, unit: 'g' }, height: { value: 50, unit: 'cm' } })).toBe(12.8);
    expect(bmiOf({ weight: { value: 100, unit: 'kg' }, height: { value: 100, unit: '[in_i]' } })).toBe(15.5);
    expect(bmiOf({ weight: { value: 220.462, unit: '[lb_av]' }, height: { value: 200, unit: 'cm' } })).toBe(
      25,
    );
    expect(bmiOf({ height: { value: 176, unit: 'cm' } })).toBeUndefined();
  });
});

describe('the coded set', () => {
  it('codes every measurement in a fixed order with its LOINC code, display and UCUM unit', () => {
    const observations = observationsOf({
      bloodPressure: { systolic: 118, diastolic: 76 },
      heartRate: 64,
      respiratoryRate: 16,
      temperature: { value: 36.8, unit: 'Cel' },
      oxygenSaturation: 99,
      weight: { value: 70, unit: 'kg' },
      height: { value: 175, unit: 'cm' },
      bmi: 22.9,
    });
    expect(observations.slice(1)).toEqual([
      { code: '8867-4', display: 'Heart rate', value: 64, unit: '/min' },
      { code: '9279-1', display: 'Respiratory rate', value: 16, unit: '/min' },
      { code: '8310-5', display: 'Body temperature', value: 36.8, unit: 'Cel' },
      { code: '2708-6', display: 'Oxygen saturation in Arterial blood', value: 99, unit: '%' },
      { code: '29463-7', display: 'Body weight', value: 70, unit: 'kg' },
      { code: '8302-2', display: 'Body height', value: 175, unit: 'cm' },
      { code: '39156-5', display: 'Body mass index (BMI) [Ratio]', value: 22.9, unit: 'kg/m2' },
    ]);
    expect(observations[0]).toEqual({
      code: '85354-9',
      display: 'Blood pressure panel with all children optional',
      components: [
        { code: '8480-6', display: 'Systolic blood pressure', value: 118, unit: 'mm[Hg]' },
        { code: '8462-4', display: 'Diastolic blood pressure', value: 76, unit: 'mm[Hg]' },
      ],
    });
    expect(observationsOf({})).toEqual([]);
  });

  it('codes a zero as a measurement, not as a missing one', () => {
    expect(
      observationsOf({ heartRate: 0, respiratoryRate: 0, oxygenSaturation: 0, bmi: 0 }).map((o) => o.code),
    ).toEqual(['8867-4', '9279-1', '2708-6', '39156-5']);
  });

  it('names the US Core profile of each measurement that has one', () => {
    const base = 'http://hl7.org/fhir/us/core/StructureDefinition/';
    expect(
      Object.fromEntries(Object.entries(VITAL_SIGNS).map(([name, d]) => [name, d.profile.replace(base, '')])),
    ).toEqual({
      bloodPressure: 'us-core-blood-pressure',
      systolic: '',
      diastolic: '',
      heartRate: 'us-core-heart-rate',
      respiratoryRate: 'us-core-respiratory-rate',
      temperature: 'us-core-body-temperature',
      oxygenSaturation: 'us-core-pulse-oximetry',
      pulseOximetry: '',
      weight: 'us-core-body-weight',
      height: 'us-core-body-height',
      bmi: 'us-core-bmi',
    });
    expect(VITAL_SIGNS.pulseOximetry).toMatchObject({
      code: '59408-5',
      display: 'Oxygen saturation in Arterial blood by Pulse oximetry',
    });
  });
});
