/**
 * Every error tenantwire raises on purpose carries a stable `code` (for programs and metrics)
 * and a message that names the problem (for people). Families subclass the base so callers
 * can map them to HTTP statuses without string matching, and each family is typed by the
 * union of its codes, so a misspelt code fails to compile and `err.code` narrows.
 *
 * The codes of every family are listed here, once, as `as const` arrays the unions derive
 * from (the README's "Error codes" table is checked against them). Codes are part of the
 * public contract: callers map them to statuses and metrics; never rename one.
 */

/** What the remote-write decoders and snappy raise (WireError). */
export const WIRE_ERROR_CODES = [
  'truncated', // a varint, fixed64 or length-delimited field runs past the end of its message
  'varint_too_long', // a varint longer than 10 bytes
  'bad_wire_type', // wire types 3, 4 (groups), 6, 7 or field number 0
  'wrong_wire_type', // a known field with a wire type its schema does not allow
  'bad_packed_length', // a packed fixed64 run whose length is not a multiple of 8
  'invalid_utf8', // a string field that is not valid UTF-8
  'int64_out_of_range', // a timestamp outside ±(2^53-1)
  'invalid_enum', // metric type outside 0..7, reset hint outside 0..3
  'symbol_ref_out_of_range', // a 2.0 ref past the symbol table
  'odd_label_refs', // a 2.0 labels_refs list of odd length
  'first_symbol_not_empty', // a 2.0 symbol table whose symbols[0] is not ""
  'snappy_framed', // the snappy framing format, not the block format remote-write uses
  'snappy_corrupt', // an invalid snappy block
  'snappy_truncated', // a snappy block that ends early or decodes to fewer bytes than declared
  'unknown_format', // inspect: neither a 1.0 nor a 2.0 body
] as const;
export type WireErrorCode = (typeof WIRE_ERROR_CODES)[number];

/** What the Loki push codecs raise (WireError). */
export const LOKI_ERROR_CODES = [
  'bad_labels', // a stream's labels string is not `{name="value", ...}`
  'duplicate_label', // a label name appears twice in one stream
  'bad_json', // the JSON push body does not parse or does not have Loki's shape (OTLP/JSON: does not parse)
  'bad_timestamp', // a JSON timestamp that is not unix nanoseconds in decimal
  'bad_gzip', // a gzip (or, for OTLP, deflate) body that does not inflate
] as const;
export type LokiErrorCode = (typeof LOKI_ERROR_CODES)[number];

/**
 * What the OTLP metrics decoders add (WireError); they also raise the wire codes (truncated,
 * wrong_wire_type, invalid_utf8, invalid_enum, ...) and Loki's bad_json and bad_gzip.
 */
export const OTLP_ERROR_CODES = [
  'bad_value', // an OTLP/JSON value of the wrong type or out of range, named by its JSON path
  'too_deep', // AnyValue arrays and kvlists nested deeper than the decoder's bound
  'count_out_of_range', // a histogram or summary count above 2^53-1 (refused rather than rounded)
] as const;
export type OtlpErrorCode = (typeof OTLP_ERROR_CODES)[number];

/** What the HTTP edge raises while it reads a request body (WireError). */
export const BODY_WIRE_ERROR_CODES = ['body_unreadable', 'body_aborted'] as const;
export type BodyWireErrorCode = (typeof BODY_WIRE_ERROR_CODES)[number];

/** The bounds the decoders enforce (LimitError). */
export const LIMIT_ERROR_CODES = ['decoded_too_large', 'too_many_elements'] as const;
export type LimitErrorCode = (typeof LIMIT_ERROR_CODES)[number];

/** The HTTP edge's own bound: `max_request_bytes` (LimitError, HTTP 413). */
export const BODY_LIMIT_ERROR_CODES = ['body_too_large'] as const;
export type BodyLimitErrorCode = (typeof BODY_LIMIT_ERROR_CODES)[number];

export const TENANT_ERROR_CODES = ['missing_tenant', 'invalid_tenant', 'too_many_tenants'] as const;
export type TenantErrorCode = (typeof TENANT_ERROR_CODES)[number];

/** Ingress authentication (auth.ingress.users): no or wrong credentials, a tenant not granted. */
export const AUTH_ERROR_CODES = ['unauthorized', 'forbidden_tenant'] as const;
export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number];

/** Per-tenant limits in a pipeline endpoint (`tenant.limits`): 429 + Retry-After, or 400. */
export const TENANT_LIMIT_ERROR_CODES = [
  'rate_limited', // every tenant left in the request is over its ingestion_rate (or one is, with the rest queued)
  'over_series_limit', // every tenant of the request is over max_series_per_request or max_active_series
] as const;
export type TenantLimitErrorCode = (typeof TENANT_LIMIT_ERROR_CODES)[number];

export const CONFIG_ERROR_CODES = [
  'invalid_value', // a value the schema or a cross-key rule refuses
  'unknown_key', // a key the schema does not know (strict schemas name it)
  'invalid_env', // an environment variable that does not parse
  'yaml', // a pipeline file that is not YAML
  'yaml_syntax', // a cortex-tenant config that is not YAML
  'config_unreadable',
  'unreadable_file', // a CA file
  'cli_usage',
  'unknown_kind',
  'bad_kind',
  'duplicate_kind',
  'unknown_export',
  'bad_reference',
  'dangling_reference',
  'reference_cycle',
  'component_not_ready',
  'component_arguments_invalid',
  'already_running',
  'stopped',
  'internal',
  'bad_header',
  'bad_basic_auth',
  'bad_bearer_token',
  'alerting_model_syntax',
  'alerting_model_invalid',
  'alerting_bad_change',
  'cluster_configuration_invalid',
] as const;
export type ConfigErrorCode = (typeof CONFIG_ERROR_CODES)[number];

/** The named transport codes; a network error's own code (`ECONNREFUSED`, ...) passes through as is. */
export const TRANSPORT_ERROR_CODES = ['timeout', 'aborted', 'network', 'closed', 'bad_url'] as const;
/** A Node, undici or system error code, upper case by their convention. */
export type SystemErrorCode = Uppercase<string>;
export type TransportErrorCode = (typeof TRANSPORT_ERROR_CODES)[number] | SystemErrorCode;

/** The named alerting codes; HTTP exchanges add `http_<network code>` and `alertmanager_http_<status>`. */
export const ALERTING_ERROR_CODES = [
  'alerting_bad_change',
  'alerting_bad_tenant',
  'alerting_cortex_lint',
  'alerting_not_loaded',
  'alerting_state_invalid',
  'alerting_state_unreadable',
  'alerting_unknown_endpoint',
  'alertmanager_no_tenant',
  'cluster_configuration_mode',
  'cortex_body_invalid',
] as const;
export type AlertingErrorCode =
  | (typeof ALERTING_ERROR_CODES)[number]
  | `http_${string}` // a network error of one exchange: http_timeout, http_aborted, http_econnrefused, ...
  | `alertmanager_http_${number}`; // an Alertmanager answer with a non-2xx status

/** Every family's codes, by class name: the one list the README's table is checked against. */
export const ERROR_CODES = {
  WireError: [...WIRE_ERROR_CODES, ...LOKI_ERROR_CODES, ...OTLP_ERROR_CODES, ...BODY_WIRE_ERROR_CODES],
  LimitError: [...LIMIT_ERROR_CODES, ...BODY_LIMIT_ERROR_CODES],
  TenantError: TENANT_ERROR_CODES,
  AuthError: AUTH_ERROR_CODES,
  TenantLimitError: TENANT_LIMIT_ERROR_CODES,
  ConfigError: CONFIG_ERROR_CODES,
  TransportError: TRANSPORT_ERROR_CODES,
  AlertingError: ALERTING_ERROR_CODES,
  BackPressureError: ['queue_full'],
  ReceiverClosedError: ['receiver_closed'],
} as const;

/** Refusals for lack of room: a full queue or in-flight limit, a stopped receiver. HTTP 503. */
export type OverloadErrorCode = (typeof ERROR_CODES)['BackPressureError' | 'ReceiverClosedError'][number];

/** Any code tenantwire raises. */
export type TenantwireErrorCode =
  | WireErrorCode
  | LokiErrorCode
  | OtlpErrorCode
  | BodyWireErrorCode
  | LimitErrorCode
  | BodyLimitErrorCode
  | TenantErrorCode
  | AuthErrorCode
  | TenantLimitErrorCode
  | ConfigErrorCode
  | TransportErrorCode
  | AlertingErrorCode
  | OverloadErrorCode;

export class TenantwireError<C extends string = string> extends Error {
  readonly code: C;
  constructor(code: C, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Bytes that are not a valid remote-write, Loki or OTLP body (bad snappy, bad protobuf, bad refs). HTTP 400. */
export class WireError extends TenantwireError<WireErrorCode | LokiErrorCode | OtlpErrorCode | BodyWireErrorCode> {}

/** A body or a declared length past a configured limit. HTTP 413 (compressed) or 400 (decoded). */
export class LimitError extends TenantwireError<LimitErrorCode | BodyLimitErrorCode> {}

/** A request we understand but refuse for its content: missing or invalid tenant. HTTP 400. */
export class TenantError extends TenantwireError<TenantErrorCode> {}

/** A sender without valid credentials (HTTP 401) or writing a tenant its credential lacks (403). */
export class AuthError extends TenantwireError<AuthErrorCode> {}

/** A tenant over its limits in a pipeline endpoint: 429 with `retryAfterMs` (rate), else 400. */
export class TenantLimitError extends TenantwireError<TenantLimitErrorCode> {
  readonly retryAfterMs: number | undefined;
  constructor(code: TenantLimitErrorCode, message: string, retryAfterMs?: number) {
    super(code, message);
    this.retryAfterMs = retryAfterMs;
  }
}

/** A config file or argument that does not validate; the message names the key path. */
export class ConfigError extends TenantwireError<ConfigErrorCode> {}

/** A transport or upstream failure. */
export class TransportError extends TenantwireError<TransportErrorCode> {}

/** Alerting model, build, lint and sync failures. */
export class AlertingError extends TenantwireError<AlertingErrorCode> {}

export const isTenantwireError = (e: unknown): e is TenantwireError => e instanceof TenantwireError;
