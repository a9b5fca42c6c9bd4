// The charting context's door: what other contexts may use. Everything else in functions/charting/ is its own
// (test/architecture.test.ts fails the build when another context reaches past this file).

export { type EncounterFacts, encounterFacts } from './encounter-facts.ts';
export { noteText } from './fhir.ts';
export { KIND_FHIR } from './kind-fhir.ts';
export { CHART_KINDS, type ChartKind, KINDS, type Kind } from './kinds.ts';
export { type EncounterOpening, openEncounter } from './open-encounter.ts';
export { type PacketChart, readPacketChart } from './packet-chart.ts';
export type {
  Addendum,
  Allergy,
  Encounter,
  LabResult,
  Medication,
  Note,
  Problem,
  VitalSigns,
} from './schemas.ts';
export {
  CHART_READERS,
  canSee,
  canSeeResource,
  isReleased,
  seesWholeChart,
  type Visibility,
  visibilityOf,
} from './visibility.ts';
