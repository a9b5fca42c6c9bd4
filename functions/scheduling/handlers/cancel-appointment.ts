// POST /v1/appointments/{appointmentId}/cancel
import { httpHandler } from '#shared/http/handler.ts';
import { cancelAppointment } from '../routes.ts';
import { SchedulingService } from '../service.ts';

const service = new SchedulingService();

export const handler = httpHandler(cancelAppointment, (input) =>
  service.cancel(
    input,
    input.params.appointmentId,
    input.body.reason,
    cancelAppointment.roles,
    // biome-ignore lint/style/noNonNullAssertion: requiresIfMatch makes the stack set it or answer 428.
    input.expectedVersion!,
  ),
);
