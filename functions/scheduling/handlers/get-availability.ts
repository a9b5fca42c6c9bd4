// GET /v1/availability
import { httpHandler } from '#shared/http/handler.ts';
import { BookingService } from '../booking.ts';
import { getAvailability } from '../routes.ts';

const booking = new BookingService();

export const handler = httpHandler(getAvailability, (input) => booking.availability(input, input.query));
