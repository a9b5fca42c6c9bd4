// The README's curl walk-throughs, run exactly as written (only the API's address is this test run's), so the
// commands a new user copies keep working.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, inject, it } from 'vitest';

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
  const preamble = [
    'set -euo pipefail',
    // The README runs npm in the checkout; this runs it there from a scratch folder, for the scratch files.
    `npm() { command npm --prefix ${JSON.stringify(ROOT)} "$@"; }`,
  ].join('\n');
  const body = script
    .replaceAll('http://127.0.0.1:3000', runtime.apiUrl)
    .replaceAll('http://127.0.0.1:8103/fhir/R4', runtime.fhirBaseUrl);
  return spawnSync('bash', ['-c', `${preamble}\n${body}`], {
    cwd: mkdtempSync(join(tmpdir(), 'continuum-readme-')),
    env: { ...process.env, DATA_DIR: inject('runtimeDataDir') },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('README walk-throughs', () => {
  it('register a patient, read it back, see the audit trail', () => {
    const out = run(block('### Walk-through with curl'));
    expect(out.stderr).not.toMatch(/error/i);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('"family":"García"');
    expect(out.stdout).toContain('"action":"patient.create"');
    expect(out.stdout).toContain('"action":"patient.read"');
  });

  it('the front desk’s day: set up, find time, book, see the day, check in', () => {
    const out = run(block("### The front desk's day with curl"));
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toContain('"status":"booked"');
    expect(out.stdout).toContain('"status":"arrived"');
  }, 60_000);

  it('sharing: consent sends the demo patient to the FHIR store; the longitudinal record shows it', () => {
    const out = run(block('### Sharing the record as FHIR with curl'));
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toContain('"mode":"categories"');
    expect(out.stdout).toContain('"resourceType":"Patient"');
    expect(out.stdout).toContain('"meta":{');
    expect(out.stdout).toContain('"origin":"practice"');
  }, 60_000);

  it('a visit in the chart: vitals, a signed note, problem, medication, a reviewed lab result, the chart', () => {
    const out = run(block('### A visit in the chart with curl'));
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toContain('"status":"signed"');
    expect(out.stdout).toContain('"review":{"by"');
    expect(out.stdout).toContain('Type 2 diabetes mellitus without complications');
  }, 60_000);
});
