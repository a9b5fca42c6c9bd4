// The patients context's door: what other contexts may use. Everything else in functions/patients/ is its own
// (test/architecture.test.ts fails the build when another context reaches past this file).
export { mrnSystem, patientFhirId, toFhirPatient, US_CORE_PATIENT } from './fhir.ts';
export { patientKeys } from './keys.ts';
export { patientById, patientCandidates, registerPatient } from './registration.ts';
export { CreatePatientBody, Patient } from './schemas.ts';
