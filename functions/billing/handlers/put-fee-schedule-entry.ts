// PUT /v1/fee-schedule/{entry}
import { httpHandler } from '#shared/http/handler.ts';
import { putFeeScheduleEntry } from '../routes.ts';
import { BillingSetupService } from '../setup.ts';

const service = new BillingSetupService();

export const handler = httpHandler(putFeeScheduleEntry, (input) =>
  service.putFee(input, input.params.entry, input.expectedVersion, input.body),
);
