// The EDI outbox: where a claim batch's 837 file goes once the batch is recorded. A port, so submission is the same
// code locally (the local clearinghouse's inbound folder) and in AWS (the tenant's EDI bucket); those adapters are
// chosen by ediOutbox(). MemoryEdiOutbox keeps what was sent, for tests.
import { config } from '#shared/config.ts';
import { S3EdiOutbox } from './s3-edi.ts';

export interface EdiOutbox {
  /**
   * Hands one X12 file to the clearinghouse. `fileName` is unique per batch (it carries the interchange control
   * number), so sending the same batch again overwrites rather than duplicates; clearinghouses also reject a
   * repeated ISA13.
   */
  send(fileName: string, x12: string): Promise<void>;
}

export class MemoryEdiOutbox implements EdiOutbox {
  readonly sent: { fileName: string; x12: string }[] = [];

  async send(fileName: string, x12: string): Promise<void> {
    this.sent.push({ fileName, x12 });
  }
}

let configured: EdiOutbox | undefined;

/**
 * The outbox of this runtime. Adapters (local clearinghouse folder, S3 EDI bucket) are set with useEdiOutbox() by
 * the module that knows the environment; until one is, batches are recorded but stay unsent (status `built`), and
 * `POST /v1/claim-batches/{id}/send` hands them over later.
 */
export function ediOutbox(): EdiOutbox | undefined {
  // In AWS the batch routes carry EDI_BUCKET (route table `ediOutbound`): the S3 adapter, built on first use.
  if (!configured && config().EDI_BUCKET) configured = new S3EdiOutbox(config().EDI_BUCKET as string);
  return configured;
}

export function useEdiOutbox(outbox: EdiOutbox | undefined): void {
  configured = outbox;
}
