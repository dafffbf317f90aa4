/** The part of cli-progress (no published types) the import command uses. */
declare module 'cli-progress' {
  export class SingleBar {
    constructor(options: { format?: string; hideCursor?: boolean; clearOnComplete?: boolean }, preset?: unknown);
    start(total: number, startValue: number): void;
    update(value: number): void;
    stop(): void;
  }
  export const Presets: { shades_classic: unknown; legacy: unknown };
  const cliProgress: { SingleBar: typeof SingleBar; Presets: typeof Presets };
  export default cliProgress;
}
