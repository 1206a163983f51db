/**
 * Hostile inputs, measured (issue 11's "Done means"): generates in a temp folder a zip bomb
 * (2 GiB of zeros deflated, as a .csv and as a .json entry, with an honest and with a lying
 * central directory), a 1 GB single-line CSV (streamed to disk), a 20 MB cell, 200,000 columns
 * and random binary (as a CSV and as a zip), then runs each
 *
 *   - through the CLI (`caliper ingest FILE`, a child process; peak RSS from /usr/bin/time or
 *     the child's VmHWM), and
 *   - through the API (`POST /api/ingest` to the local host of `npm start`, a child process;
 *     peak RSS from the server's VmHWM, reset before each upload),
 *
 * measuring wall time and peak RSS; while each zip bomb is refused for tenant A, a small upload
 * of tenant B runs, and its latency is measured beside its latency alone. Batch requests with an
 * over-long id (finding 7: 150 MB, with and without Content-Length; a body just within the
 * batch's 32 MiB limit; 1 MB) close the table. Prints the table in Markdown (as
 * docs/security.md keeps it) and exits 1 when a target is missed: every input refused, within
 * 10 s, under 300 MB peak RSS, and B answered while A's bomb is refused.
 *
 *   npm run hostile [-- --keep] [-- --only bomb,line,cell,columns,random,batch]
 *
 * Everything is generated and spawned locally (loopback only); the temp folder is removed at
 * the end unless --keep.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

import yazl from 'yazl';

import { runDemo } from '../cli/commands/demoCommand';
import { runIngest } from '../cli/commands/ingestCommand';
import { createKey } from '../cli/commands/keysCommand';
import { SqliteStore } from '../store/sqlite/sqlite-store';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** The Done-means targets; a miss is printed with its cause and fails the run. */
const TARGET = { seconds: 10, rssMb: 300 };

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli', 'caliper.js');
const START = path.join(ROOT, 'dist', 'cli', 'start.js');

const log = (text: string) => process.stderr.write(`${text}\n`);

// ---------------------------------------------------------------------------------------------
// Inputs

interface Input {
  name: string;
  file: string;
  /** How the API gets it. */
  contentType: 'application/zip' | 'text/csv';
  /** `?file=` for a single CSV upload. */
  fileName?: string;
  /** Sent without Content-Length (chunked), so the server meets the size only as it streams. */
  chunked?: boolean;
  group: string;
}

/** Writes `bytes` of `chunk` repeated to `stream`, honouring backpressure. */
async function writeRepeated(stream: NodeJS.WritableStream, chunk: Buffer, bytes: number): Promise<void> {
  let left = bytes;
  while (left > 0) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    left -= piece.length;
    if (!stream.write(piece)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  }
}

async function writeFileStreamed(file: string, write: (out: fs.WriteStream) => Promise<void>): Promise<void> {
  const out = fs.createWriteStream(file);
  await write(out);
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

/** 2 GiB of one byte repeated (zero bytes by default), deflated once to a file; its CRC-32 alongside. */
async function deflatedZeros(dir: string, byte = 0): Promise<{ file: string; crc: number; bytes: number }> {
  const file = path.join(dir, `repeated-${byte}.deflate`);
  const zeros = Buffer.alloc(MiB, byte);
  let crc = 0;
  for (let i = 0; i < 2048; i += 1) crc = zlib.crc32(zeros, crc);
  const deflate = zlib.createDeflateRaw({ level: 9 });
  const done = pipeline(deflate, fs.createWriteStream(file));
  await writeRepeated(deflate, zeros, 2 * GiB);
  deflate.end();
  await done;
  return { file, crc, bytes: 2 * GiB };
}

/**
 * A zip of one deflated entry, written by hand so its central directory can say what the test
 * wants: the truth (2 GiB) or a lie (`declared` bytes), as a crafted bomb does.
 */
async function writeZip(
  file: string,
  entryName: string,
  data: { file: string; crc: number },
  declared: number,
): Promise<void> {
  const compressed = fs.statSync(data.file).size;
  const name = Buffer.from(entryName, 'utf8');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt16LE(0x0800, 6); // UTF-8 names
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt16LE(0, 10); // time
  local.writeUInt16LE(0x21, 12); // 1980-01-01
  local.writeUInt32LE(data.crc >>> 0, 14);
  local.writeUInt32LE(compressed, 18);
  local.writeUInt32LE(declared, 22);
  local.writeUInt16LE(name.length, 26);
  local.writeUInt16LE(0, 28);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(0x031e, 4); // made by: Unix, 3.0
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0x0800, 8);
  central.writeUInt16LE(8, 10);
  central.writeUInt16LE(0, 12);
  central.writeUInt16LE(0x21, 14);
  central.writeUInt32LE(data.crc >>> 0, 16);
  central.writeUInt32LE(compressed, 20);
  central.writeUInt32LE(declared, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: a regular file
  central.writeUInt32LE(0, 42); // local header at 0
  const centralOffset = local.length + name.length + compressed;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  await writeFileStreamed(file, async (out) => {
    out.write(Buffer.concat([local, name]));
    for await (const chunk of fs.createReadStream(data.file)) {
      if (!out.write(chunk as Buffer))
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    out.write(Buffer.concat([central, name, end]));
  });
}

/** The columns of a canonical sales.csv, for rows that look real up to the hostile cell. */
const SALES_HEADER =
  'line_id,location_id,sold_on,patient_id,provider_id,appointment_id,kind,service_code,gross,discount,tax,tip\n';

async function generateInputs(dir: string, only: Set<string> | null): Promise<Input[]> {
  const want = (group: string) => only === null || only.has(group);
  const inputs: Input[] = [];
  if (want('bomb')) {
    log('generating: 2 GiB of zeros, deflated (about 15 s)…');
    const zeros = await deflatedZeros(dir);
    const bomb = path.join(dir, 'bomb-csv.zip');
    await writeZip(bomb, 'sales.csv', zeros, zeros.bytes);
    inputs.push({
      name: 'zip bomb: 2 GiB of zeros as sales.csv',
      file: bomb,
      contentType: 'application/zip',
      group: 'bomb',
    });
    const json = path.join(dir, 'bomb-json.zip');
    await writeZip(json, 'orders.json', zeros, zeros.bytes);
    inputs.push({
      name: 'zip bomb: 2 GiB of zeros as orders.json',
      file: json,
      contentType: 'application/zip',
      group: 'bomb',
    });
    // The directory says 1 MB, under every limit and ratio: only counting as it inflates stops it.
    const lying = path.join(dir, 'bomb-lying.zip');
    await writeZip(lying, 'sales.csv', zeros, MiB);
    inputs.push({
      name: 'zip bomb, directory lies (1 MiB declared) as sales.csv',
      file: lying,
      contentType: 'application/zip',
      group: 'bomb',
    });
    const lyingJson = path.join(dir, 'bomb-lying-json.zip');
    await writeZip(lyingJson, 'orders.json', zeros, MiB);
    inputs.push({
      name: 'zip bomb, directory lies (1 MiB declared) as orders.json',
      file: lyingJson,
      contentType: 'application/zip',
      group: 'bomb',
    });
    fs.rmSync(zeros.file);
    // Text this time ("0" characters, no line break), so no "not a text file" check stops it
    // first: only the bytes counted as they inflate, and the line limit, do.
    log('generating: 2 GiB of "0" characters, deflated (about 15 s)…');
    const digits = await deflatedZeros(dir, 0x30);
    const text = path.join(dir, 'bomb-lying-text.zip');
    await writeZip(text, 'sales.csv', digits, MiB);
    inputs.push({
      name: 'zip bomb of 2 GiB of "0" characters, directory lies (1 MiB declared), as sales.csv',
      file: text,
      contentType: 'application/zip',
      group: 'bomb',
    });
    fs.rmSync(digits.file);
  }
  if (want('line')) {
    log('generating: a 1 GB single-line CSV…');
    const file = path.join(dir, 'line', 'sales.csv');
    fs.mkdirSync(path.dirname(file));
    // 1,000-byte cells: the line passes the cell limit and reaches the line limit before the column limit.
    const cell = Buffer.from(`${'x'.repeat(999)},`);
    const chunk = Buffer.concat(Array.from({ length: 1024 }, () => cell));
    await writeFileStreamed(file, (out) => writeRepeated(out, chunk, 1e9));
    inputs.push({
      name: '1 GB single-line CSV',
      file,
      contentType: 'text/csv',
      fileName: 'sales.csv',
      group: 'line',
    });
    inputs.push({
      name: '1 GB single-line CSV, chunked (no Content-Length)',
      file,
      contentType: 'text/csv',
      fileName: 'sales.csv',
      chunked: true,
      group: 'line',
    });
  }
  if (want('cell')) {
    const file = path.join(dir, 'cell', 'sales.csv');
    fs.mkdirSync(path.dirname(file));
    await writeFileStreamed(file, async (out) => {
      out.write(SALES_HEADER);
      out.write('S1,L1,2025-01-02,PT1,PR1,A1,service,"');
      await writeRepeated(out, Buffer.from('y'.repeat(MiB)), 20 * MiB);
      out.write('",520.00,0,0,0\n');
    });
    inputs.push({ name: '20 MB cell', file, contentType: 'text/csv', fileName: 'sales.csv', group: 'cell' });
  }
  if (want('columns')) {
    const file = path.join(dir, 'columns', 'sales.csv');
    fs.mkdirSync(path.dirname(file));
    await writeFileStreamed(file, async (out) => {
      out.write(SALES_HEADER);
      await writeRepeated(out, Buffer.from('1,'.repeat(1000)), 2 * 200_000);
      out.write('1\n');
    });
    inputs.push({
      name: '200,000 columns',
      file,
      contentType: 'text/csv',
      fileName: 'sales.csv',
      group: 'columns',
    });
  }
  if (want('random')) {
    const file = path.join(dir, 'random', 'sales.csv');
    fs.mkdirSync(path.dirname(file));
    await writeFileStreamed(file, async (out) => {
      for (let i = 0; i < 64; i += 1) {
        if (!out.write(randomBytes(MiB)))
          await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
    });
    inputs.push({
      name: 'random binary (64 MiB) as sales.csv',
      file,
      contentType: 'text/csv',
      fileName: 'sales.csv',
      group: 'random',
    });
    const zip = path.join(dir, 'random.zip');
    fs.writeFileSync(zip, randomBytes(8 * MiB));
    inputs.push({
      name: 'random binary (8 MiB) as a .zip',
      file: zip,
      contentType: 'application/zip',
      group: 'random',
    });
  }
  return inputs;
}

// ---------------------------------------------------------------------------------------------
// Measuring

interface Row {
  input: string;
  size: string;
  via: string;
  outcome: string;
  seconds: number;
  rssMb: number | null;
  refused: boolean;
  note?: string;
}

function formatSize(bytes: number): string {
  if (bytes >= GiB) return `${(bytes / GiB).toFixed(2)} GiB`;
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(1)} MiB`;
  return `${(bytes / 1024).toFixed(0)} KiB`;
}

function statusOf(pid: number): Record<string, number> {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const out: Record<string, number> = {};
    for (const m of text.matchAll(/^(Vm\w+):\s+(\d+) kB/gm)) out[m[1] ?? ''] = Number(m[2]);
    return out;
  } catch {
    return {};
  }
}

/** Resets a process's peak RSS to its current RSS (Linux `clear_refs` 5); false where not allowed. */
function resetPeak(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** The first line of the CLI's failure or the report's failure, cut short: what the refusal said. */
function cliReason(stdout: string): string {
  try {
    const json = JSON.parse(stdout) as {
      failure?: string;
      conversion_issues?: { message?: string }[];
      files?: { issues?: { message?: string }[] }[];
    };
    const message =
      json.conversion_issues?.[0]?.message ??
      json.files?.flatMap((f) => f.issues ?? [])[0]?.message ??
      json.failure;
    return (message ?? '').slice(0, 160);
  } catch {
    return stdout.trim().split('\n')[0]?.slice(0, 160) ?? '';
  }
}

async function runCli(input: Input, dir: string): Promise<Row> {
  const store = path.join(
    dir,
    `cli-${path.basename(path.dirname(input.file))}-${path.basename(input.file)}.db`,
  );
  const useTime = fs.existsSync('/usr/bin/time');
  const timeFile = path.join(dir, 'time.txt');
  const args = [CLI, 'ingest', input.file, '--store', store, '--json'];
  const started = performance.now();
  const child = useTime
    ? spawn('/usr/bin/time', ['-f', '%M', '-o', timeFile, process.execPath, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString('utf8');
  });
  child.stderr.resume();
  let peakKb = 0;
  const sampler = useTime
    ? undefined
    : setInterval(() => {
        peakKb = Math.max(peakKb, statusOf(child.pid ?? -1).VmHWM ?? 0);
      }, 10);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const seconds = (performance.now() - started) / 1000;
  if (sampler) clearInterval(sampler);
  if (useTime) peakKb = Number(fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop());
  fs.rmSync(store, { force: true });
  return {
    input: input.name,
    size: formatSize(fs.statSync(input.file).size),
    via: 'CLI',
    outcome: `exit ${code}: ${cliReason(stdout)}`,
    seconds,
    rssMb: peakKb / 1024,
    refused: code === 1,
  };
}

interface Server {
  child: ChildProcess;
  url: URL;
  pid: number;
  stop(): Promise<void>;
}

async function startServer(store: string, tmp: string): Promise<Server> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CALIPER_STORE: store,
    CALIPER_HTTPS: 'off',
    PORT: '0',
    TMPDIR: tmp,
  };
  delete env.CALIPER_TENANT;
  delete env.CALIPER_AUTH_MODE;
  const child = spawn(process.execPath, [START], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString('utf8');
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  for (;;) {
    const url = /on (http:\/\/\S+)\n/.exec(stdout)?.[1];
    if (url !== undefined && stdout.includes('Press Ctrl+C to stop.')) {
      return {
        child,
        url: new URL(url.replace('localhost', '127.0.0.1')),
        pid: child.pid ?? -1,
        stop: async () => {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        },
      };
    }
    if (gone) throw new Error(`the local host did not start:\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Answer {
  status: number;
  body: string;
  seconds: number;
}

/**
 * One POST as curl sends it: Content-Length and, for a body over 1 MB, `Expect: 100-continue`
 * (the body goes only when the server asks); or chunked, without a length. A server that
 * answers before the body is all sent ends the exchange: the rest is not sent.
 */
function post(
  url: URL,
  pathAndQuery: string,
  headers: Record<string, string>,
  body: { file: string } | { bytes: Buffer },
  chunked = false,
): Promise<Answer> {
  const started = performance.now();
  const size = 'file' in body ? fs.statSync(body.file).size : body.bytes.length;
  const expect = !chunked && size > MiB;
  return new Promise<Answer>((resolve, reject) => {
    const request = http.request(new URL(pathAndQuery, url), {
      method: 'POST',
      headers: {
        ...headers,
        ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(size) }),
        ...(expect ? { expect: '100-continue' } : {}),
      },
    });
    let answered = false;
    const source = 'file' in body ? fs.createReadStream(body.file) : null;
    const send = () => {
      if (source === null) request.end('bytes' in body ? body.bytes : undefined);
      else source.pipe(request);
    };
    request.on('response', (response) => {
      answered = true;
      source?.unpipe(request);
      source?.destroy();
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => {
        resolve({
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          seconds: (performance.now() - started) / 1000,
        });
        request.destroy();
      });
    });
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (expect) {
      request.on('continue', send);
      request.flushHeaders();
    } else send();
  });
}

function apiReason(answer: Answer): string {
  try {
    const json = JSON.parse(answer.body) as {
      error?: { code?: string; message?: string };
      failure?: string;
      committed?: boolean;
      conversion_issues?: { message?: string }[];
      files?: { issues?: { message?: string }[] }[];
    };
    if (json.error) return `${json.error.code}: ${json.error.message ?? ''}`.slice(0, 160);
    const message =
      json.conversion_issues?.[0]?.message ??
      json.files?.flatMap((f) => f.issues ?? [])[0]?.message ??
      json.failure;
    return `${json.committed ? 'committed' : 'nothing written'}: ${message ?? ''}`.slice(0, 160);
  } catch {
    return answer.body.slice(0, 160);
  }
}

function uploadPath(input: Input): string {
  return input.fileName === undefined
    ? '/api/ingest'
    : `/api/ingest?file=${encodeURIComponent(input.fileName)}`;
}

/** Samples the server's RSS while `during` runs (VmHWM after a reset; the highest VmRSS seen where a reset is not allowed). */
async function measuredOn<T>(server: Server, during: () => Promise<T>): Promise<{ value: T; rssMb: number }> {
  const reset = resetPeak(server.pid);
  let peakKb = statusOf(server.pid).VmRSS ?? 0;
  const sampler = setInterval(() => {
    const s = statusOf(server.pid);
    peakKb = Math.max(peakKb, (reset ? s.VmHWM : s.VmRSS) ?? 0);
  }, 10);
  try {
    const value = await during();
    const s = statusOf(server.pid);
    peakKb = Math.max(peakKb, (reset ? s.VmHWM : s.VmRSS) ?? 0);
    return { value, rssMb: peakKb / 1024 };
  } finally {
    clearInterval(sampler);
  }
}

// ---------------------------------------------------------------------------------------------

interface Setup {
  base: string;
  keyA: string;
  keyB: string;
  smallZip: Buffer;
}

function zipFiles(files: [string, string][]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    for (const [full, name] of files) zip.addFile(full, name);
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/** A store the local host starts on without seeding its demo, with keys for tenants A and B. */
async function setUp(dir: string): Promise<Setup> {
  const demo = path.join(dir, 'demo');
  await runDemo({ locations: 1, years: 1, seed: 7, end: '2025-12', out: demo }, () => undefined);
  const base = path.join(dir, 'base', 'caliper.db');
  const l001 = path.join(demo, 'L001');
  const { exitCode } = await runIngest(
    [path.join(l001, 'locations.csv')],
    { storeFile: base, tenant: 'default' },
    { json: true, progress: false },
    () => undefined,
  );
  if (exitCode !== 0) throw new Error('could not prepare the base store');
  const store = SqliteStore.open(base);
  const keyA = (await createKey(store, 'tenant-a', 'hostile inputs')).key;
  const keyB = (await createKey(store, 'tenant-b', 'hostile inputs')).key;
  await store.close();
  // Tenant B's small upload: a location with its services and providers.
  const smallZip = await zipFiles(
    ['locations.csv', 'services.csv', 'providers.csv'].map((f): [string, string] => [path.join(l001, f), f]),
  );
  return { base, keyA, keyB, smallZip };
}

function copyStore(from: string, into: string): void {
  fs.mkdirSync(path.dirname(into), { recursive: true });
  fs.copyFileSync(from, into);
  fs.cpSync(path.join(path.dirname(from), 'secrets'), path.join(path.dirname(into), 'secrets'), {
    recursive: true,
  });
}

async function withServer<T>(
  dir: string,
  setup: Setup,
  name: string,
  run: (server: Server) => Promise<T>,
): Promise<T> {
  const store = path.join(dir, 'api', name, 'caliper.db');
  const tmp = path.join(dir, 'api', name, 'tmp');
  fs.mkdirSync(tmp, { recursive: true });
  copyStore(setup.base, store);
  const server = await startServer(store, tmp);
  try {
    return await run(server);
  } finally {
    await server.stop();
    const left = fs.readdirSync(tmp).filter((n) => n.startsWith('caliper-ingest-'));
    if (left.length > 0) log(`  note: ${left.length} upload folder(s) left in ${tmp}`);
  }
}

async function runApi(input: Input, dir: string, setup: Setup, index: number): Promise<Row> {
  return withServer(dir, setup, `input-${index}`, async (server) => {
    const headers = { authorization: `Bearer ${setup.keyA}`, 'content-type': input.contentType };
    const { value: answer, rssMb } = await measuredOn(server, () =>
      post(server.url, uploadPath(input), headers, { file: input.file }, input.chunked ?? false),
    );
    return {
      input: input.name,
      size: formatSize(fs.statSync(input.file).size),
      via: input.chunked ? 'API (chunked)' : 'API',
      outcome: `${answer.status} ${apiReason(answer)}`,
      seconds: answer.seconds,
      rssMb,
      refused: answer.status >= 400 && answer.status < 500,
    };
  });
}

/** Tenant B's small upload alone, then while tenant A's bomb is being refused. */
async function runConcurrent(bombs: Input[], dir: string, setup: Setup): Promise<Row[]> {
  return withServer(dir, setup, 'concurrent', async (server) => {
    const rows: Row[] = [];
    const uploadB = () =>
      post(
        server.url,
        '/api/ingest',
        { authorization: `Bearer ${setup.keyB}`, 'content-type': 'application/zip' },
        {
          bytes: setup.smallZip,
        },
      );
    await uploadB(); // warm-up: the first request loads the handlers
    const { value: alone, rssMb: aloneRss } = await measuredOn(server, uploadB);
    rows.push({
      input: "tenant B's small upload, alone",
      size: formatSize(setup.smallZip.length),
      via: 'API (B)',
      outcome: `${alone.status} ${apiReason(alone)}`,
      seconds: alone.seconds,
      rssMb: aloneRss,
      refused: alone.status === 200,
      note: 'baseline',
    });
    for (const bomb of bombs) {
      const { value, rssMb } = await measuredOn(server, async () => {
        const order: string[] = [];
        const a = post(
          server.url,
          '/api/ingest',
          {
            authorization: `Bearer ${setup.keyA}`,
            'content-type': 'application/zip',
          },
          { file: bomb.file },
        ).then((r) => {
          order.push('A');
          return r;
        });
        const b = uploadB().then((r) => {
          order.push('B');
          return r;
        });
        const [ra, rb] = await Promise.all([a, b]);
        return { ra, rb, order };
      });
      rows.push({
        input: `tenant B's small upload while A sends "${bomb.name}"`,
        size: formatSize(setup.smallZip.length),
        via: 'API (B)',
        outcome: `B ${value.rb.status} ${apiReason(value.rb)} · A ${value.ra.status} in ${value.ra.seconds.toFixed(2)} s · answered ${value.order.join(' then ')}`,
        seconds: value.rb.seconds,
        rssMb,
        // For B, "refused" means what the target asks of it: answered (committed) meanwhile.
        refused: value.rb.status === 200 && value.ra.status >= 400,
        note: 'B must commit',
      });
    }
    return rows;
  });
}

/** Finding 7: a batch naming an over-long id, each on a fresh server (peak RSS is the request's own). */
async function runBatch(dir: string, setup: Setup): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [label, field, bytes, chunked] of [
    ['batch: a 150 MB location id', 'location', 150 * 1000 * 1000, false],
    ['batch: a 150 MB location id, chunked (no Content-Length)', 'location', 150 * 1000 * 1000, true],
    // The largest body the batch's limit (32 MiB) lets through to the handler: what it costs.
    ['batch: a 32 MiB location id (a body just within the limit)', 'location', 32 * MiB - 100, false],
    ['batch: a 1 MB metric id', 'metric', MiB, false],
  ] as const) {
    rows.push(
      await withServer(dir, setup, `batch-${field}${chunked ? '-chunked' : ''}`, async (server) => {
        const request: Record<string, string> = { metric: 'net_revenue', period: '2025' };
        request[field] = 'x'.repeat(bytes);
        const body = Buffer.from(JSON.stringify({ requests: [request] }));
        const headers = { authorization: `Bearer ${setup.keyA}`, 'content-type': 'application/json' };
        const { value: answer, rssMb } = await measuredOn(server, () =>
          post(server.url, '/api/metrics/batch', headers, { bytes: body }, chunked),
        );
        return {
          input: label,
          size: formatSize(body.length),
          via: chunked ? 'API (chunked)' : 'API',
          outcome: `${answer.status} ${apiReason(answer)} (answer ${answer.body.length} bytes)`,
          seconds: answer.seconds,
          rssMb,
          refused: answer.status >= 400 && answer.status < 500 && answer.body.length < 1000,
        };
      }),
    );
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------

function verdict(row: Row): string[] {
  const misses: string[] = [];
  if (!row.refused)
    misses.push(
      row.note === 'B must commit'
        ? 'B did not commit, or A was not refused'
        : row.note === 'baseline'
          ? 'B failed'
          : 'not refused',
    );
  if (row.seconds > TARGET.seconds) misses.push(`took ${row.seconds.toFixed(1)} s > ${TARGET.seconds} s`);
  if (row.rssMb !== null && row.rssMb >= TARGET.rssMb)
    misses.push(`peak RSS ${row.rssMb.toFixed(0)} MB ≥ ${TARGET.rssMb} MB`);
  return misses;
}

function table(rows: Row[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    '| input | size | via | answer | wall time | peak RSS | target |',
    '| ----- | ---- | --- | ------ | --------- | -------- | ------ |',
  ];
  for (const row of rows) {
    const misses = verdict(row);
    lines.push(
      `| ${cell(row.input)} | ${row.size} | ${row.via} | ${cell(row.outcome)} | ${row.seconds.toFixed(2)} s | ${
        row.rssMb === null ? 'n/a' : `${row.rssMb.toFixed(0)} MB`
      } | ${misses.length === 0 ? 'met' : `**missed**: ${cell(misses.join('; '))}`} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  if (!fs.existsSync(CLI) || !fs.existsSync(START))
    throw new Error('dist/ is missing: run npm run build first');
  const keep = process.argv.includes('--keep');
  const onlyIndex = process.argv.indexOf('--only');
  const only = onlyIndex === -1 ? null : new Set((process.argv[onlyIndex + 1] ?? '').split(','));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caliper-hostile-'));
  try {
    const inputs = await generateInputs(dir, only);
    const setup = await setUp(dir);
    const rows: Row[] = [];
    // What the table shows of a refusal: its reason, without the temp folder's name.
    const shown = (row: Row): Row => ({ ...row, outcome: row.outcome.split(`${dir}${path.sep}`).join('') });
    for (const input of inputs) {
      log(`CLI: ${input.name}…`);
      if (!input.chunked) rows.push(shown(await runCli(input, dir)));
    }
    for (const [i, input] of inputs.entries()) {
      log(`API: ${input.name}…`);
      rows.push(shown(await runApi(input, dir, setup, i)));
    }
    const bombs = inputs.filter((i) => i.group === 'bomb');
    if (bombs.length > 0) {
      log("API: tenant B beside tenant A's bombs…");
      rows.push(...(await runConcurrent(bombs, dir, setup)));
    }
    if (only === null || only.has('batch')) {
      log('API: over-long batch ids…');
      rows.push(...(await runBatch(dir, setup)));
    }
    const when = new Date().toISOString().slice(0, 10);
    process.stdout.write(
      `Measured ${when} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${(os.totalmem() / GiB).toFixed(0)} GiB, Node ${process.version}; ` +
        `targets: refused within ${TARGET.seconds} s under ${TARGET.rssMb} MB peak RSS, tenant B answered meanwhile.\n\n${table(rows)}\n`,
    );
    const missed = rows.filter((r) => verdict(r).length > 0);
    if (missed.length > 0) {
      process.stdout.write(`\n${missed.length} target(s) missed:\n`);
      for (const row of missed)
        process.stdout.write(`- ${row.via} ${row.input}: ${verdict(row).join('; ')}\n`);
      return 1;
    }
    process.stdout.write('\nEvery target met.\n');
    return 0;
  } finally {
    if (keep) log(`inputs kept in ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
