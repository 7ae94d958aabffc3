/** `--name value` pairs after the command; a flag given twice, without a value or not known is an error. */
export class UsageError extends Error {}

export function parseOptions(args: string[], known: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UsageError(`unexpected argument "${arg}"`);
    const [, name, inline] = m;
    if (!known.includes(name)) throw new UsageError(`unknown option --${name}`);
    if (name in out) throw new UsageError(`--${name} given twice`);
    const value = inline ?? args[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--')))
      throw new UsageError(`--${name} needs a value`);
    out[name] = value;
  }
  return out;
}
