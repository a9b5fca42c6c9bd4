// The charting context's door: what other contexts may use. Everything else in functions/charting/ is its own
// (test/architecture.test.ts fails the build when another context reaches past this file).
export { CHART_FHIR, noteText } from './fhir.ts';
export { type EncounterOpening, openEncounter } from './open-encounter.ts';
export { type PacketChart, readPacketChart } from './packet-chart.ts';
export type {
  Addendum,
  Allergy,
  Encounter,
  LabReport,
  Medication,
  Note,
  Problem,
  VitalSigns,
} from './schemas.ts';
export { CHART_READERS, canSeeResource, seesWholeChart, visibilityOf } from './visibility.ts';
