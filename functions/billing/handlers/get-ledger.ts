// GET /v1/patients/{patientId}/ledger
import { httpHandler } from '#shared/http/handler.ts';
import { getLedger } from '../account-routes.ts';
import { accounts } from '../services.ts';

export const handler = httpHandler(getLedger, (input) => accounts().ledger(input, input.params.patientId));
