// The charting context's door: what other contexts may use. Everything else in functions/charting/ is its own
// (test/architecture.test.ts fails the build when another context reaches past this file).
export { KIND_FHIR } from './kind-fhir.ts';
export { CHART_KINDS, type ChartKind, KINDS, type Kind } from './kinds.ts';
export { type EncounterOpening, openEncounter } from './open-encounter.ts';
export {
  CHART_READERS,
  canSee,
  canSeeResource,
  isReleased,
  seesWholeChart,
  type Visibility,
  visibilityOf,
} from './visibility.ts';
