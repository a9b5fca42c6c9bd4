// The EDI bucket in AWS: the EdiOutbox adapter that puts 837 files under outbound/ (the clearinghouse's SFTP bridge
// or API connector picks them up there), and reading inbound/ files for ingestion. The bucket encrypts with the
// tenant's KMS key by default, so no per-request encryption settings are needed.
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { config } from '#shared/config.ts';

export const EDI_PREFIX = { outbound: 'outbound/', inbound: 'inbound/', refused: 'refused/' } as const;

let client: S3Client | undefined;
const s3 = () => {
  client ??= new S3Client({ region: config().AWS_REGION });
  return client;
};

/** The EdiOutbox port (outbox.ts) for AWS. */
export class S3EdiOutbox {
  private readonly bucket: string;

  constructor(bucket: string) {
    this.bucket = bucket;
  }

  async send(fileName: string, x12: string): Promise<void> {
    await s3().send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: `${EDI_PREFIX.outbound}${fileName}`,
        Body: x12,
        ContentType: 'application/edi-x12',
      }),
    );
  }
}

export async function readEdiObject(bucket: string, key: string): Promise<string> {
  const out = await s3().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await out.Body?.transformToString('utf8')) ?? '';
}

/** A refused file's reasons, beside it under refused/ (the file itself stays in inbound/, versioned). */
export async function writeRefusal(bucket: string, key: string, reasons: unknown): Promise<void> {
  await s3().send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: `${EDI_PREFIX.refused}${key.slice(EDI_PREFIX.inbound.length)}.error.json`,
      Body: JSON.stringify(reasons, null, 2),
      ContentType: 'application/json',
    }),
  );
}
