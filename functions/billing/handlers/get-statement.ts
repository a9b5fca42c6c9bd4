// GET /v1/patients/{patientId}/statement
import { httpHandler } from '#shared/http/handler.ts';
import { getStatement } from '../account-routes.ts';
import { accounts } from '../services.ts';

export const handler = httpHandler(getStatement, (input) =>
  accounts().statement(input, input.params.patientId, input.query.statementDate),
);
