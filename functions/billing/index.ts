// The billing context's door: what other contexts may use. Everything else in functions/billing/ is its own
// (test/architecture.test.ts fails the build when another context reaches past this file).
export { chargePrompts } from './charges.ts';
export { toFhirCoverage, US_CORE_COVERAGE } from './fhir.ts';
export type { StoredCoverage } from './model.ts';
export type { DocumentationPrompt } from './prompts.ts';
