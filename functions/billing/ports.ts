// The billing context's store port: every read and write its use cases make, none of them a DynamoDB request. The
// DynamoDB adapter is store.ts; keys are in keys.ts. Each write is one TransactWriteItems with its audit records and
// (for POSTs with an Idempotency-Key) the response to replay.
import type { AuditEvent } from '#shared/audit.ts';
import type { StoredResponse } from '#shared/idempotency.ts';
import type { WriteContext } from '#shared/write.ts';
import type { ClaimStatus } from './lifecycle.ts';
import type {
  ClaimBatch,
  ClaimPatient,
  EncounterCharges,
  FeeScheduleEntry,
  StoredBillingProfile,
  StoredClaim,
  StoredCoverage,
  StoredPayer,
} from './model.ts';

/** A write of one record: `before` undefined creates it (failing if it exists), else conditional on its version. */
export interface RecordWrite<T> {
  before: T | undefined;
  after: T;
  audit: AuditEvent[];
  response: StoredResponse;
}

export interface ClaimQuery {
  status?: ClaimStatus;
  patientId?: string;
  /** StoredPayer.id: a filter within the status or patient list. */
  payerId?: string;
  limit: number;
  after?: Record<string, unknown>;
}

export interface Page<T> {
  items: T[];
  after?: Record<string, unknown>;
}

/** What a new claim is made of, read in one Query of the patient's partition. */
export interface ClaimSource {
  charges: EncounterCharges | undefined;
  coverages: StoredCoverage[];
}

/** A claim's change of status (and whatever else the event changed), with the writes that go with it. */
export interface ClaimChange {
  before: StoredClaim;
  after: StoredClaim;
  /** A replacement (frequency 7) or void (frequency 8) claim created in the same transaction. */
  created?: StoredClaim;
  /** The encounter-and-payer guard: handed to `created`, or released (a void ends the encounter's claim). */
  guard?: 'transfer' | 'release';
  audit: AuditEvent[];
  response: StoredResponse;
}

export interface NewBatch {
  batch: ClaimBatch;
  x12: string;
  /** The claims as they were read (ready) and as they become (submitted): each written conditionally. */
  claims: { before: StoredClaim; after: StoredClaim }[];
  /** The counter's value read, and the value the batch took: the counter moves only if nobody moved it since. */
  controlNumber: { read: number; next: number };
  audit: AuditEvent[];
  response: StoredResponse;
}

export interface BillingStore {
  // Set-up data
  getProfile(): Promise<StoredBillingProfile | undefined>;
  putProfile(ctx: WriteContext, write: RecordWrite<StoredBillingProfile>): Promise<void>;
  listPayers(): Promise<StoredPayer[]>;
  getPayer(id: string): Promise<StoredPayer | undefined>;
  putPayer(ctx: WriteContext, write: RecordWrite<StoredPayer>): Promise<void>;
  listFees(): Promise<FeeScheduleEntry[]>;
  putFee(ctx: WriteContext, write: RecordWrite<FeeScheduleEntry>): Promise<void>;
  listCoverages(patientId: string): Promise<StoredCoverage[]>;
  getCoverage(patientId: string, id: string): Promise<StoredCoverage | undefined>;
  putCoverage(ctx: WriteContext, write: RecordWrite<StoredCoverage>): Promise<void>;

  // Charge capture
  getCharges(patientId: string, encounterId: string): Promise<EncounterCharges | undefined>;
  putCharges(ctx: WriteContext, write: RecordWrite<EncounterCharges>): Promise<void>;

  // Claims
  claimSource(patientId: string, encounterId: string): Promise<ClaimSource>;
  /** Claim + control-number lookup + encounter-and-payer guard (+ audit, idempotency): one transaction. */
  createClaim(
    ctx: WriteContext,
    claim: StoredClaim,
    audit: AuditEvent[],
    response: StoredResponse,
  ): Promise<void>;
  getClaim(id: string): Promise<StoredClaim | undefined>;
  /** Pattern "claim by control number" (CLP01 / a 277CA's claim reference): the claim, or undefined. */
  getClaimByControlNumber(controlNumber: string): Promise<StoredClaim | undefined>;
  /** The id of the claim holding the encounter-and-payer guard, if any. */
  guardHolder(encounterId: string, payerId: string): Promise<string | undefined>;
  listClaims(query: ClaimQuery): Promise<Page<StoredClaim>>;
  changeClaim(ctx: WriteContext, change: ClaimChange): Promise<void>;

  // Batches
  readControlNumber(): Promise<number>;
  createBatch(ctx: WriteContext, write: NewBatch): Promise<void>;
  getBatch(id: string): Promise<ClaimBatch | undefined>;
  getBatchFile(id: string): Promise<string | undefined>;
  markBatchSent(batch: ClaimBatch, sentAt: string): Promise<ClaimBatch>;

  /** Patients' demographics as a claim prints them (patients' door), by id: one BatchGetItem per 100. */
  claimPatients(patientIds: string[]): Promise<Map<string, ClaimPatient>>;
}
