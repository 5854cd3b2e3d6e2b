import { describe, expect, it } from 'vitest';
import protobuf from 'protobufjs';
import { encodeExportResponse, encodeStatus, rpcCodeForHttpStatus, RPC_CODE } from '../../src/otlp/answer.js';

// The messages as the OTLP and googleapis protos define them, parsed by an independent codec.
const root = protobuf.parse(`
  syntax = "proto3";
  message ExportMetricsPartialSuccess { int64 rejected_data_points = 1; string error_message = 2; }
  message ExportMetricsServiceResponse { ExportMetricsPartialSuccess partial_success = 1; }
  message Any { string type_url = 1; bytes value = 2; }
  message Status { int32 code = 1; string message = 2; repeated Any details = 3; }
`).root;
const Response = root.lookupType('ExportMetricsServiceResponse');
const Status = root.lookupType('Status');
const text = new TextDecoder();

describe('ExportMetricsServiceResponse', () => {
  it('is an empty message (protobuf) and {} (JSON) on full success', () => {
    expect(encodeExportResponse(undefined, 'protobuf')).toHaveLength(0);
    expect(text.decode(encodeExportResponse(undefined, 'json'))).toBe('{}');
    expect(encodeExportResponse({ rejectedDataPoints: 0, errorMessage: '' }, 'protobuf')).toHaveLength(0);
  });

  it('carries partial_success in protobuf, read back by protobufjs', () => {
    const bytes = encodeExportResponse(
      { rejectedDataPoints: 300, errorMessage: 'delta temporality: ünsupported' },
      'protobuf',
    );
    const m = Response.toObject(Response.decode(bytes), { longs: Number }) as {
      partialSuccess: { rejectedDataPoints: number; errorMessage: string };
    };
    expect(m.partialSuccess).toEqual({ rejectedDataPoints: 300, errorMessage: 'delta temporality: ünsupported' });
  });

  it('carries partialSuccess in JSON with int64 as a string (proto3 JSON mapping)', () => {
    const json = JSON.parse(text.decode(encodeExportResponse({ rejectedDataPoints: 2, errorMessage: 'x' }, 'json')));
    expect(json).toEqual({ partialSuccess: { rejectedDataPoints: '2', errorMessage: 'x' } });
    const decoded = Response.fromObject(json);
    expect(Response.toObject(decoded, { longs: Number })).toEqual({
      partialSuccess: { rejectedDataPoints: 2, errorMessage: 'x' },
    });
  });

  it('keeps a warning message with no rejected points', () => {
    const json = JSON.parse(text.decode(encodeExportResponse({ rejectedDataPoints: 0, errorMessage: 'w' }, 'json')));
    expect(json).toEqual({ partialSuccess: { errorMessage: 'w' } });
  });
});

describe('google.rpc.Status', () => {
  it('encodes code and message in protobuf', () => {
    const bytes = encodeStatus({ code: RPC_CODE.invalidArgument, message: 'bad body at byte 12' }, 'protobuf');
    expect(Status.toObject(Status.decode(bytes))).toEqual({ code: 3, message: 'bad body at byte 12' });
  });

  it('encodes code and message in JSON', () => {
    const json = JSON.parse(text.decode(encodeStatus({ code: 14, message: 'upstream "down"\n' }, 'json')));
    expect(json).toEqual({ code: 14, message: 'upstream "down"\n' });
  });

  it('maps HTTP statuses to gRPC codes', () => {
    expect([400, 401, 403, 413, 415, 429, 502, 503, 504, 500].map(rpcCodeForHttpStatus)).toEqual([
      3, 16, 7, 3, 12, 8, 14, 14, 4, 13,
    ]);
  });
});
