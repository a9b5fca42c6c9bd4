// POST /v1/patients/{patientId}/payments
import { httpHandler } from '#shared/http/handler.ts';
import { createPatientPayment } from '../account-routes.ts';
import { accounts } from '../services.ts';

export const handler = httpHandler(createPatientPayment, (input) =>
  accounts().pay(input, input.params.patientId, input.body),
);
