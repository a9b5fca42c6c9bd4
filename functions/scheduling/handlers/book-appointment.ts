// POST /v1/appointments
import { httpHandler } from '#shared/http/handler.ts';
import { BookingService } from '../booking.ts';
import { bookAppointment } from '../routes.ts';

const booking = new BookingService();

export const handler = httpHandler(bookAppointment, (input) =>
  booking.book(input, input.body, bookAppointment.roles),
);
