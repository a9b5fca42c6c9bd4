// POST /v1/appointments/{appointmentId}/reschedule
import { httpHandler } from '#shared/http/handler.ts';
import { BookingService } from '../booking.ts';
import { rescheduleAppointment } from '../routes.ts';

const booking = new BookingService();

export const handler = httpHandler(rescheduleAppointment, (input) =>
  booking.reschedule(
    input,
    input.params.appointmentId,
    input.body,
    rescheduleAppointment.roles,
    input.expectedVersion,
  ),
);
