// Every code the chart's mappers send passes its code system's check: a typo in a table is caught here, not by
// a receiving system.
import { describe, expect, it } from 'vitest';
import { isValidLoinc, isValidSnomedCt } from '#shared/codes.ts';
import { ROUTE_CODES } from './fhir.ts';
import { VITAL_SIGNS } from './vitals.ts';

describe('codes the chart sends', () => {
  it('every vital-sign LOINC code has a valid check digit', () => {
    for (const { code } of Object.values(VITAL_SIGNS)) expect(isValidLoinc(code), code).toBe(true);
  });

  it('every route-of-administration SNOMED CT concept has a valid check digit', () => {
    for (const { code } of Object.values(ROUTE_CODES)) expect(isValidSnomedCt(code), code).toBe(true);
  });
});
