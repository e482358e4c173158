import { test } from 'node:test';
import assert from 'node:assert/strict';
import { divergingStops, flatten, luminance, mix, parseColour, rampLut, sequentialStops, type Rgb } from '../../webview/components/colour';

test('parses the colour forms VS Code and canvases produce', () => {
  assert.deepEqual(parseColour('#3794ff'), { rgb: [0x37, 0x94, 0xff], alpha: 1 });
  assert.deepEqual(parseColour(' #FFF '), { rgb: [255, 255, 255], alpha: 1 });
  assert.deepEqual(parseColour('#00000080')?.rgb, [0, 0, 0]);
  assert.ok(Math.abs(parseColour('#00000080')!.alpha - 128 / 255) < 1e-12);
  assert.deepEqual(parseColour('rgba(204, 204, 204, 0.5)'), { rgb: [204, 204, 204], alpha: 0.5 });
  assert.deepEqual(parseColour('rgb(10 20 30 / 50%)'), { rgb: [10, 20, 30], alpha: 0.5 });
  assert.equal(parseColour('tomato'), null);
  assert.equal(parseColour(''), null);
  assert.equal(parseColour('#12345'), null);
});

test('mixing and flattening a translucent colour over the background', () => {
  assert.deepEqual(mix([0, 0, 0], [255, 255, 255], 0.5), [128, 128, 128]);
  assert.deepEqual(mix([0, 0, 0], [255, 255, 255], 2), [255, 255, 255]);
  assert.deepEqual(flatten({ rgb: [255, 255, 255], alpha: 0.5 }, [0, 0, 0]), [128, 128, 128]);
});

function lutAt(lut: Uint8ClampedArray, i: number): Rgb {
  return [lut[i * 4], lut[i * 4 + 1], lut[i * 4 + 2]];
}

for (const [name, bg, fg] of [
  ['dark', [31, 31, 31], [204, 204, 204]],
  ['light', [255, 255, 255], [59, 59, 59]],
  ['high contrast', [0, 0, 0], [255, 255, 255]],
] as [string, Rgb, Rgb][]) {
  test(`sequential ramp (${name}): starts at the background, moves steadily away from it`, () => {
    const lut = rampLut(sequentialStops(bg, [55, 148, 255], fg), 256);
    assert.equal(lut.length, 256 * 4);
    assert.deepEqual(lutAt(lut, 0), bg);
    assert.equal(lut[3], 255);
    const distance = (c: Rgb) => Math.hypot(c[0] - bg[0], c[1] - bg[1], c[2] - bg[2]);
    let last = -1;
    for (let i = 0; i < 256; i += 5) {
      const d = distance(lutAt(lut, i));
      assert.ok(d >= last - 1, `entry ${i} moved back towards the background`);
      last = d;
    }
    // The top of the ramp contrasts with the page in luminance, whichever way the theme goes.
    assert.ok(Math.abs(luminance(lutAt(lut, 255)) - luminance(bg)) > 0.15);
  });
}

test('diverging ramp: background in the middle, the two accents at the quarter points', () => {
  const bg: Rgb = [31, 31, 31];
  const red: Rgb = [241, 76, 76];
  const blue: Rgb = [55, 148, 255];
  const lut = rampLut(divergingStops(red, bg, blue, [204, 204, 204]), 257);
  assert.deepEqual(lutAt(lut, 128), bg);
  assert.deepEqual(lutAt(lut, 64), red);
  assert.deepEqual(lutAt(lut, 192), blue);
});
