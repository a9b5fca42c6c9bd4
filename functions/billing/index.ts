// The billing context's door: what other contexts may use. Everything else in functions/billing/ is its own
// (test/architecture.test.ts fails the build when another context reaches past this file).
export { chargePrompts } from './charges.ts';
export type { DocumentationPrompt } from './prompts.ts';
