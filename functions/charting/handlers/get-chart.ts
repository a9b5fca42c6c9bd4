// GET /v1/patients/{patientId}/chart
import { httpHandler } from '#shared/http/handler.ts';
import { getChart } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(getChart, (input) => service.chart(input, input.params.patientId));
