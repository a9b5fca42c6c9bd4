// Polls DynamoDB Local's stream for a table and hands Lambda-shaped DynamoDBStreamEvent batches to a consumer, with the
// retry contract of a Lambda event source mapping (ReportBatchItemFailures, bisect on error, maximum retries).
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  type DescribeStreamCommandOutput,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type AttributeValue as StreamAttributeValue,
} from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

// biome-ignore lint/suspicious/noConfusingVoidType: a Lambda handler may return nothing (async () => {}), as aws-lambda's DynamoDBStreamHandler allows.
export type StreamConsumer = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;

export interface StreamPollerOptions {
  /** DynamoDB Local's URL; use 127.0.0.1 (it listens on every interface). */
  endpoint: string;
  region?: string;
  tableName: string;
  /** Without one, records are still read and counted (as delivered). */
  consumer?: StreamConsumer;
  /** Most records per consumer call (default 100). */
  batchSize?: number;
  /** Pause between polls when the stream is idle (default 250 ms); retries back off from it. */
  pollIntervalMs?: number;
  /** Redeliveries of a failing record before it is dead-lettered (default 3); splitting a batch does not count. */
  maxRetries?: number;
  /** Called once per record given up on; the default logs it to stderr. */
  onDeadLetter?: (record: DynamoDBRecord, reason: string) => void;
  /** Where to start in the stream that exists at start-up (default TRIM_HORIZON: nothing retained is missed).
   * Streams and shards that appear later (table recreated, shard rollover) are always read from their start. */
  startAt?: 'LATEST' | 'TRIM_HORIZON';
  /** Polling errors (DynamoDB Local down, ...); the default logs each distinct message once to stderr. */
  onError?: (error: unknown) => void;
}

export interface StreamPollerStats {
  /** Records read from the stream. */
  polled: number;
  /** Records the consumer accepted (or, without a consumer, records read). */
  delivered: number;
  /** Records in failed deliveries; a record redelivered three times counts three times. */
  failed: number;
  deadLettered: number;
  /** How long the oldest undelivered record has waited since it was read; 0 when caught up, undefined before the
   * first record. (DynamoDB Local truncates ApproximateCreationDateTime to the minute, so write-time lag is unknowable.) */
  lagMs?: number;
}

export interface StreamPoller {
  stop(): Promise<void>;
  stats(): StreamPollerStats;
  /** Resolves once every record in the stream at the time of the call has been delivered or dead-lettered. */
  drain(): Promise<void>;
}

interface Pending {
  record: DynamoDBRecord;
  sequence: string;
  readAt: number;
}

interface ShardState {
  id: string;
  parentId: string | undefined;
  startType: 'LATEST' | 'TRIM_HORIZON';
  iterator: string | undefined;
  /** Last sequence number read, to resume with AFTER_SEQUENCE_NUMBER when the iterator has to be replaced. */
  lastSequence: string | undefined;
  /** GetRecords returned no next iterator: the shard is closed and fully read. */
  exhausted: boolean;
  pending: Pending[];
  /** Tick in which the last GetRecords returned nothing (for drain). */
  emptyReadTick: number;
  retryAt: number;
  consecutiveFailures: number;
  headSequence: string | undefined;
  headFailures: number;
  batchLimit: number;
  /** After a bisect, batches stay small until this record is past, so the good records are not redelivered. */
  narrowUntil: string | undefined;
}

interface StreamState {
  arn: string;
  shards: Map<string, ShardState>;
  /** No longer the table's latest stream (table deleted or recreated): dropped once read to the end. */
  retired: boolean;
}

interface DrainWaiter {
  started: boolean;
  resolve(): void;
  reject(error: Error): void;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const MAX_RETRY_DELAY_MS = 5_000;
const GET_RECORDS_LIMIT = 1000;
const DRAIN_GIVES_UP_AFTER_ERRORS = 5;

function errorName(error: unknown): string {
  return (error as { name?: string } | undefined)?.name ?? '';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function toLambdaValue(value: StreamAttributeValue): AttributeValue {
  // The SDK gives binary as Uint8Array; a Lambda event carries it base64-encoded, as the JSON on the wire does.
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaValue) };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  throw new Error(`Unknown attribute value type: ${Object.keys(value).join(', ')}`);
}

function toLambdaImage(image: Record<string, StreamAttributeValue>): Record<string, AttributeValue> {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, toLambdaValue(value)]));
}

/** Converts an SDK stream record into the shape Lambda hands a function (dates in epoch seconds, binary base64). */
export function toLambdaRecord(record: _Record, streamArn: string): DynamoDBRecord {
  const stream = record.dynamodb ?? {};
  const created = stream.ApproximateCreationDateTime;
  return {
    ...(record.eventID !== undefined ? { eventID: record.eventID } : {}),
    ...(record.eventName !== undefined ? { eventName: record.eventName } : {}),
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    ...(record.awsRegion !== undefined ? { awsRegion: record.awsRegion } : {}),
    dynamodb: {
      ...(created ? { ApproximateCreationDateTime: Math.floor(created.getTime() / 1000) } : {}),
      ...(stream.Keys ? { Keys: toLambdaImage(stream.Keys) } : {}),
      ...(stream.NewImage ? { NewImage: toLambdaImage(stream.NewImage) } : {}),
      ...(stream.OldImage ? { OldImage: toLambdaImage(stream.OldImage) } : {}),
      ...(stream.SequenceNumber !== undefined ? { SequenceNumber: stream.SequenceNumber } : {}),
      ...(stream.SizeBytes !== undefined ? { SizeBytes: stream.SizeBytes } : {}),
      ...(stream.StreamViewType !== undefined ? { StreamViewType: stream.StreamViewType } : {}),
    },
    eventSourceARN: streamArn,
    // TTL deletions carry the service identity; Lambda spells the fields in lower camel case.
    ...(record.userIdentity
      ? { userIdentity: { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId } }
      : {}),
  };
}

/** Starts polling at once; `stop()` ends it. Records are delivered in order per shard, children after parents. */
export function startStreamPoller(options: StreamPollerOptions): StreamPoller {
  const batchSize = Math.max(1, options.batchSize ?? 100);
  const pollIntervalMs = Math.max(1, options.pollIntervalMs ?? 250);
  const maxRetries = Math.max(0, options.maxRetries ?? 3);
  const startAt = options.startAt ?? 'TRIM_HORIZON';
  const { consumer, tableName } = options;
  const clientConfig = {
    endpoint: options.endpoint,
    region: options.region ?? 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 1,
  };
  const tables = new DynamoDBClient(clientConfig);
  const streamsClient = new DynamoDBStreamsClient(clientConfig);
  const abort = new AbortController();
  const send = { abortSignal: abort.signal };

  const counts = { polled: 0, delivered: 0, failed: 0, deadLettered: 0 };
  const streams: StreamState[] = [];
  const drains: DrainWaiter[] = [];
  let firstDiscovery = true;
  let discoveryDue = true;
  let lastDiscovery = 0;
  let tick = 0;
  let consecutiveErrors = 0;
  let lastErrorMessage = '';
  let stopped = false;
  let sleeping: { timer: NodeJS.Timeout; done(): void } | undefined;
  let wakeRequested = false;

  const onDeadLetter =
    options.onDeadLetter ??
    ((record: DynamoDBRecord, reason: string) => {
      console.warn(
        `[stream-poller] ${tableName}: gave up on ${record.eventName} ${record.dynamodb?.SequenceNumber} (${JSON.stringify(record.dynamodb?.Keys)}): ${reason}`,
      );
    });
  const onError =
    options.onError ??
    ((error: unknown) => {
      const message = errorMessage(error);
      if (message === lastErrorMessage) return;
      lastErrorMessage = message;
      console.warn(`[stream-poller] ${tableName}: ${message}`);
    });

  function newShard(
    id: string,
    parentId: string | undefined,
    startType: ShardState['startType'],
  ): ShardState {
    return {
      id,
      parentId,
      startType,
      iterator: undefined,
      lastSequence: undefined,
      exhausted: false,
      pending: [],
      emptyReadTick: -1,
      retryAt: 0,
      consecutiveFailures: 0,
      headSequence: undefined,
      headFailures: 0,
      batchLimit: batchSize,
      narrowUntil: undefined,
    };
  }

  async function discover(): Promise<void> {
    let arn: string | undefined;
    try {
      const { Table } = await tables.send(new DescribeTableCommand({ TableName: tableName }), send);
      arn = Table?.StreamSpecification?.StreamEnabled ? Table.LatestStreamArn : undefined;
    } catch (error) {
      // No table yet (or deleted): nothing to read until it appears.
      if (errorName(error) !== 'ResourceNotFoundException') throw error;
    }
    for (const stream of streams) if (stream.arn !== arn) stream.retired = true;
    if (arn && !streams.some((s) => s.arn === arn)) streams.push({ arn, shards: new Map(), retired: false });
    for (const stream of [...streams]) await describeShards(stream);
    firstDiscovery = false;
    discoveryDue = false;
    lastDiscovery = Date.now();
  }

  async function describeShards(stream: StreamState): Promise<void> {
    let exclusiveStartShardId: string | undefined;
    do {
      let description: DescribeStreamCommandOutput['StreamDescription'];
      try {
        ({ StreamDescription: description } = await streamsClient.send(
          new DescribeStreamCommand({ StreamArn: stream.arn, ExclusiveStartShardId: exclusiveStartShardId }),
          send,
        ));
      } catch (error) {
        // The stream is gone (DynamoDB Local restarted in memory): its records cannot be read any more.
        if (errorName(error) === 'ResourceNotFoundException') {
          streams.splice(streams.indexOf(stream), 1);
          return;
        }
        throw error;
      }
      for (const shard of description?.Shards ?? []) {
        if (!shard.ShardId || stream.shards.has(shard.ShardId)) continue;
        const closed = shard.SequenceNumberRange?.EndingSequenceNumber !== undefined;
        const state = newShard(shard.ShardId, shard.ParentShardId, 'TRIM_HORIZON');
        if (firstDiscovery && startAt === 'LATEST') {
          // Starting at LATEST: shards closed before start hold only the past; open ones are read from now on.
          if (closed) state.exhausted = true;
          else state.startType = 'LATEST';
        }
        stream.shards.set(shard.ShardId, state);
      }
      exclusiveStartShardId = description?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
  }

  function finished(shard: ShardState): boolean {
    return shard.exhausted && shard.pending.length === 0;
  }

  function readable(stream: StreamState, shard: ShardState): boolean {
    const parent = shard.parentId ? stream.shards.get(shard.parentId) : undefined;
    return !parent || finished(parent);
  }

  async function read(stream: StreamState, shard: ShardState): Promise<void> {
    if (!shard.iterator) {
      const { ShardIterator } = await streamsClient.send(
        new GetShardIteratorCommand({
          StreamArn: stream.arn,
          ShardId: shard.id,
          ...(shard.lastSequence
            ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: shard.lastSequence }
            : { ShardIteratorType: shard.startType }),
        }),
        send,
      );
      if (!ShardIterator) {
        shard.exhausted = true;
        return;
      }
      shard.iterator = ShardIterator;
    }
    let output: GetRecordsCommandOutput;
    try {
      output = await streamsClient.send(
        new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: GET_RECORDS_LIMIT }),
        send,
      );
    } catch (error) {
      switch (errorName(error)) {
        case 'ExpiredIteratorException':
          shard.iterator = undefined;
          return;
        case 'TrimmedDataAccessException':
          // What we were about to read has aged out; continue from the oldest record still there.
          shard.iterator = undefined;
          shard.lastSequence = undefined;
          shard.startType = 'TRIM_HORIZON';
          return;
        case 'ResourceNotFoundException':
          shard.exhausted = true;
          discoveryDue = true;
          return;
        default:
          throw error;
      }
    }
    const now = Date.now();
    for (const record of output.Records ?? []) {
      const sequence = record.dynamodb?.SequenceNumber ?? '';
      shard.pending.push({ record: toLambdaRecord(record, stream.arn), sequence, readAt: now });
      shard.lastSequence = sequence;
      counts.polled += 1;
    }
    if (!output.Records?.length) shard.emptyReadTick = tick;
    shard.iterator = output.NextShardIterator;
    if (!output.NextShardIterator) {
      shard.exhausted = true;
      // A closed shard usually has children to pick up.
      discoveryDue = true;
    }
  }

  function remove(shard: ShardState, count: number): Pending[] {
    const removed = shard.pending.splice(0, count);
    if (shard.narrowUntil && removed.some((p) => p.sequence === shard.narrowUntil)) {
      shard.narrowUntil = undefined;
      shard.batchLimit = batchSize;
    }
    return removed;
  }

  function acknowledge(shard: ShardState, count: number): void {
    if (count === 0) return;
    remove(shard, count);
    counts.delivered += count;
    shard.consecutiveFailures = 0;
  }

  function scheduleRetry(shard: ShardState): void {
    shard.consecutiveFailures += 1;
    const delay = Math.min(pollIntervalMs * 2 ** (shard.consecutiveFailures - 1), MAX_RETRY_DELAY_MS);
    shard.retryAt = Date.now() + delay;
  }

  /** Delivers one batch. Returns false when the shard has to wait before the next attempt. */
  async function deliver(shard: ShardState): Promise<boolean> {
    const batch = shard.pending.slice(0, shard.batchLimit);
    if (!consumer) {
      acknowledge(shard, batch.length);
      return true;
    }
    let failedAt: number | undefined;
    let threw = false;
    let reason = '';
    try {
      // A copy per delivery: a consumer that mutates its event must not change what a retry sees.
      const response = await consumer({ Records: structuredClone(batch.map((p) => p.record)) });
      const failures = response?.batchItemFailures ?? [];
      if (failures.length > 0) {
        const indexes = failures.map((f) => batch.findIndex((p) => p.sequence === f?.itemIdentifier));
        if (indexes.some((i) => i < 0)) {
          // Lambda treats an identifier it cannot match (missing, empty, not in the batch) as a failed batch.
          threw = true;
          reason = 'consumer reported an itemIdentifier that is not in the batch';
        } else {
          failedAt = Math.min(...indexes);
          reason = 'consumer reported it in batchItemFailures';
        }
      }
    } catch (error) {
      threw = true;
      reason = `consumer threw: ${errorMessage(error)}`;
    }
    if (!threw && failedAt === undefined) {
      acknowledge(shard, batch.length);
      return true;
    }
    if (threw && batch.length > 1) {
      // Bisect on error: retry the first half; splitting does not use up the records' retries (as in Lambda).
      counts.failed += batch.length;
      shard.narrowUntil ??= batch.at(-1)?.sequence;
      shard.batchLimit = Math.ceil(batch.length / 2);
      scheduleRetry(shard);
      return false;
    }
    // The records before the first failed one were processed; redelivery starts at the failed one.
    const start = failedAt ?? 0;
    acknowledge(shard, start);
    counts.failed += batch.length - start;
    const head = shard.pending[0] as Pending;
    shard.headFailures = shard.headSequence === head.sequence ? shard.headFailures + 1 : 1;
    shard.headSequence = head.sequence;
    if (shard.headFailures > maxRetries) {
      remove(shard, 1);
      counts.deadLettered += 1;
      shard.headSequence = undefined;
      shard.headFailures = 0;
      shard.consecutiveFailures = 0;
      try {
        onDeadLetter(
          head.record,
          `${reason}; gave up after ${maxRetries} ${maxRetries === 1 ? 'retry' : 'retries'}`,
        );
      } catch (error) {
        onError(error);
      }
      return true;
    }
    scheduleRetry(shard);
    return false;
  }

  async function pump(stream: StreamState, shard: ShardState): Promise<boolean> {
    if (stopped || finished(shard) || !readable(stream, shard) || Date.now() < shard.retryAt) return false;
    let progressed = false;
    if (shard.pending.length === 0 && !shard.exhausted) {
      const before = counts.polled;
      await read(stream, shard);
      progressed = counts.polled > before || finished(shard);
    }
    while (!stopped && shard.pending.length > 0) {
      const delivered = await deliver(shard);
      progressed = true;
      if (!delivered) break;
    }
    return progressed;
  }

  function idle(): boolean {
    return streams.every((stream) =>
      [...stream.shards.values()].every(
        (shard) => finished(shard) || (shard.pending.length === 0 && shard.emptyReadTick === tick),
      ),
    );
  }

  /** One pass: discover if due, then read and deliver the oldest live stream's shards. Returns whether it did work. */
  async function runTick(): Promise<boolean> {
    tick += 1;
    const waiting = drains.filter((d) => !d.started);
    for (const drain of waiting) drain.started = true;
    if (
      waiting.length > 0 ||
      discoveryDue ||
      Date.now() - lastDiscovery > Math.max(2_000, pollIntervalMs * 8)
    ) {
      await discover();
    }
    let progressed = false;
    // Records of a deleted or replaced table's stream go first; the new stream waits until they are through.
    while (streams[0]?.retired && [...streams[0].shards.values()].every(finished)) {
      streams.shift();
      progressed = true;
    }
    const stream = streams[0];
    if (stream) {
      for (const shard of stream.shards.values()) {
        if (await pump(stream, shard)) progressed = true;
      }
    }
    if (!stopped && streams.length <= 1 && idle()) {
      for (const drain of drains.filter((d) => d.started)) {
        drains.splice(drains.indexOf(drain), 1);
        drain.resolve();
      }
    }
    return progressed;
  }

  function nextDelay(): number {
    let delay = pollIntervalMs;
    const now = Date.now();
    for (const shard of streams[0]?.shards.values() ?? []) {
      if (shard.pending.length > 0 && shard.retryAt > now) delay = Math.min(delay, shard.retryAt - now);
    }
    return Math.max(1, delay);
  }

  function sleep(ms: number): Promise<void> {
    if (wakeRequested || stopped) {
      wakeRequested = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleeping = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleeping = { timer, done };
    });
  }

  function wake(): void {
    if (sleeping) sleeping.done();
    else wakeRequested = true;
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      let progressed = false;
      try {
        progressed = await runTick();
        consecutiveErrors = 0;
        lastErrorMessage = '';
      } catch (error) {
        if (stopped) break;
        consecutiveErrors += 1;
        onError(error);
        discoveryDue = true;
        if (consecutiveErrors >= DRAIN_GIVES_UP_AFTER_ERRORS) {
          for (const drain of drains.splice(0)) {
            drain.reject(
              new Error(`Stream poller cannot read the stream: ${errorMessage(error)}`, { cause: error }),
            );
          }
        }
        await sleep(Math.min(pollIntervalMs * 2 ** (consecutiveErrors - 1), MAX_RETRY_DELAY_MS));
        continue;
      }
      // After work, only yield (more may be waiting); when idle, wait for the poll interval or the next retry.
      await sleep(progressed ? 0 : nextDelay());
    }
  }

  const running = loop();

  return {
    async stop() {
      if (stopped) return running;
      stopped = true;
      abort.abort();
      wake();
      await running;
      for (const drain of drains.splice(0))
        drain.reject(new Error('Stream poller stopped before the stream drained'));
      tables.destroy();
      streamsClient.destroy();
    },
    stats() {
      let oldest: number | undefined;
      for (const stream of streams) {
        for (const shard of stream.shards.values()) {
          const first = shard.pending[0];
          if (first && (oldest === undefined || first.readAt < oldest)) oldest = first.readAt;
        }
      }
      const lagMs = oldest !== undefined ? Date.now() - oldest : counts.polled > 0 ? 0 : undefined;
      return { ...counts, ...(lagMs !== undefined ? { lagMs } : {}) };
    },
    drain() {
      if (stopped) return Promise.reject(new Error('Stream poller is stopped'));
      return new Promise<void>((resolve, reject) => {
        drains.push({ started: false, resolve, reject });
        wake();
      });
    },
  };
}
