// Billing's numbers for `npm run bench`: an 837 for 1,000 claims and posting an 835 of 1,000 claims, with wall time
// and the DynamoDB requests counted at the SDK, against the bench runtime's DynamoDB Local. The claims are made the
// way a practice makes them (a signed visit, charges, a claim made ready), sent in batches of 40 (the batch
// route's limit), then the 835 the local clearinghouse writes for all of them is posted in one request.

import { toClaim } from '../../functions/billing/model.ts';
import { DynamoRemittanceStore } from '../../functions/billing/remittance-store.ts';
import { DynamoBillingStore } from '../../functions/billing/store.ts';
import { buildClaimBatch } from '../../functions/billing/x12/claim-837p.ts';
import { parseInterchange } from '../../functions/billing/x12/envelope.ts';
import { adjudicate, DEFAULT_RULES } from '../../infra/local/clearinghouse/adjudicate.ts';
import type { RequestCounts } from '../../shared/dynamodb.ts';
import { cover, invoke, newPatient, readyClaim, setUpBillingPractice } from '../support/billing-practice.ts';

const add = (total: RequestCounts, counts: RequestCounts) => {
  for (const [k, v] of Object.entries(counts)) total[k] = (total[k] ?? 0) + v;
  return total;
};

async function pool<T>(count: number, size: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

export async function billingBench(claimCount = Number(process.env.BENCH_CLAIMS ?? 1000)) {
  const practice = await setUpBillingPractice();
  const patients = await pool(Math.ceil(claimCount / 50), 2, async () => {
    const id = await newPatient('Bench');
    await cover(id, practice.payerId);
    return id;
  });
  const started = performance.now();
  const claims = await pool(claimCount, 2, (i) =>
    readyClaim(practice, patients[i % patients.length] as string, [
      { code: '99213', charge: 11000 },
      { code: '82947', charge: 1800 },
    ]),
  );
  const preparationS = (performance.now() - started) / 1000;

  // The 837s through the batch route: 40 claims each, every claim scrubbed again, control numbers persisted.
  const batchCounts: RequestCounts = {};
  const t837 = performance.now();
  const ids = claims.map((c) => c.id as string);
  for (let i = 0; i < ids.length; i += 40) {
    const res = await invoke('createClaimBatch', {
      body: { claimIds: ids.slice(i, i + 40) },
      headers: { 'Idempotency-Key': crypto.randomUUID() },
    });
    if (res.status !== 201) throw new Error(`batch: ${res.status} ${res.text}`);
    add(batchCounts, res.counts);
  }
  const batchesMs = performance.now() - t837;

  // One 837 of all the claims, built and parsed back (pure: no database).
  const store = new DynamoBillingStore();
  const stored = await new DynamoRemittanceStore().claims(ids);
  const [profile, payer, demographics] = await Promise.all([
    store.getProfile(),
    store.getPayer(practice.payerId),
    store.claimPatients(patients),
  ]);
  if (!profile || !payer) throw new Error('no profile or payer');
  const all = stored.map((c) => {
    if (!c) throw new Error('claim missing');
    return toClaim(c, demographics.get(c.patientId) as never, payer);
  });
  const tBuild = performance.now();
  const x12 = buildClaimBatch({
    profile,
    claims: all,
    interchangeControlNumber: 999_000_001,
    groupControlNumber: 999_000_001,
    batchReference: 'BENCH',
    createdAt: new Date(),
    usage: 'T',
  });
  const buildMs = performance.now() - tBuild;
  const tParse = performance.now();
  parseInterchange(x12);
  const parseMs = performance.now() - tParse;

  // The clearinghouse's 835 for all of them, posted in one request.
  const { remittance } = adjudicate(
    x12,
    { ...DEFAULT_RULES, denyShare: 0.1 },
    {
      interchangeControlNumber: 999_000_100 + Math.floor(Math.random() * 1000),
      createdAt: new Date(),
    },
  );
  if (!remittance) throw new Error('no 835');
  const t835 = performance.now();
  const posted = await invoke('ingestRemittance', {
    body: remittance,
    headers: { 'Content-Type': 'application/edi-x12' },
  });
  const postMs = performance.now() - t835;
  if (posted.status !== 201) throw new Error(`835: ${posted.status} ${posted.text.slice(0, 500)}`);
  const again = await invoke('ingestRemittance', {
    body: remittance,
    headers: { 'Content-Type': 'application/edi-x12' },
  });

  return {
    claims: claimCount,
    preparationSeconds: Math.round(preparationS),
    claim837: {
      batches: Math.ceil(claimCount / 40),
      batchRouteTotalMs: Math.round(batchesMs),
      batchRouteRequests: batchCounts,
      oneInterchange: { bytes: x12.length, buildMs: Math.round(buildMs), parseBackMs: Math.round(parseMs) },
    },
    remittance835: {
      bytes: remittance.length,
      postMs: Math.round(postMs),
      requests: posted.counts,
      claimsPosted: posted.body.remittances[0].claims.length,
      sameFileAgain: { status: again.status, ms: undefined, requests: again.counts },
    },
  };
}
