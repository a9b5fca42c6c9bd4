// The sharing context's door: what other contexts may use. Everything else in functions/sharing/ is its own
// (test/architecture.test.ts fails the build when another context reaches past this file).
export { type Demographics, type MatchResult, matchPatients } from './matching.ts';
