import { afterEach, describe, expect, it } from 'vitest';
import { resetConfig } from './config.ts';
import { count, counts, METRIC_NAMESPACE } from './metrics.ts';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetConfig();
});

describe('counted events', () => {
  it('are embedded-metric lines CloudWatch turns into a per-practice count, with nothing else in them', () => {
    Object.assign(process.env, { TABLE_NAME: 'unit', PRACTICE_ID: 'acme' });
    resetConfig();
    const lines: string[] = [];
    count('AuditWriteFailures', (l) => lines.push(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith('\n')).toBe(true);
    const emf = JSON.parse(lines[0] as string);
    expect(emf).toEqual({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [
          {
            Namespace: METRIC_NAMESPACE,
            Dimensions: [['Practice']],
            Metrics: [{ Name: 'AuditWriteFailures', Unit: 'Count' }],
          },
        ],
      },
      Practice: 'acme',
      AuditWriteFailures: 1,
    });
  });

  it('several counts go out as one line, zeros included (a batch that wrote nothing is a data point)', () => {
    Object.assign(process.env, { TABLE_NAME: 'unit', PRACTICE_ID: 'acme' });
    resetConfig();
    const lines: string[] = [];
    counts({ MirrorRecords: 3, MirrorWritten: 0 }, (l) => lines.push(l));
    counts({}, (l) => lines.push(l));
    expect(lines).toHaveLength(1);
    const emf = JSON.parse(lines[0] as string);
    expect(emf._aws.CloudWatchMetrics[0].Metrics).toEqual([
      { Name: 'MirrorRecords', Unit: 'Count' },
      { Name: 'MirrorWritten', Unit: 'Count' },
    ]);
    expect(emf).toMatchObject({ Practice: 'acme', MirrorRecords: 3, MirrorWritten: 0 });
  });
});
