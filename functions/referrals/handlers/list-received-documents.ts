// GET /v1/patients/{patientId}/received-documents
import { httpHandler } from '#shared/http/handler.ts';
import { listReceivedDocuments } from '../external-routes.ts';
import { ReceivedDocumentService } from '../received-documents.ts';

const service = new ReceivedDocumentService();

export const handler = httpHandler(listReceivedDocuments, (input) =>
  service.list(input, input.params.patientId, input.query),
);
