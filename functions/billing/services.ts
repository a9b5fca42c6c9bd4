// Billing's use cases, built once per module (outside any handler) with their DynamoDB adapters.
import { AccountsService } from './accounts.ts';
import { DenialsService } from './denials.ts';
import { IngestionService } from './ingestion.ts';
import { PaperClaimsService } from './paper-claims.ts';
import { DynamoRemittanceStore } from './remittance-store.ts';
import { ReportsService } from './reports-service.ts';
import { DynamoBillingStore } from './store.ts';

let accountsService: AccountsService | undefined;
let ingestionService: IngestionService | undefined;
let denialsService: DenialsService | undefined;

export function accounts(): AccountsService {
  const billing = new DynamoBillingStore();
  accountsService ??= new AccountsService(undefined, {
    practice: async () => {
      const profile = await billing.getProfile();
      if (!profile) return undefined;
      const a = profile.address;
      return { name: profile.name, address: [...a.line, `${a.city} ${a.state} ${a.postalCode}`] };
    },
  });
  return accountsService;
}

export function ingestion(): IngestionService {
  const billing = new DynamoBillingStore();
  ingestionService ??= new IngestionService(new DynamoRemittanceStore(), {
    coverages: (patientId) => billing.listCoverages(patientId),
    payers: () => billing.listPayers(),
  });
  return ingestionService;
}

export function denials(): DenialsService {
  denialsService ??= new DenialsService();
  return denialsService;
}

let reportsService: ReportsService | undefined;
let paperClaimsService: PaperClaimsService | undefined;

export function reports(): ReportsService {
  reportsService ??= new ReportsService();
  return reportsService;
}

export function paperClaims(): PaperClaimsService {
  paperClaimsService ??= new PaperClaimsService(new DynamoBillingStore());
  return paperClaimsService;
}
