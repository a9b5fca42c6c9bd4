// Counters as CloudWatch embedded-metric-format lines: Lambda's log becomes the metric, with no API call and no
// dependency. The alarm on each lives in infra/constructs/monitoring.ts. Names and the practice id only.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
import { config } from './config.ts';

/** Must match CONTINUUM_NAMESPACE in infra/constructs/monitoring.ts. */
export const METRIC_NAMESPACE = 'Continuum';

export type CountedEvent = 'AuditWriteFailures';

/** One line for `event`, dimensioned by practice. Written straight to stdout, so Lambda does not wrap it. */
export function count(
  event: CountedEvent,
  write: (line: string) => void = (l) => process.stdout.write(l),
): void {
  const line = {
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        {
          Namespace: METRIC_NAMESPACE,
          Dimensions: [['Practice']],
          Metrics: [{ Name: event, Unit: 'Count' }],
        },
      ],
    },
    Practice: config().PRACTICE_ID,
    [event]: 1,
  };
  write(`${JSON.stringify(line)}\n`);
}
