/**
 * A small reader of Dockerfile instructions (enough for the rules the tests check): comments
 * dropped, `\` continuations joined, each instruction split into its keyword and arguments,
 * grouped by build stage.
 */
export interface Instruction {
  readonly keyword: string;
  readonly args: string;
  /** The arguments as an exec-form JSON array, when they are one. */
  readonly exec?: readonly string[];
}

export interface Stage {
  readonly from: string;
  readonly name?: string;
  readonly instructions: readonly Instruction[];
}

export function parseDockerfile(text: string): { readonly preamble: Instruction[]; readonly stages: Stage[] } {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    lines.push(pending + line);
    pending = '';
  }
  const preamble: Instruction[] = [];
  const stages: Array<{ from: string; name?: string; instructions: Instruction[] }> = [];
  for (const line of lines) {
    const m = /^(\S+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const keyword = (m[1] ?? '').toUpperCase();
    const args = m[2] ?? '';
    const instruction: Instruction = { keyword, args, exec: execForm(args) };
    if (keyword === 'FROM') {
      const from = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(args);
      stages.push({ from: from?.[1] ?? args, name: from?.[2], instructions: [] });
    } else if (stages.length === 0) preamble.push(instruction);
    else stages[stages.length - 1]?.instructions.push(instruction);
  }
  return { preamble, stages };
}

/** `HEALTHCHECK --interval=5s CMD [...]` and `ENTRYPOINT [...]`: the JSON array, if that is the form. */
function execForm(args: string): string[] | undefined {
  const json = args.replace(/^(?:--\S+\s+)*(?:CMD\s+)?/i, '');
  if (!json.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}
