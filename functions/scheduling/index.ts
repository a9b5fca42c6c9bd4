// The scheduling context's door: what other contexts may use. Everything else in functions/scheduling/ is its own
// (test/architecture.test.ts fails the build when another context reaches past this file).
export { toFhirAppointment } from './fhir.ts';
export { appointmentKeys } from './keys.ts';
export type { Appointment } from './schemas.ts';
export { type Reference, referencesMustExist } from './store.ts';
