// Counters as CloudWatch embedded-metric-format lines: Lambda's log becomes the metric, with no API call and no
// dependency. The alarm on each lives in infra/constructs/monitoring.ts. Names and the practice id only.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
import { config } from './config.ts';

/** Must match CONTINUUM_NAMESPACE in infra/constructs/monitoring.ts. */
export const METRIC_NAMESPACE = 'Continuum';

export type CountedEvent = 'AuditWriteFailures' | 'EdiFilesRefused' | 'ClaimsNearTimelyFiling';

/**
 * What the FHIR mirror counts per stream batch (functions/sharing/handlers/mirror.ts): the batch's records, the
 * resources written, deleted and left alone because the store already held their version, those dead-lettered,
 * and the items handed back to Lambda to retry. Graphed on the tenant's dashboard.
 */
export const MIRROR_METRICS = [
  'MirrorRecords',
  'MirrorWritten',
  'MirrorDeleted',
  'MirrorUnchanged',
  'MirrorDeadLettered',
  'MirrorRetried',
] as const;
export type MirrorMetric = (typeof MIRROR_METRICS)[number];

export type MetricName = CountedEvent | MirrorMetric;

type Write = (line: string) => void;
const stdout: Write = (l) => process.stdout.write(l);

/** One line for `event`, dimensioned by practice. Written straight to stdout, so Lambda does not wrap it. */
export function count(event: CountedEvent, write: Write = stdout): void {
  counts({ [event]: 1 }, write);
}

/**
 * Several counts in one line (one EMF document), dimensioned by practice. Zeros are kept: a batch that wrote
 * nothing is a data point, not a gap.
 */
export function counts(values: Partial<Record<MetricName, number>>, write: Write = stdout): void {
  const names = Object.keys(values) as MetricName[];
  if (names.length === 0) return;
  const line = {
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: METRIC_NAMESPACE,
          Dimensions: [['Practice']],
          Metrics: names.map((Name) => ({ Name, Unit: 'Count' })),
        },
      ],
    },
    Practice: config().PRACTICE_ID,
    ...values,
  };
  write(`${JSON.stringify(line)}\n`);
}
