/** A small element factory: the components build their DOM in code (no innerHTML, no inline handlers). */

export interface ElProps {
  readonly className?: string;
  readonly text?: string;
  readonly attrs?: Readonly<Record<string, string>>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: ElProps = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  if (props.attrs) for (const [k, v] of Object.entries(props.attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

export interface Disposable {
  dispose(): void;
}

/** Resize handling throttled to one call per animation frame; widths that do not change are ignored. */
export function observeWidth(target: HTMLElement, onChange: () => void): Disposable {
  // The first observation reports the width the caller has just drawn at; only changes matter.
  let last = target.clientWidth;
  let frame = 0;
  const observer = new ResizeObserver(() => {
    const w = target.clientWidth;
    if (w === last) return;
    last = w;
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(onChange);
  });
  observer.observe(target);
  return {
    dispose() {
      cancelAnimationFrame(frame);
      observer.disconnect();
    },
  };
}

/** A canvas sized to cssWidth × cssHeight with a backing store at the device pixel ratio. */
export function sizeCanvas(canvas: HTMLCanvasElement, cssWidth: number, cssHeight: number): CanvasRenderingContext2D | null {
  const dpr = window.devicePixelRatio || 1;
  canvas.style.width = `${cssWidth}px`;
  canvas.style.height = `${cssHeight}px`;
  canvas.width = Math.max(1, Math.round(cssWidth * dpr));
  canvas.height = Math.max(1, Math.round(cssHeight * dpr));
  const ctx = canvas.getContext('2d');
  ctx?.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}
