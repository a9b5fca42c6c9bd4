// The local clearinghouse in `npm start`: the EdiOutbox that batch submission sends 837 files to, standing in for
// a clearinghouse and its payers the way the local FHIR server stands in for HealthLake. It answers each 837 at once
// with a 999 and a 277CA and, after a configurable delay, with an 835 (adjudicate.ts). Its answers land in the
// inbound folder, which the runtime ingests exactly as the S3 event Lambda ingests the EDI bucket's inbound/ prefix.
//
// Folders under `dir` (the data folder's edi/), named after the bucket's prefixes:
//   outbound/   the 837 files sent
//   pending/    835s not yet due: `<due epoch ms>-<name>`; kept on disk, so a restart still delivers them
//   inbound/    answers to ingest, in name order (999 before 277CA before 835 of one batch)
//   processed/  ingested; failed/ refused (with `<name>.error.json` saying why)
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EdiOutbox } from '#functions/billing/outbox.ts';
import { type AdjudicationRules, adjudicate, DEFAULT_RULES } from './adjudicate.ts';

export interface ClearinghouseSettings {
  /** Milliseconds between the 277CA and the 835. */
  delayMs: number;
  rejectShare: number;
  denyShare: number;
  denyReasons: string[];
}

export const DEFAULT_CLEARINGHOUSE: ClearinghouseSettings = {
  delayMs: 3000,
  rejectShare: 0,
  denyShare: 0,
  denyReasons: ['16'],
};

/**
 * Settings from the environment (README, Configuration): CLEARINGHOUSE_DELAY_MS, CLEARINGHOUSE_REJECT_SHARE,
 * CLEARINGHOUSE_DENY_SHARE (0–1), CLEARINGHOUSE_DENY_CARCS (comma-separated CARCs). Throws naming a bad one.
 */
export function clearinghouseSettings(env: Record<string, string | undefined>): ClearinghouseSettings {
  const share = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0 || value > 1)
      throw new Error(`${name} must be a share from 0 to 1; got "${raw}"`);
    return value;
  };
  const rawDelay = env.CLEARINGHOUSE_DELAY_MS;
  const delayMs =
    rawDelay === undefined || rawDelay === '' ? DEFAULT_CLEARINGHOUSE.delayMs : Number(rawDelay);
  if (!Number.isInteger(delayMs) || delayMs < 0)
    throw new Error(`CLEARINGHOUSE_DELAY_MS must be a whole number of milliseconds; got "${rawDelay}"`);
  const carcs = (env.CLEARINGHOUSE_DENY_CARCS ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  if (carcs.some((c) => !/^[A-Z]?\d{1,3}$/.test(c)))
    throw new Error(
      `CLEARINGHOUSE_DENY_CARCS must be CARCs such as 16,50,197; got "${env.CLEARINGHOUSE_DENY_CARCS}"`,
    );
  return {
    delayMs,
    rejectShare: share('CLEARINGHOUSE_REJECT_SHARE', 0),
    denyShare: share('CLEARINGHOUSE_DENY_SHARE', 0),
    denyReasons: carcs.length > 0 ? carcs : DEFAULT_CLEARINGHOUSE.denyReasons,
  };
}

export interface ClearinghouseOptions {
  dir: string;
  settings: ClearinghouseSettings;
  /** Allowed amounts from the practice's fee schedule, read when an 837 arrives. */
  allowedAmounts?: () => Promise<AdjudicationRules['allowed']>;
  /** Ingests one file: the same use case as POST /v1/remittances and the S3 event. Throws when refused. */
  ingest: (name: string, x12: string) => Promise<void>;
  /** Whether an error from ingest refuses the file for good (moved to failed/) rather than failing for now. */
  refused: (error: unknown) => boolean;
  log?: (line: Record<string, unknown>) => void;
  /** How often the inbound and pending folders are looked at. */
  pollMs?: number;
}

export interface LocalClearinghouse {
  outbox: EdiOutbox;
  /** Resolves once nothing is pending or waiting in inbound/ (tests, the walk-through). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

const COUNTER = 'counter.json';

export function startLocalClearinghouse(options: ClearinghouseOptions): LocalClearinghouse {
  const { dir, settings } = options;
  const folder = (name: string) => join(dir, name);
  for (const name of ['outbound', 'pending', 'inbound', 'processed', 'failed'])
    mkdirSync(folder(name), { recursive: true, mode: 0o700 });
  const log = options.log ?? (() => {});

  /** Interchange control numbers of the clearinghouse's own answers, persisted so they never repeat. */
  const nextControlNumber = (): number => {
    const file = join(dir, COUNTER);
    const last = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { last: number }).last : 0;
    const next = last + 3;
    writeFileSync(file, JSON.stringify({ last: next }), { mode: 0o600 });
    return last + 1;
  };

  let sequence = 0;
  const stamp = () => `${Date.now()}-${String(++sequence).padStart(4, '0')}`;

  const outbox: EdiOutbox = {
    async send(fileName, x12) {
      writeFileSync(join(folder('outbound'), fileName), x12, { mode: 0o600 });
      const allowed = (await options.allowedAmounts?.()) ?? DEFAULT_RULES.allowed;
      const answer = adjudicate(
        x12,
        {
          ...DEFAULT_RULES,
          allowed,
          rejectShare: settings.rejectShare,
          denyShare: settings.denyShare,
          denyReasons: settings.denyReasons,
        },
        { interchangeControlNumber: nextControlNumber(), createdAt: new Date() },
      );
      const base = `${stamp()}-${fileName.replace(/\.[^.]*$/, '')}`;
      writeFileSync(join(folder('inbound'), `${base}-1.999.x12`), answer.ack999, { mode: 0o600 });
      writeFileSync(join(folder('inbound'), `${base}-2.277.x12`), answer.ack277, { mode: 0o600 });
      if (answer.remittance) {
        const due = Date.now() + settings.delayMs;
        writeFileSync(join(folder('pending'), `${due}-${base}-3.835.x12`), answer.remittance, {
          mode: 0o600,
        });
      }
      log({
        level: 'INFO',
        message: 'clearinghouse received a batch',
        fileName,
        accepted: answer.accepted.length,
        rejected: answer.rejected.length,
        denied: answer.denied.length,
      });
      kick();
    },
  };

  const release = () => {
    const now = Date.now();
    for (const name of readdirSync(folder('pending')).sort()) {
      const due = Number(name.split('-')[0]);
      if (due <= now)
        renameSync(join(folder('pending'), name), join(folder('inbound'), name.slice(name.indexOf('-') + 1)));
    }
  };

  const drain = async () => {
    release();
    for (const name of readdirSync(folder('inbound')).sort()) {
      const path = join(folder('inbound'), name);
      const text = readFileSync(path, 'utf8');
      try {
        await options.ingest(name, text);
        renameSync(path, join(folder('processed'), name));
        log({ level: 'INFO', message: 'inbound file ingested', name });
      } catch (error) {
        const e = error as { name?: string; message?: string; errors?: unknown };
        // A refused file (unbalanced, unknown claims) is moved aside with its reasons; anything else is retried.
        if (options.refused(error)) {
          renameSync(path, join(folder('failed'), name));
          writeFileSync(
            join(folder('failed'), `${name}.error.json`),
            JSON.stringify({ reason: e.message, errors: e.errors }, null, 2),
            { mode: 0o600 },
          );
          log({ level: 'WARN', message: 'inbound file refused', name });
        } else {
          log({
            level: 'WARN',
            message: 'inbound file not ingested yet; will retry',
            name,
            errorName: e.name,
          });
          return;
        }
      }
    }
  };

  let running: Promise<void> | undefined;
  let stopped = false;
  const kick = () => {
    running ??= drain().finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => {
    if (!stopped) void kick();
  }, options.pollMs ?? 250);
  timer.unref();

  return {
    outbox,
    async idle() {
      for (;;) {
        await kick();
        if (readdirSync(folder('pending')).length === 0 && readdirSync(folder('inbound')).length === 0)
          return;
        await new Promise((r) => setTimeout(r, options.pollMs ?? 250));
      }
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
