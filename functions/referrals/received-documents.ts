// The practice's reads of documents received from outside (consult notes, imported referral packets): listed under
// the patient for the patient's clinicians, each read audited.

import { patientById } from '#functions/patients/index.ts';
import { auditRead, succeeded } from '#shared/audit.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { openCursor, sealCursor } from '#shared/cursor.ts';
import { NotFoundError } from '#shared/errors.ts';
import type { HttpResult } from '#shared/http/result.ts';
import type { ListQuery } from './external-schemas.ts';
import { DynamoExternalStore, type ExternalStore } from './external-store.ts';

interface ReadContext {
  principal: Principal;
  requestId: string;
}

export class ReceivedDocumentService {
  private readonly store: ExternalStore;

  constructor(store: ExternalStore = new DynamoExternalStore()) {
    this.store = store;
  }

  /** One Query page, newest first; a first page that found nothing proves the patient with one GetItem. */
  async list(ctx: ReadContext, patientId: string, query: ListQuery): Promise<HttpResult> {
    const binding = JSON.stringify({ patientId, limit: query.limit, sub: ctx.principal.sub });
    const after = query.cursor ? await openCursor(query.cursor, binding) : undefined;
    const page = await this.store.receivedDocuments(patientId, {
      limit: query.limit,
      ...(after ? { after } : {}),
    });
    if (page.items.length === 0 && !after && !(await patientById(patientId)))
      throw new NotFoundError('No such patient');
    await auditRead(
      ctx,
      page.items.map((d) => succeeded('received-document.list', 'DocumentReference', d.id, patientId)),
      succeeded('received-document.list', 'DocumentReference', undefined, patientId),
    );
    return {
      status: 200,
      body: {
        items: page.items.map(({ contents, ...doc }) => ({
          ...doc,
          contents: contents.map(({ data: _data, ...meta }) => meta),
        })),
        ...(page.after ? { nextCursor: await sealCursor(page.after, binding) } : {}),
      },
    };
  }

  async read(ctx: ReadContext, patientId: string, documentId: string): Promise<HttpResult> {
    const doc = await this.store.receivedDocument(patientId, documentId);
    if (!doc) throw new NotFoundError('No such document');
    await auditRead(ctx, [succeeded('received-document.read', 'DocumentReference', doc.id, patientId)]);
    return { status: 200, body: doc };
  }
}
