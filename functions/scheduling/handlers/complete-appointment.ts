// POST /v1/appointments/{appointmentId}/complete
import { httpHandler } from '#shared/http/handler.ts';
import { completeAppointment } from '../routes.ts';
import { SchedulingService } from '../service.ts';

const service = new SchedulingService();

export const handler = httpHandler(completeAppointment, (input) =>
  service.transition(
    input,
    input.params.appointmentId,
    'complete',
    completeAppointment.roles,
    input.expectedVersion,
  ),
);
