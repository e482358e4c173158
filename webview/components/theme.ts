/**
 * VS Code theme colours as the canvases need them. Canvas drawing cannot use var(), so the CSS
 * variables are read and resolved to RGB, and redrawn whenever VS Code switches the theme.
 */
import { divergingStops, flatten, luminance, parseColour, rampLut, sequentialStops, toCss, type Rgb } from './colour';

export type ThemeKind = 'dark' | 'light' | 'high-contrast' | 'high-contrast-light';

export interface Theme {
  readonly kind: ThemeKind;
  readonly foreground: Rgb;
  readonly background: Rgb;
  readonly blue: Rgb;
  readonly red: Rgb;
  readonly green: Rgb;
  readonly orange: Rgb;
  readonly purple: Rgb;
  /** Grid and axis lines (charts-lines), already blended over the background. */
  readonly lines: Rgb;
  readonly focus: Rgb;
  readonly fontFamily: string;
  readonly fontSize: number;
}

type Palette = Omit<Theme, 'kind' | 'fontFamily' | 'fontSize'>;

// VS Code's default Dark Modern / Light Modern / high-contrast values, for when a variable is missing
// (an older host or a page outside VS Code).
const FALLBACKS: Record<ThemeKind, Record<keyof Palette, string>> = {
  dark: { foreground: '#cccccc', background: '#1f1f1f', blue: '#3794ff', red: '#f14c4c', green: '#89d185', orange: '#d18616', purple: '#b180d7', lines: 'rgba(204, 204, 204, 0.5)', focus: '#0078d4' },
  light: { foreground: '#3b3b3b', background: '#ffffff', blue: '#1a85ff', red: '#e51400', green: '#388a34', orange: '#d18616', purple: '#652d90', lines: 'rgba(59, 59, 59, 0.5)', focus: '#005fb8' },
  'high-contrast': { foreground: '#ffffff', background: '#000000', blue: '#3794ff', red: '#f14c4c', green: '#89d185', orange: '#d18616', purple: '#b180d7', lines: '#ffffff', focus: '#f38518' },
  'high-contrast-light': { foreground: '#292929', background: '#ffffff', blue: '#1a85ff', red: '#b5200d', green: '#388a34', orange: '#d18616', purple: '#652d90', lines: '#292929', focus: '#006bbd' },
};

const VARIABLES: Record<keyof Palette, string> = {
  foreground: '--vscode-editor-foreground',
  background: '--vscode-editor-background',
  blue: '--vscode-charts-blue',
  red: '--vscode-charts-red',
  green: '--vscode-charts-green',
  orange: '--vscode-charts-orange',
  purple: '--vscode-charts-purple',
  lines: '--vscode-charts-lines',
  focus: '--vscode-focusBorder',
};

function bodyKind(): ThemeKind {
  const c = document.body.classList;
  if (c.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (c.contains('vscode-high-contrast')) return 'high-contrast';
  if (c.contains('vscode-light')) return 'light';
  return 'dark';
}

let probe: CanvasRenderingContext2D | null | undefined;

/** Any CSS colour (named, hsl(), …) to RGBA, through a canvas, which normalises what it is given. */
function resolve(text: string): ReturnType<typeof parseColour> {
  const direct = parseColour(text);
  if (direct || text.trim() === '') return direct;
  if (probe === undefined) probe = document.createElement('canvas').getContext('2d');
  if (!probe) return null;
  probe.fillStyle = '#010203';
  probe.fillStyle = text;
  const out = String(probe.fillStyle);
  return out === '#010203' ? null : parseColour(out);
}

export function readTheme(element: Element = document.body): Theme {
  const style = getComputedStyle(element);
  let kind = bodyKind();
  const fallback = FALLBACKS[kind];
  const read = (name: keyof Palette) => resolve(style.getPropertyValue(VARIABLES[name])) ?? parseColour(fallback[name])!;
  const bg = read('background');
  const background = flatten(bg, kind === 'dark' || kind === 'high-contrast' ? [0, 0, 0] : [255, 255, 255]);
  // A page without the body class still gets light/dark right from its actual background.
  if (!document.body.classList.length && luminance(background) > 0.5) kind = 'light';
  const palette = {} as Record<keyof Palette, Rgb>;
  for (const name of Object.keys(VARIABLES) as (keyof Palette)[]) palette[name] = name === 'background' ? background : flatten(read(name), background);
  const fontFamily = style.getPropertyValue('--vscode-font-family').trim() || 'system-ui, -apple-system, "Segoe UI", sans-serif';
  const fontSize = parseFloat(style.getPropertyValue('--vscode-font-size')) || 13;
  return { kind, ...palette, fontFamily, fontSize };
}

export function css(rgb: Rgb, alpha = 1): string {
  return toCss(rgb, alpha);
}

export function isHighContrast(theme: Theme): boolean {
  return theme.kind === 'high-contrast' || theme.kind === 'high-contrast-light';
}

/** 256-entry RGBA lookup for d_h(s) ∈ [0, max]: background at zero, towards the text colour at the top. */
export function sequentialLut(theme: Theme): Uint8ClampedArray {
  return rampLut(sequentialStops(theme.background, theme.blue, theme.foreground));
}

/** 256-entry RGBA lookup for differences: red below zero, background at zero, blue above. */
export function divergingLut(theme: Theme): Uint8ClampedArray {
  return rampLut(divergingStops(theme.red, theme.background, theme.blue, theme.foreground));
}

const listeners = new Set<() => void>();
let observer: MutationObserver | null = null;

/**
 * Calls back after VS Code switches the theme: it swaps the vscode-dark / vscode-light /
 * vscode-high-contrast class on body and rewrites the variables in the root element's style.
 * Returns the unsubscribe function.
 */
export function onThemeChange(callback: () => void): () => void {
  listeners.add(callback);
  if (!observer) {
    observer = new MutationObserver(() => {
      for (const l of [...listeners]) l();
    });
    observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  }
  return () => {
    listeners.delete(callback);
    if (listeners.size === 0 && observer) {
      observer.disconnect();
      observer = null;
    }
  };
}
