/**
 * The notification templates every cluster config ships. They use only what Alertmanager 0.25
 * (and so Cortex's embedded Alertmanager) defines: Go's text/template built-ins plus toUpper,
 * toLower, title, join, match, safeHtml, reReplaceAll and stringSlice. No `humanize*`, no
 * `formatTime`: those existed only in Opni's embedded build and fail at notification time.
 */

/** Bare file name: Cortex rejects template names that carry a path. */
export const TEMPLATE_FILE_NAME = 'opni.tmpl';

const TEMPLATE_TEXT = `{{ define "opni.title" }}[{{ .Status | toUpper }}\
{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] \
{{ if .CommonAnnotations.opni_condition_name }}{{ .CommonAnnotations.opni_condition_name }}\
{{ else }}{{ .CommonLabels.alertname }}{{ end }}{{ end }}
{{ define "opni.text" }}{{ range .Alerts }}[{{ .Labels.opni_severity | toUpper }}] \
{{ if .Annotations.summary }}{{ .Annotations.summary }}{{ else }}{{ .Labels.alertname }}{{ end }}
  started: {{ .StartsAt.Format "2006-01-02T15:04:05Z07:00" }}
  labels: {{ range .Labels.SortedPairs }}{{ .Name }}={{ .Value }} {{ end }}
{{ end }}{{ end }}
`;

/** Template files by bare name. */
export const TEMPLATE_FILES: Readonly<Record<string, string>> = { [TEMPLATE_FILE_NAME]: TEMPLATE_TEXT };

/** Inline templates used by receivers. Each one is linted and rendered with amtool in tests. */
export const INLINE_TEMPLATES = {
  slackTitle: '{{ template "opni.title" . }}',
  slackText: '{{ template "opni.text" . }}',
  pagerdutyDescription: '{{ template "opni.title" . }}',
  pagerdutySeverity: '{{ if .CommonLabels.opni_severity }}{{ .CommonLabels.opni_severity }}{{ else }}error{{ end }}',
  opsgenieMessage: '{{ template "opni.title" . }}',
} as const;
