// GET /v1/patients/{patientId}/statement/pdf
import { httpHandler } from '#shared/http/handler.ts';
import { getStatementPdf } from '../account-routes.ts';
import { accounts } from '../services.ts';

export const handler = httpHandler(getStatementPdf, (input) =>
  accounts().statementPdf(input, input.params.patientId, input.query.statementDate),
);
