// POST /v1/appointment-holds
import { httpHandler } from '#shared/http/handler.ts';
import { BookingService } from '../booking.ts';
import { createHold } from '../routes.ts';

const booking = new BookingService();

export const handler = httpHandler(createHold, (input) => booking.hold(input, input.body, createHold.roles));
