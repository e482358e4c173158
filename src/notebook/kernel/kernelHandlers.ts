/**
 * What both kernels (kernelWorker.ts on Node, webKernelWorker.ts on the web) answer and give cells
 * alike: the protocol's handlers around their own `run`, and `display()` around their own way of
 * sending an event. The transport, the cell runner and the platform's limits stay in each kernel.
 */
import { isRecord } from '../../core/guards';
import type { CellResult, KernelEvent, kernelProtocol, RunRequest } from '../../shared/kernelProtocol';
import type { CallContext, Handlers } from '../../workers/serve';
import { Markdown, toOutputItems, viewOf } from './display';
import type { Display, DisplayOptions } from './kernelApi';
import { kernelValueHandlers } from './kernelValues';
import { globalValue, summarizeGlobals, type Baseline } from './variableSummary';

type RunCell = (request: RunRequest, call: CallContext<KernelEvent>) => Promise<CellResult>;

/** `ready`: what the first cell waits for (HiGHS loading); cells then run one after another. */
export function kernelHandlers(run: RunCell, ready: Promise<unknown>, baseline: Baseline): Handlers<typeof kernelProtocol> {
  // The host sends one cell at a time, but a cell's call may still be settling.
  let queue: Promise<unknown> = ready;
  return {
    run: (request, call) => {
      const result = queue.then(() => run(request, call));
      queue = result.catch(() => undefined);
      return result;
    },
    // Not queued behind the cells: between cells it lists what they left; while one awaits, what it has so far.
    variables: () => summarizeGlobals(globalThis, baseline),
    variableView: ({ name }) => viewOf(globalValue(globalThis, name)) ?? null,
    // The results cache: the host asks only between cells (its own queue), so these need not queue.
    ...kernelValueHandlers(globalThis as unknown as Record<string, unknown>),
  };
}

/** A cell's `display(x, options?)` and `display.markdown(text)`, sending what they show as `send` does. */
export function createDisplay(send: (event: KernelEvent) => void): Display {
  const display: Display = Object.assign(
    (value: unknown, options?: DisplayOptions) => {
      const items = toOutputItems(value, isRecord(options) ? options : undefined);
      if (items.length > 0) send({ type: 'display', items });
    },
    { markdown: (text: string) => display(new Markdown(String(text))) },
  );
  return display;
}
