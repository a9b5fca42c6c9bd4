// GET /v1/patients/{patientId}/timeline
import { httpHandler } from '#shared/http/handler.ts';
import { getTimeline } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(getTimeline, (input) =>
  service.timeline(input, input.params.patientId, input.query),
);
