/**
 * Hides the AWS SDK's notice that a future release will need Node 22: Lambda already runs 22,
 * and locally the notice says nothing a user can act on. Every other warning still shows.
 */
export function hideSdkNodeVersionNotice(): void {
  const emitWarning = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if (type === 'NodeVersionSupportWarning' || /NodeVersionSupportWarning|require node >=22/.test(text))
      return;
    (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}
