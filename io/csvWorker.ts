import { parentPort } from 'node:worker_threads';

import { type CsvRecord, readCsvRecords } from '../shared/ingest/csvRecords';
import type { IngestLimits } from '../shared/ingest/limits';
import {
  BATCHES_AHEAD,
  carriedCsvError,
  type FromCsvWorker,
  RECORDS_PER_BATCH,
  Signal,
  type ToCsvWorker,
} from './csvOnWorker';

/** The CSV worker (see csvOnWorker.ts): one file at a time, its chunks in, its records out. */
if (parentPort !== null) {
  const port = parentPort;
  const chunks: Buffer[] = [];
  let ended = false;
  let batchesAhead = 0;
  // The parser's feeding and its records loop both wait on it (readCsvRecords runs them side by side).
  const arrived = new Signal();
  const post = (message: FromCsvWorker) => port.postMessage(message);

  async function* input(): AsyncGenerator<Buffer> {
    for (;;) {
      const chunk = chunks.shift();
      if (chunk !== undefined) {
        post({ tookChunk: true });
        yield chunk;
      } else if (ended) return;
      else await arrived.wait();
    }
  }

  const send = async (records: CsvRecord[]) => {
    while (batchesAhead >= BATCHES_AHEAD) await arrived.wait();
    batchesAhead += 1;
    post({ records });
  };

  const parse = async (limits: IngestLimits) => {
    let batch: CsvRecord[] = [];
    try {
      for await (const record of readCsvRecords(input(), limits)) {
        batch.push(record);
        if (batch.length >= RECORDS_PER_BATCH) {
          await send(batch);
          batch = [];
        }
      }
      if (batch.length > 0) await send(batch);
      post({ done: true });
    } catch (error) {
      // The records before the error go first, as the main thread's reader would yield them.
      if (batch.length > 0) await send(batch);
      post({ error: carriedCsvError(error) });
    }
  };

  port.on('message', (message: ToCsvWorker) => {
    if ('start' in message) {
      chunks.length = 0;
      ended = false;
      batchesAhead = 0;
      void parse(message.start);
      return;
    }
    if ('chunk' in message) {
      // A Buffer arrives as a Uint8Array: the same bytes, viewed as a Buffer again.
      const bytes = message.chunk;
      chunks.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } else if ('end' in message) ended = true;
    else batchesAhead -= 1;
    arrived.notify();
  });
}
