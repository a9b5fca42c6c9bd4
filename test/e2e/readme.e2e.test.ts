// The README's curl walk-throughs, run exactly as written (only the API's address is this test run's), in the
// checkout as a new user runs them: every one twice, forward then in reverse order, on one running runtime, and
// the checkout is as clean afterwards as before (a walk-through that writes a file there breaks lint and CI).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The first ```sh block after a heading. */
function block(heading: string): string {
  const at = README.indexOf(heading);
  if (at < 0) throw new Error(`README has no "${heading}"`);
  const match = /```sh\n([\s\S]*?)```/.exec(README.slice(at));
  if (!match?.[1]) throw new Error(`No sh block after "${heading}"`);
  return match[1];
}

function run(script: string): { status: number | null; stdout: string; stderr: string } {
  const runtime = inject('runtime');
  const body = script
    .replaceAll('http://127.0.0.1:3000', runtime.apiUrl)
    .replaceAll('http://127.0.0.1:8103/fhir/R4', runtime.fhirBaseUrl);
  return spawnSync('bash', ['-c', `set -euo pipefail\n${body}`], {
    cwd: ROOT,
    // DATA_DIR points `npm run token` at this test run's runtime instead of `.data`.
    env: { ...process.env, DATA_DIR: inject('runtimeDataDir') },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

function gitStatus(): string {
  const out = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (out.status !== 0) throw new Error(out.stderr);
  return out.stdout;
}

/** Every JSON object on its own line of the output: each printed answer ends with a newline (`-w '\n'`). */
function answers(stdout: string): unknown[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as unknown);
}

const walkThroughs: [string, string, (stdout: string) => void][] = [
  [
    'register a patient, read it back, see the audit trail',
    '### Walk-through with curl',
    (stdout) => {
      expect(stdout).toContain('"family":"García"');
      expect(stdout).toContain('"action":"patient.create"');
      expect(stdout).toContain('"action":"patient.read"');
    },
  ],
  [
    'the front desk’s day: working hours, find time, book, see the day, check in, book and cancel',
    "### The front desk's day with curl",
    (stdout) => {
      expect(stdout).toContain('"status":"booked"');
      expect(stdout).toContain('"status":"arrived"');
      expect(stdout).toContain('"cancellationReason":"Patient request"');
    },
  ],
  [
    'a visit to a paid claim: charges, claim, batch, the clearinghouse’s 999/277CA/835, ledger, payment, statement',
    '### From a visit to a paid claim and a statement with curl',
    (stdout) => {
      const shown = answers(stdout) as Record<string, any>[];
      const claim = shown.find((a) => a.controlNumber && a.status === 'paid');
      expect(claim?.payerClaimNumber).toMatch(/^P/);
      // The demo fee schedule allows less than the charges; the payer paid, wrote off CO-45 and left the copay and
      // coinsurance (PR) to the patient: the ledger holds exactly the claim's remittance (other tests may change the
      // shared demo fee schedule, so the amounts are read from the claim).
      const r = claim?.remittance;
      expect(r).toMatchObject({ outcome: 'paid' });
      expect(r.paid + r.writtenOff + r.patientResponsibility).toBe(17800);
      expect(r.patientResponsibility).toBe(2000 + Math.round(r.lines[1].allowed * 0.2));
      const ledger = shown.find((a) => a.entries && a.balances);
      const sumOf = (kind: string) =>
        ledger?.entries
          .filter((e: { claimId?: string; kind: string }) => e.claimId === claim?.id && e.kind === kind)
          .reduce((t: number, e: { amount: number }) => t + e.amount, 0);
      expect([
        sumOf('charge'),
        sumOf('insurance-payment'),
        sumOf('adjustment'),
        sumOf('patient-responsibility'),
      ]).toEqual([17800, r.paid, r.writtenOff, r.patientResponsibility]);
      const statement = shown.find((a) => a.statementDate);
      expect(
        statement?.lines.find((l: { claimId?: string }) => l.claimId === claim?.id)?.patientBalance,
      ).toBe(r.patientResponsibility);
      expect(statement?.amountDue).toBe(0);
      expect(stdout).toContain('200 application/pdf');
    },
  ],
  [
    'a visit in the chart: vitals, a signed note, problem, medication, a reviewed lab result, the chart',
    '### A visit in the chart with curl',
    (stdout) => {
      expect(stdout).toContain('"status":"signed"');
      expect(stdout).toContain('"review":{"by"');
      expect(stdout).toContain('Type 2 diabetes mellitus without complications');
    },
  ],
  [
    'sharing: consent sends the demo patient to the FHIR store; the longitudinal record shows it',
    '### Sharing the record as FHIR with curl',
    (stdout) => {
      expect(stdout).toContain('"mode":"categories"');
      expect(stdout).toContain('"resourceType":"Patient"');
      expect(stdout).toContain('"meta":{');
      expect(stdout).toContain('"origin":"practice"');
    },
  ],
  [
    'a referral: sent with its packet, accepted, scheduled and closed by the specialist through the FHIR store',
    '### A referral that closes the loop with curl',
    (stdout) => {
      expect(stdout).toContain('"status":"sent"');
      expect(stdout).toContain('"resourceType":"Task"');
      expect(stdout).toContain('"status":"closed"');
      expect(stdout).toContain('"via":"fhir"');
      expect(stdout).toContain('start apixaban 5 mg twice daily');
      // The downloaded C-CDA hashes to the SHA-256 the referral kept.
      const [, downloaded, kept] = /^([0-9a-f]{64}) {2}-\n([0-9a-f]{64})$/m.exec(stdout) ?? [];
      expect(downloaded).toBeDefined();
      expect(downloaded).toBe(kept);
    },
  ],
];

describe('README walk-throughs, each twice (forward, then in reverse order), as written', () => {
  let before = '';
  beforeAll(() => {
    before = gitStatus();
  });

  const order = [...walkThroughs, ...[...walkThroughs].reverse()];
  it.each(order.map((w, i) => [i < walkThroughs.length ? 1 : 2, ...w] as const))(
    'run %i: %s',
    (_run, _name, heading, check) => {
      const out = run(block(heading));
      expect(out.status, out.stderr).toBe(0);
      // Problems print as problem+json with a status; none may appear.
      const problems = answers(out.stdout).filter(
        (a) => typeof (a as { status?: unknown }).status === 'number',
      );
      expect(problems, out.stdout).toEqual([]);
      // Every printed answer ends its line: nothing runs into the next one (or into the prompt).
      expect(out.stdout.endsWith('\n')).toBe(true);
      expect(out.stdout).not.toMatch(/}\{/);
      check(out.stdout);
    },
    120_000,
  );

  it('leaves the checkout as it was (on a clean checkout, as in CI: `git status --porcelain` is empty)', () => {
    expect(gitStatus()).toBe(before);
  });
});
