// POST /v1/appointments/{appointmentId}/no-show
import { httpHandler } from '#shared/http/handler.ts';
import { noShowAppointment } from '../routes.ts';
import { SchedulingService } from '../service.ts';

const service = new SchedulingService();

export const handler = httpHandler(noShowAppointment, (input) =>
  service.transition(
    input,
    input.params.appointmentId,
    'no-show',
    noShowAppointment.roles,
    input.expectedVersion,
  ),
);
