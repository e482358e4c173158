/**
 * Caps on what a cell's output may keep. A cell can print without end (100 MB of console.log made a
 * 107 MB .ilnb), so the cap is applied where the output is received, as it arrives: what is beyond it
 * is counted and dropped at once, and host memory stays bounded whatever the kernel sends (it may be
 * another process). The first bytes are kept, and a marker says how many more there were. vscode-free:
 * the controller and `il-notebooks run` share it.
 */
import type { CellError, OutputItemData } from '../shared/kernelProtocol';

export const DEFAULT_MAX_OUTPUT_BYTES_PER_CELL = 4 * 2 ** 20;
export const DEFAULT_MAX_OUTPUT_BYTES_PER_NOTEBOOK = 32 * 2 ** 20;

const encoder = new TextEncoder();

/**
 * What an error keeps even when the cell's output already filled its cap: the cell failed, and its
 * output must still say why and where. Small enough that host memory stays bounded.
 */
export const MIN_ERROR_BYTES = 4096;
/** An error's name is a word; a longer one is someone's payload, cut like the rest. */
const MAX_ERROR_NAME_BYTES = 256;

export function utf8Bytes(text: string): number {
  // The web build's host (a browser worker) has no Buffer: there the bytes are counted by encoding.
  return typeof Buffer !== 'undefined' ? Buffer.byteLength(text, 'utf8') : new TextEncoder().encode(text).length;
}

export function itemsBytes(items: readonly OutputItemData[]): number {
  return items.reduce((sum, item) => sum + utf8Bytes(item.data), 0);
}

/** The longest prefix of `text` that fits in `bytes` bytes of UTF-8, never splitting a character. */
export function utf8Prefix(text: string, bytes: number): string {
  if (bytes <= 0) return '';
  // encodeInto stops before a character that does not fit, and reads no further than it writes.
  const { read } = encoder.encodeInto(text, new Uint8Array(bytes));
  return text.slice(0, read);
}

export class OutputCap {
  private used = 0;
  private dropped = 0;

  /**
   * `limit`: bytes kept for this cell; `why`: what set it, for the marker ("ilNotebooks.notebook.maxOutputBytesPerCell").
   */
  constructor(
    readonly limit: number,
    private readonly why: string,
  ) {}

  /** The part of streamed text to keep ('' once the cap is reached). */
  text(text: string): string {
    const bytes = utf8Bytes(text);
    if (this.dropped === 0 && this.used + bytes <= this.limit) {
      this.used += bytes;
      return text;
    }
    const kept = this.dropped === 0 ? utf8Prefix(text, this.limit - this.used) : '';
    const keptBytes = utf8Bytes(kept);
    this.used += keptBytes;
    this.dropped += bytes - keptBytes;
    return kept;
  }

  /** Whether to keep a display (whole or not at all: half a JSON payload is no view). */
  items(items: readonly OutputItemData[]): boolean {
    const bytes = itemsBytes(items);
    if (this.dropped === 0 && this.used + bytes <= this.limit) {
      this.used += bytes;
      return true;
    }
    this.dropped += bytes;
    return false;
  }

  /**
   * The error to show, within what is left of the cap (at least MIN_ERROR_BYTES): its name, then its
   * stack's frames (up to half of that: where it failed), then as much of its message as fits. The
   * stack starts with "name: message" and is written with the cut message, so a message is counted once.
   */
  error(error: CellError): CellError {
    let left = Math.max(this.limit - this.used, MIN_ERROR_BYTES);
    const take = (text: string, most: number) => {
      const bytes = utf8Bytes(text);
      const kept = bytes <= most ? text : utf8Prefix(text, most);
      const keptBytes = bytes <= most ? bytes : utf8Bytes(kept);
      left -= keptBytes;
      this.used += keptBytes;
      this.dropped += bytes - keptBytes;
      return kept;
    };
    const head = `${error.name}: ${error.message}`;
    const headed = error.stack.startsWith(head);
    const name = take(error.name, Math.min(MAX_ERROR_NAME_BYTES, left));
    const frames = take(headed ? error.stack.slice(head.length) : error.stack, Math.floor(left / 2));
    const message = take(error.message, left);
    return { name, message, stack: headed ? `${name}: ${message}${frames}` : frames };
  }

  get droppedBytes(): number {
    return this.dropped;
  }

  /** The line that ends a cut output, or undefined when nothing was cut. */
  marker(): string | undefined {
    if (this.dropped === 0) return undefined;
    return `… output truncated: ${this.dropped.toLocaleString('en')} more bytes (${this.limit.toLocaleString('en')} bytes kept: ${this.why})\n`;
  }
}

/** The cap for one cell: its own limit, or what is left of the notebook's when that is less. */
export function cellCap(perCell: number, perNotebook: number, otherCellsBytes: number, hints: { readonly cell: string; readonly notebook: string }): OutputCap {
  const left = Math.max(0, perNotebook - otherCellsBytes);
  return left < perCell ? new OutputCap(left, `${hints.notebook}, ${perNotebook.toLocaleString('en')} bytes in all the notebook's outputs`) : new OutputCap(perCell, hints.cell);
}
