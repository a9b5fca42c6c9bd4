// Billing's use cases, built once per module (outside any handler) with their DynamoDB adapters.
import { AccountsService } from './accounts.ts';

let accountsService: AccountsService | undefined;

export function accounts(): AccountsService {
  accountsService ??= new AccountsService();
  return accountsService;
}
