// GET /v1/patients/{patientId}/longitudinal
import { httpHandler } from '#shared/http/handler.ts';
import { longitudinal } from '../longitudinal.ts';
import { getLongitudinal } from '../routes.ts';

export const handler = httpHandler(getLongitudinal, (input) => longitudinal(input, input.params.patientId));
