/**
 * The OTLP translation options: the YAML keys and defaults of Prometheus 3.x's `otlp:` block
 * (config/config.go `OTLPConfig`, `DefaultOTLPConfig`, `UnmarshalYAML`), minus what tenantwire
 * does not implement. Validated by a strict schema that names the offending key.
 *
 * Delta temporality: Prometheus without the `otlp-deltatocumulative` / `otlp-native-delta-ingestion`
 * feature flags refuses delta sums and histograms ("invalid temporality and type combination").
 * tenantwire does the same: those points are refused, counted under `delta_temporality` and named
 * in the partial-success message. There is no option to convert them: doing it right needs
 * per-series state across requests, which a stateless proxy does not keep.
 *
 * Not offered: `convert_histograms_to_nhcb` (explicit histograms always become classic
 * `_bucket` series here), the `type-and-unit-labels` and created-timestamp feature flags.
 */
import { z } from 'zod';
import { configErrorFromZod } from '../zod-errors.js';

/** Prometheus's four `translation_strategy` names (otlptranslator strategy.go). */
export const TRANSLATION_STRATEGIES = [
  'UnderscoreEscapingWithSuffixes',
  'NoUTF8EscapingWithSuffixes',
  'UnderscoreEscapingWithoutSuffixes',
  'NoTranslation',
] as const;
export type TranslationStrategy = (typeof TRANSLATION_STRATEGIES)[number];

export interface OtlpTranslateOptions {
  readonly translationStrategy: TranslationStrategy;
  /** Resource attributes copied onto every series of their resource (point attributes win). */
  readonly promoteResourceAttributes: readonly string[];
  /** Promote every resource attribute except `ignoreResourceAttributes`. */
  readonly promoteAllResourceAttributes: boolean;
  readonly ignoreResourceAttributes: readonly string[];
  /** Keep service.name, service.namespace, service.instance.id on target_info too. */
  readonly keepIdentifyingResourceAttributes: boolean;
  /** otel_scope_name, otel_scope_version, otel_scope_schema_url, otel_scope_<attr> labels. */
  readonly promoteScopeMetadata: boolean;
  /** `_foo` -> `key_foo` (escaping strategies only). */
  readonly labelNameUnderscoreSanitization: boolean;
  /** Keep `a__b` as is instead of collapsing to `a_b` (escaping strategies only). */
  readonly labelNamePreserveMultipleUnderscores: boolean;
}

/**
 * Prometheus 3.x's defaults, written once. The two label-name keys default to true "for
 * backwards compatibility" since Prometheus 3.7.1.
 */
export const DEFAULT_OTLP_OPTIONS: OtlpTranslateOptions = Object.freeze({
  translationStrategy: 'UnderscoreEscapingWithSuffixes',
  promoteResourceAttributes: Object.freeze([]) as readonly string[],
  promoteAllResourceAttributes: false,
  ignoreResourceAttributes: Object.freeze([]) as readonly string[],
  keepIdentifyingResourceAttributes: false,
  promoteScopeMetadata: false,
  labelNameUnderscoreSanitization: true,
  labelNamePreserveMultipleUnderscores: true,
});

const attributeList = z.array(z.string());

export const otlpOptionsSchema = z
  .strictObject({
    translation_strategy: z.enum(TRANSLATION_STRATEGIES).optional(),
    promote_resource_attributes: attributeList.optional(),
    promote_all_resource_attributes: z.boolean().optional(),
    ignore_resource_attributes: attributeList.optional(),
    keep_identifying_resource_attributes: z.boolean().optional(),
    promote_scope_metadata: z.boolean().optional(),
    label_name_underscore_sanitization: z.boolean().optional(),
    label_name_preserve_multiple_underscores: z.boolean().optional(),
  })
  .superRefine((o, ctx) => {
    // Prometheus's cross-key rules (OTLPConfig.UnmarshalYAML).
    const promoteAll = o.promote_all_resource_attributes === true;
    if (promoteAll && (o.promote_resource_attributes?.length ?? 0) > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['promote_resource_attributes'],
        message: 'cannot be set together with promote_all_resource_attributes',
      });
    }
    if (!promoteAll && (o.ignore_resource_attributes?.length ?? 0) > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['ignore_resource_attributes'],
        message: 'needs promote_all_resource_attributes: true',
      });
    }
    for (const key of ['promote_resource_attributes', 'ignore_resource_attributes'] as const) {
      const seen = new Set<string>();
      (o[key] ?? []).forEach((raw, i) => {
        const attr = raw.trim();
        if (attr === '') ctx.addIssue({ code: 'custom', path: [key, i], message: 'empty attribute name' });
        else if (seen.has(attr))
          ctx.addIssue({ code: 'custom', path: [key, i], message: `duplicate attribute "${attr}"` });
        seen.add(attr);
      });
    }
  });

export type OtlpOptionsInput = z.input<typeof otlpOptionsSchema>;

/**
 * YAML (snake_case, all keys optional; null or undefined for all defaults) to the normalized
 * options. Throws a ConfigError naming the key, prefixed with `base` (e.g. `otlp`).
 */
export function normalizeOtlpOptions(input: unknown, base = 'otlp'): OtlpTranslateOptions {
  const parsed = otlpOptionsSchema.safeParse(input ?? {});
  if (!parsed.success) throw configErrorFromZod(parsed.error, base);
  const o = parsed.data;
  const d = DEFAULT_OTLP_OPTIONS;
  const trimmed = (list: readonly string[] | undefined, fallback: readonly string[]) =>
    list === undefined ? fallback : Object.freeze(list.map((a) => a.trim()));
  return Object.freeze({
    translationStrategy: o.translation_strategy ?? d.translationStrategy,
    promoteResourceAttributes: trimmed(o.promote_resource_attributes, d.promoteResourceAttributes),
    promoteAllResourceAttributes: o.promote_all_resource_attributes ?? d.promoteAllResourceAttributes,
    ignoreResourceAttributes: trimmed(o.ignore_resource_attributes, d.ignoreResourceAttributes),
    keepIdentifyingResourceAttributes: o.keep_identifying_resource_attributes ?? d.keepIdentifyingResourceAttributes,
    promoteScopeMetadata: o.promote_scope_metadata ?? d.promoteScopeMetadata,
    labelNameUnderscoreSanitization: o.label_name_underscore_sanitization ?? d.labelNameUnderscoreSanitization,
    labelNamePreserveMultipleUnderscores:
      o.label_name_preserve_multiple_underscores ?? d.labelNamePreserveMultipleUnderscores,
  });
}

/** Whether the strategy escapes names to the legacy character set (otlptranslator ShouldEscape). */
export const shouldEscape = (s: TranslationStrategy): boolean =>
  s === 'UnderscoreEscapingWithSuffixes' || s === 'UnderscoreEscapingWithoutSuffixes';

/** Whether the strategy adds unit and type suffixes (otlptranslator ShouldAddSuffixes). */
export const shouldAddSuffixes = (s: TranslationStrategy): boolean =>
  s === 'UnderscoreEscapingWithSuffixes' || s === 'NoUTF8EscapingWithSuffixes';
