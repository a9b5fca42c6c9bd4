// Keys of the sharing context's items. Access patterns: docs/data-model.md.
import { patientKeys } from '#functions/patients/index.ts';

export const sharingKeys = {
  /** The patient's consent lives in the patient's partition, next to what it governs. */
  consent: (patientId: string) => ({ pk: patientKeys.partition(patientId), sk: 'SHARING' }),
  export: (exportId: string) => ({ pk: `EXPORT#${exportId}`, sk: 'EXPORT' }),
};
