// POST /v1/appointments
import { httpHandler } from '#shared/http/handler.ts';
import { bookAppointment } from '../routes.ts';
import { SchedulingService } from '../service.ts';

const service = new SchedulingService();

export const handler = httpHandler(bookAppointment, (input) =>
  service.book(input, input.body, bookAppointment.roles),
);
