/**
 * Colour arithmetic for the canvases, kept free of the DOM so the tests can run it in Node. Ramps are
 * built from the theme's own colours so that dark, light and high-contrast themes all stay readable.
 */

export type Rgb = readonly [number, number, number];

export interface Rgba {
  readonly rgb: Rgb;
  readonly alpha: number;
}

export interface ColourStop {
  readonly at: number;
  readonly rgb: Rgb;
}

function clampByte(x: number): number {
  return Math.max(0, Math.min(255, Math.round(x)));
}

/** Parses the forms getComputedStyle and canvas fillStyle hand back (#rgb[a], #rrggbb[aa], rgb[a]()). */
export function parseColour(text: string): Rgba | null {
  const s = text.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3,8})$/.exec(s);
  if (hex) {
    let h = hex[1];
    if (h.length === 3 || h.length === 4) h = [...h].map((c) => c + c).join('');
    if (h.length !== 6 && h.length !== 8) return null;
    const n = (i: number) => parseInt(h.slice(i, i + 2), 16);
    return { rgb: [n(0), n(2), n(4)], alpha: h.length === 8 ? n(6) / 255 : 1 };
  }
  const fn = /^rgba?\(([^)]*)\)$/.exec(s);
  if (fn) {
    const parts = fn[1].split(/[\s,/]+/).filter((p) => p.length > 0);
    if (parts.length < 3) return null;
    const channel = (p: string) => (p.endsWith('%') ? (parseFloat(p) * 255) / 100 : parseFloat(p));
    const rgb = parts.slice(0, 3).map(channel);
    if (rgb.some((c) => !Number.isFinite(c))) return null;
    const a = parts[3] === undefined ? 1 : parts[3].endsWith('%') ? parseFloat(parts[3]) / 100 : parseFloat(parts[3]);
    return { rgb: [clampByte(rgb[0]), clampByte(rgb[1]), clampByte(rgb[2])], alpha: Number.isFinite(a) ? Math.max(0, Math.min(1, a)) : 1 };
  }
  return null;
}

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  const u = Math.max(0, Math.min(1, t));
  return [clampByte(a[0] + (b[0] - a[0]) * u), clampByte(a[1] + (b[1] - a[1]) * u), clampByte(a[2] + (b[2] - a[2]) * u)];
}

/** A translucent theme colour as it appears over the background (a ramp needs opaque stops). */
export function flatten(colour: Rgba, background: Rgb): Rgb {
  return mix(background, colour.rgb, colour.alpha);
}

export function toCss(rgb: Rgb, alpha = 1): string {
  return alpha >= 1 ? `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})` : `rgba(${rgb[0]}, ${rgb[1]}, ${rgb[2]}, ${alpha})`;
}

/** WCAG relative luminance, used to tell a dark background from a light one. */
export function luminance(rgb: Rgb): number {
  const lin = (c: number) => {
    const x = c / 255;
    return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2]);
}

/** Piecewise-linear ramp sampled into an RGBA lookup table of n entries (n ≥ 2). */
export function rampLut(stops: readonly ColourStop[], n = 256): Uint8ClampedArray {
  const lut = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    const t = i / (n - 1);
    let k = 0;
    while (k < stops.length - 2 && t > stops[k + 1].at) k++;
    const a = stops[k];
    const b = stops[Math.min(k + 1, stops.length - 1)];
    const span = b.at - a.at;
    const c = mix(a.rgb, b.rgb, span > 0 ? (t - a.at) / span : 0);
    lut[i * 4] = c[0];
    lut[i * 4 + 1] = c[1];
    lut[i * 4 + 2] = c[2];
    lut[i * 4 + 3] = 255;
  }
  return lut;
}

/**
 * Background → accent → a mix of accent and foreground: zero fades into the page, the largest values
 * move towards the text colour, so the ramp keeps its direction whether the theme is dark or light.
 */
export function sequentialStops(background: Rgb, accent: Rgb, foreground: Rgb): ColourStop[] {
  return [
    { at: 0, rgb: background },
    { at: 0.6, rgb: accent },
    { at: 1, rgb: mix(accent, foreground, 0.55) },
  ];
}

/** Negative accent ← background → positive accent; zero is the page colour. */
export function divergingStops(negative: Rgb, background: Rgb, positive: Rgb, foreground: Rgb): ColourStop[] {
  return [
    { at: 0, rgb: mix(negative, foreground, 0.35) },
    { at: 0.25, rgb: negative },
    { at: 0.5, rgb: background },
    { at: 0.75, rgb: positive },
    { at: 1, rgb: mix(positive, foreground, 0.35) },
  ];
}
