// The referrals context's door: what other contexts (and the runtime) may use. Everything else in
// functions/referrals/ is its own (test/architecture.test.ts fails the build when another context reaches past this
// file).
export { pollInboundReferrals } from './inbound-service.ts';
