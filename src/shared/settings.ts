/**
 * The extension's settings (`contributes.configuration` in package.json), read through any getter and
 * checked: settings.json takes whatever a user types, so a value of the wrong type falls back to the
 * default and a number out of range is clamped into it (whole numbers rounded down). The host reads them
 * where they apply, at that moment, so a change needs no reload: the next cell (output caps, cell
 * timeout, interrupt grace), the next kernel start (memory limit, the kernel's sweep threads), the next
 * panel run (pool size, default seeds), the next save (saveOutputs). vscode-free; no Node (the host
 * passes the number of cores).
 */

interface NumberSetting {
  readonly key: string;
  readonly default: number;
  readonly minimum: number;
  readonly maximum: number;
  readonly integer: boolean;
}

/** Node's longest timer in whole seconds (2³¹ − 1 ms): a longer limit would fire at once. */
export const MAX_CELL_TIMEOUT_SECONDS = 2_147_483;

/** The numeric settings: their bounds are package.json's (test/shared/settings.test.ts holds the two together). */
export const NUMBER_SETTINGS = {
  maxOutputBytesPerCell: { key: 'ilNotebooks.notebook.maxOutputBytesPerCell', default: 4 * 2 ** 20, minimum: 1024, maximum: 2 ** 30, integer: true },
  maxOutputBytesPerNotebook: { key: 'ilNotebooks.notebook.maxOutputBytesPerNotebook', default: 32 * 2 ** 20, minimum: 1024, maximum: 2 ** 30, integer: true },
  memoryLimitMb: { key: 'ilNotebooks.kernel.memoryLimitMb', default: 4096, minimum: 64, maximum: 1_048_576, integer: true },
  interruptGraceMs: { key: 'ilNotebooks.kernel.interruptGraceMs', default: 500, minimum: 50, maximum: 900, integer: true },
  cellTimeoutSeconds: { key: 'ilNotebooks.kernel.cellTimeoutSeconds', default: 0, minimum: 0, maximum: MAX_CELL_TIMEOUT_SECONDS, integer: false },
  sweepWorkers: { key: 'ilNotebooks.sweeps.workers', default: 0, minimum: 0, maximum: 64, integer: true },
  panelSeeds: { key: 'ilNotebooks.panels.defaultSeeds', default: 200, minimum: 1, maximum: 100_000, integer: true },
} as const satisfies Record<string, NumberSetting>;

export const SAVE_OUTPUTS_KEY = 'ilNotebooks.notebook.saveOutputs';

export interface Settings {
  readonly saveOutputs: boolean;
  readonly maxOutputBytesPerCell: number;
  readonly maxOutputBytesPerNotebook: number;
  readonly memoryLimitMb: number;
  readonly interruptGraceMs: number;
  /** 0: no limit. */
  readonly cellTimeoutSeconds: number;
  /** Threads of a sweep pool, resolved: the setting's 0 is the number of cores; 1 means no pool. */
  readonly sweepWorkers: number;
  readonly panelSeeds: number;
}

export function readNumber(setting: NumberSetting, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value)) return setting.default;
  const clamped = Math.min(setting.maximum, Math.max(setting.minimum, value));
  return setting.integer ? Math.floor(clamped) : clamped;
}

/** `get(key)` is the setting's value (undefined when unset); `cores` resolves the pool size's 0. */
export function readSettings(get: (key: string) => unknown, cores: number): Settings {
  const n = (name: keyof typeof NUMBER_SETTINGS) => readNumber(NUMBER_SETTINGS[name], get(NUMBER_SETTINGS[name].key));
  const save = get(SAVE_OUTPUTS_KEY);
  const workers = n('sweepWorkers');
  return {
    saveOutputs: typeof save === 'boolean' ? save : true,
    maxOutputBytesPerCell: n('maxOutputBytesPerCell'),
    maxOutputBytesPerNotebook: n('maxOutputBytesPerNotebook'),
    memoryLimitMb: n('memoryLimitMb'),
    interruptGraceMs: n('interruptGraceMs'),
    cellTimeoutSeconds: n('cellTimeoutSeconds'),
    sweepWorkers: workers === 0 ? Math.max(1, Math.floor(cores)) : workers,
    panelSeeds: n('panelSeeds'),
  };
}

/** The settings whose change reaches a notebook only when its kernel starts again. */
export const KERNEL_START_KEYS: readonly string[] = [NUMBER_SETTINGS.memoryLimitMb.key, NUMBER_SETTINGS.sweepWorkers.key];
