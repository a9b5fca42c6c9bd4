// `npm start` as a process: data survives a restart (the FHIR store's too, readable at once), a second start says
// so, and stopping leaves no JVM behind — nor, in these tests, any data folder.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { patientFhirId } from '../../functions/patients/fhir.ts';
import { NODE, removeDataDir, signIn, startRuntimeProcess, tempDataDir } from '../support/runtime-process.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the local runtime as a process', () => {
  it('keeps every record (and the FHIR store) across a restart, refuses a second start, and stops its JVM on SIGTERM', async () => {
    const dataDir = tempDataDir();
    try {
      await restartKeepsEverything(dataDir);
    } finally {
      removeDataDir(dataDir);
    }
  }, 300_000);

  async function restartKeepsEverything(dataDir: string) {
    const first = await startRuntimeProcess({ dataDir });
    const token = await signIn(first.info, 'front-desk');
    const created = await fetch(`${first.info.apiUrl}/v1/patients`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: { given: ['Restart'], family: 'Survivor' },
        birthDate: '1960-01-01',
        gender: 'male',
      }),
    });
    expect(created.status).toBe(201);
    const patient = (await created.json()) as { id: string };

    // Consent to share: the mirror puts the patient into the local FHIR store.
    const clinician = await signIn(first.info, 'clinician');
    const sharing = `${first.info.apiUrl}/v1/patients/${patient.id}/sharing`;
    const etag = (await fetch(sharing, { headers: { Authorization: `Bearer ${clinician}` } })).headers.get(
      'etag',
    );
    const consent = await fetch(sharing, {
      method: 'PUT',
      headers: {
        Authorization: `Bearer ${clinician}`,
        'Content-Type': 'application/json',
        'If-Match': etag ?? '',
      },
      body: JSON.stringify({ mode: 'categories', categories: ['demographics'] }),
    });
    expect(consent.status).toBe(200);
    const fhirPatient = (base: string) => fetch(`${base}/Patient/${patientFhirId(patient.id)}`);
    await expect
      .poll(async () => (await fhirPatient(first.info.fhirBaseUrl)).status, { timeout: 30_000 })
      .toBe(200);

    const second = spawnSync(NODE, [resolve(import.meta.dirname, '../../infra/local/start.ts')], {
      env: {
        ...process.env,
        DATA_DIR: first.dataDir,
        PORT: '0',
        DYNAMODB_PORT: '0',
        COGNITO_PORT: '0',
        FHIR_PORT: '0',
      },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(second.status).toBe(1);
    expect(second.stderr).toContain('already running');

    const javaPid = first.info.childPids[0] ?? -1;
    expect(alive(javaPid)).toBe(true);
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(alive(javaPid)).toBe(false);

    // Same Cognito port: the issuer URL (and so every token's `iss`) includes it.
    const cognitoPort = new URL(first.info.cognitoUrl).port;
    const restarted = await startRuntimeProcess({
      dataDir: first.dataDir,
      env: { COGNITO_PORT: cognitoPort },
    });
    try {
      // The FHIR store answers as soon as the runtime says it is healthy: not empty until the stream is replayed.
      const shared = await fhirPatient(restarted.info.fhirBaseUrl);
      expect(shared.status).toBe(200);
      expect(((await shared.json()) as { resourceType: string }).resourceType).toBe('Patient');

      // The old token still verifies: the pool's keys and users persisted too.
      const read = await fetch(`${restarted.info.apiUrl}/v1/patients/${patient.id}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(read.status).toBe(200);
      expect(((await read.json()) as { name: { family: string } }).name.family).toBe('Survivor');
    } finally {
      await restarted.stop();
    }
  }

  it('--reset wipes the data folder', async () => {
    const dataDir = tempDataDir();
    try {
      await resetWipes(dataDir);
    } finally {
      removeDataDir(dataDir);
    }
  }, 240_000);

  async function resetWipes(dataDir: string) {
    const first = await startRuntimeProcess({ dataDir });
    const token = await signIn(first.info, 'admin');
    const created = await fetch(`${first.info.apiUrl}/v1/patients`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: { given: ['Gone'], family: 'Soon' },
        birthDate: '1960-01-01',
        gender: 'male',
      }),
    });
    const patient = (await created.json()) as { id: string };
    await first.stop();
    const reset = await startRuntimeProcess({ dataDir: first.dataDir, args: ['--reset'] });
    try {
      const fresh = await signIn(reset.info, 'admin');
      const read = await fetch(`${reset.info.apiUrl}/v1/patients/${patient.id}`, {
        headers: { Authorization: `Bearer ${fresh}` },
      });
      expect(read.status).toBe(404);
    } finally {
      await reset.stop();
    }
  }
});

describe('npm start without Java', () => {
  it('fails at once with a one-line fix', () => {
    const dataDir = tempDataDir();
    const run = spawnSync(NODE, [resolve(import.meta.dirname, '../../infra/local/start.ts')], {
      env: { ...process.env, JAVA: '/nonexistent/java', DATA_DIR: dataDir },
      encoding: 'utf8',
      timeout: 20_000,
    });
    removeDataDir(dataDir);
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Java 17+');
    expect(lines[0]).toContain('apt-get install -y openjdk-17-jre-headless');
  });
});
