// The portal context's door: what other contexts may use. Everything else in functions/portal/ is its own
// (test/architecture.test.ts fails the build when another context reaches past this file). Nothing yet.
export {};
