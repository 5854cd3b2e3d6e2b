/**
 * `tenantwire inspect FILE... | - [--json] [--tenant-label NAME]`: reads remote-write bodies
 * (snappy or raw protobuf, 1.0 or 2.0, detected), prints each as a summary headed by its name
 * (`==> FILE <==`) or as JSON: one document per file, in argument order, each naming its
 * `file` (a stream `jq` reads as is; `jq -s` makes it an array). A file that cannot be read or
 * decoded: a message on stderr, the others are still printed, exit code 1. Bad usage: 2.
 */
import { isTenantwireError } from '../errors.js';
import { VERSION } from '../version.js';
import { decodeWriteRequest } from '../wire/decode-v1.js';
import { decodeRequestV2 } from '../wire/decode-v2.js';
import { v2ToV1 } from '../wire/convert.js';
import { parseCommandLine, usageError, type FlagSpec } from './command-line.js';
import { detectBody } from './inspect-detect.js';
import { renderJson, renderSummary, summarize } from './inspect-format.js';

export interface InspectIO {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  readFile(path: string): Promise<Uint8Array>;
}

export const INSPECT_USAGE = `usage: tenantwire inspect FILE...|- [--json] [--tenant-label NAME]
  FILE...             remote-write bodies (snappy or raw protobuf, 1.0 or 2.0); - reads stdin
  --json              one JSON document per file, each with its "file" name, in argument order
  --tenant-label NAME the label counted in "series per tenant" (default __tenant__)`;
const MAX_INPUT_BYTES = 64 * 1024 * 1024;
/** Most files one command reads: a glob over a big data directory would run for minutes. */
const MAX_FILES = 10_000;

const INSPECT_FLAGS: FlagSpec = { json: 'boolean', 'tenant-label': 'string' };

export interface InspectArgs {
  readonly files: readonly string[];
  readonly json: boolean;
  readonly tenantLabel: string;
  readonly help: boolean;
  readonly version: boolean;
}

/** argv after `inspect` -> options; throws a `cli_usage` ConfigError naming the mistake. */
export function parseInspectArgs(args: readonly string[]): InspectArgs {
  const line = parseCommandLine(args, INSPECT_FLAGS, { maxPositionals: MAX_FILES });
  const files = line.positionals;
  const base = {
    json: line.flags.has('json'),
    tenantLabel: line.values.get('tenant-label') ?? '__tenant__',
    help: line.help,
    version: line.version,
  };
  if (line.help || line.version) return { files, ...base };
  if (files.length === 0) throw usageError('missing FILE (use - for stdin)');
  if (files.filter((f) => f === '-').length > 1) throw usageError('stdin (-) can be read only once');
  return { files, ...base };
}

async function readStdin(stdin: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stdin) {
    const c = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array);
    total += c.length;
    if (total > MAX_INPUT_BYTES) throw new Error(`stdin is over ${MAX_INPUT_BYTES} bytes`);
    chunks.push(c);
  }
  const out = new Uint8Array(total);
  let pos = 0;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

export async function runInspect(args: string[], io: InspectIO): Promise<number> {
  let parsed: InspectArgs;
  try {
    parsed = parseInspectArgs(args);
  } catch (e) {
    if (!isTenantwireError(e)) throw e;
    io.stderr.write(`tenantwire inspect: ${e.message}\n${INSPECT_USAGE}\n`);
    return 2;
  }
  if (parsed.help) {
    io.stdout.write(`${INSPECT_USAGE}\n`);
    return 0;
  }
  if (parsed.version) {
    io.stdout.write(`tenantwire ${VERSION}\n`);
    return 0;
  }
  let code = 0;
  for (const [i, file] of parsed.files.entries()) {
    const ok = await inspectOne(file, parsed, io, i === 0);
    if (!ok) code = 1;
  }
  return code;
}

/** Prints one file; false (after a message on stderr) when it could not be read or decoded. */
async function inspectOne(file: string, o: InspectArgs, io: InspectIO, first: boolean): Promise<boolean> {
  const name = file === '-' ? 'stdin' : file;
  let input: Uint8Array;
  try {
    input = file === '-' ? await readStdin(io.stdin) : await io.readFile(file);
  } catch (e) {
    io.stderr.write(`inspect: cannot read ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return false;
  }
  let text: string;
  try {
    const detected = detectBody(input);
    if (detected.version === '2.0') {
      const req = decodeRequestV2(detected.raw);
      if (o.json) text = renderJson(detected, input.length, req, name);
      else {
        const v1 = v2ToV1(req);
        const withMetadata = req.timeseries.filter(
          (s) => s.metadata.type !== 0 || s.metadata.helpRef !== 0 || s.metadata.unitRef !== 0,
        ).length;
        text = renderSummary(detected, input.length, summarize(v1, o.tenantLabel, withMetadata), o.tenantLabel);
      }
    } else {
      const req = decodeWriteRequest(detected.raw);
      text = o.json
        ? renderJson(detected, input.length, req, name)
        : renderSummary(detected, input.length, summarize(req, o.tenantLabel, req.metadata.length), o.tenantLabel);
    }
  } catch (e) {
    if (!isTenantwireError(e)) throw e;
    io.stderr.write(`inspect: ${name}: ${e.message} (${e.code})\n`);
    return false;
  }
  io.stdout.write(o.json ? text : `${first ? '' : '\n'}==> ${name} <==\n${text}`);
  return true;
}
