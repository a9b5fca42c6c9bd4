// The consult note a recipient returned, as the received document that lands in the referring practice's chart:
// built the same way whether it came through the API (an external provider) or the FHIR store (Task.output).
import { createHash } from 'node:crypto';
import { newRecord, type Writer } from '#shared/records.ts';
import type { WriteOp } from '#shared/write.ts';
import type { DocumentContent, ReceivedDocument } from './external-schemas.ts';
import { receivedDocumentPut } from './external-store.ts';
import type { Referral } from './schemas.ts';
import type { ConsultNote } from './store.ts';

/** LOINC document type. https://loinc.org/11488-4 (Consult note) */
export const CONSULT_NOTE_LOINC = '11488-4';

/** One content of a document: its bytes as base64, their size and SHA-256. */
export function documentContent(contentType: string, data: Buffer): DocumentContent {
  return {
    contentType,
    data: data.toString('base64'),
    size: data.length,
    sha256: createHash('sha256').update(data).digest('hex'),
  };
}

export function consultNoteDocument(
  ctx: Writer,
  referral: Referral,
  note: { title: string; author?: string; receivedAt: string; contents: DocumentContent[] },
): ReceivedDocument {
  const stamped = newRecord(ctx, {
    patientId: referral.patientId,
    kind: 'consult-note' as const,
    typeCode: CONSULT_NOTE_LOINC,
    title: note.title,
    receivedAt: note.receivedAt,
    from: {
      organizationId: referral.recipient.organizationId,
      organizationName: referral.recipient.organizationName,
      author: note.author ?? referral.recipient.name,
    },
    referralId: referral.id,
    contents: note.contents,
  });
  return { ...stamped, createdAt: note.receivedAt, updatedAt: note.receivedAt };
}

/**
 * The writes that file a consult note that came through the FHIR store (the exchange poller's `apply`) in the
 * chart: the same received document the API's consult note makes.
 */
export function consultNoteWrites(ctx: Writer, referral: Referral, note: ConsultNote): WriteOp[] {
  const doc = consultNoteDocument(ctx, referral, {
    title: note.title,
    ...(note.author ? { author: note.author } : {}),
    receivedAt: note.receivedAt,
    contents: [documentContent(note.contentType, Buffer.from(note.data, 'base64'))],
  });
  return [receivedDocumentPut(doc)];
}
