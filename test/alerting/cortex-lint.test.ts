import { describe, expect, it } from 'vitest';
import { findFileKeys, lintForCortex, templateNameProblem } from '../../src/alerting/cortex-lint.js';
import { lintTemplate } from '../../src/alerting/template-lint.js';
import { INLINE_TEMPLATES, TEMPLATE_FILES } from '../../src/alerting/templates.js';

describe("Cortex's upload rules and template functions", () => {
  it('finds every key ending in _file, with its path', () => {
    const cfg = {
      receivers: [
        { name: 'a', webhook_configs: [{ http_config: { bearer_token_file: '/x', tls_config: { ca_file: '/c' } } }] },
      ],
    };
    expect(findFileKeys(cfg)).toEqual([
      'receivers[0].webhook_configs[0].http_config.bearer_token_file',
      'receivers[0].webhook_configs[0].http_config.tls_config.ca_file',
    ]);
  });

  it('wants bare template names', () => {
    expect(templateNameProblem('opni.tmpl')).toBeUndefined();
    expect(templateNameProblem('dir/opni.tmpl')).toMatch(/has a path/);
    expect(templateNameProblem('..')).toMatch(/not a file name/);
  });

  it('applies size and count limits', () => {
    const problems = lintForCortex(
      {
        config: { templates: ['/etc/a.tmpl'] },
        configYaml: 'x'.repeat(100),
        templateFiles: { 'a.tmpl': 'y'.repeat(50), 'b.tmpl': '' },
      },
      { maxConfigSizeBytes: 99, maxTemplatesCount: 1, maxTemplateSizeBytes: 49 },
    );
    expect(problems.map((p) => p.code).sort()).toEqual([
      'config_too_large',
      'template_name',
      'template_too_large',
      'too_many_templates',
    ]);
  });

  it('flags functions Alertmanager 0.25 does not have, not methods, variables or strings', () => {
    expect(
      lintTemplate('{{ .StartsAt | humanizeTimestamp }} {{ formatTime .StartsAt }}').map((p) => p.function),
    ).toEqual(['humanizeTimestamp', 'formatTime']);
    expect(
      lintTemplate('{{ $x := .Labels.foo }}{{ .StartsAt.Format "humanize" }}{{ toUpper $x }}{{/* formatTime */}}'),
    ).toEqual([]);
  });

  it('our own templates pass', () => {
    for (const t of [...Object.values(TEMPLATE_FILES), ...Object.values(INLINE_TEMPLATES)])
      expect(lintTemplate(t)).toEqual([]);
    const problems = lintForCortex({
      config: { text: '{{ humanize 1 }}' },
      configYaml: '',
      templateFiles: TEMPLATE_FILES,
    });
    expect(problems).toEqual([expect.objectContaining({ code: 'template_function' })]);
  });
});
