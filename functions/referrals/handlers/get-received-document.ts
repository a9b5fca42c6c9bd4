// GET /v1/patients/{patientId}/received-documents/{documentId}
import { httpHandler } from '#shared/http/handler.ts';
import { getReceivedDocument } from '../external-routes.ts';
import { ReceivedDocumentService } from '../received-documents.ts';

const service = new ReceivedDocumentService();

export const handler = httpHandler(getReceivedDocument, (input) =>
  service.read(input, input.params.patientId, input.params.documentId),
);
