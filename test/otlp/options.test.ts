/** The OTLP options: Prometheus 3.x's `otlp:` keys and defaults (config/config.go OTLPConfig). */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { DEFAULT_OTLP_OPTIONS, normalizeOtlpOptions } from '../../src/otlp/options.js';

describe('normalizeOtlpOptions', () => {
  it("defaults are Prometheus 3.7.1+'s DefaultOTLPConfig", () => {
    expect(normalizeOtlpOptions(undefined)).toEqual(DEFAULT_OTLP_OPTIONS);
    expect(DEFAULT_OTLP_OPTIONS).toMatchObject({
      translationStrategy: 'UnderscoreEscapingWithSuffixes',
      promoteScopeMetadata: false,
      keepIdentifyingResourceAttributes: false,
      labelNameUnderscoreSanitization: true,
      labelNamePreserveMultipleUnderscores: true,
    });
  });

  it('snake_case keys to camelCase, attribute names trimmed', () => {
    expect(
      normalizeOtlpOptions({ translation_strategy: 'NoTranslation', promote_resource_attributes: [' k8s.pod.name '] }),
    ).toMatchObject({ translationStrategy: 'NoTranslation', promoteResourceAttributes: ['k8s.pod.name'] });
  });

  it('an unknown key is named', () => {
    expect(() => normalizeOtlpOptions({ promote_resource_attribute: [] })).toThrow(
      /otlp: unknown key "promote_resource_attribute"/,
    );
    expect(() => normalizeOtlpOptions({ convert_histograms_to_nhcb: true })).toThrow(ConfigError);
  });

  it('an unknown strategy is refused naming the key', () => {
    expect(() => normalizeOtlpOptions({ translation_strategy: 'Escape' })).toThrow(/otlp\.translation_strategy/);
  });

  it("Prometheus's cross-key rules: promote_all excludes promote_resource_attributes; ignore needs promote_all", () => {
    expect(() =>
      normalizeOtlpOptions({ promote_all_resource_attributes: true, promote_resource_attributes: ['a'] }),
    ).toThrow(/otlp\.promote_resource_attributes/);
    expect(() => normalizeOtlpOptions({ ignore_resource_attributes: ['a'] })).toThrow(
      /otlp\.ignore_resource_attributes/,
    );
  });

  it('empty and duplicate attribute names are refused', () => {
    expect(() => normalizeOtlpOptions({ promote_resource_attributes: ['a', ' a'] })).toThrow(/duplicate attribute "a"/);
    expect(() => normalizeOtlpOptions({ promote_resource_attributes: [''] })).toThrow(/empty attribute name/);
  });
});
