import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : name.endsWith('.ts') ? [full] : [];
  });
}

const sources = [...sourceFiles(join(root, 'src')), ...sourceFiles(join(root, 'webview'))].map((file) => ({ file: relative(root, file), text: readFileSync(file, 'utf8') }));

/** Where a name is defined (function, class, const or let) rather than imported. */
function definitions(name: string): string[] {
  const defined = new RegExp(`^\\s*(?:export\\s+)?(?:function|class|const|let)\\s+${name}\\b`, 'm');
  return sources.filter((s) => defined.test(s.text)).map((s) => s.file);
}

// Copies of these drift apart (two CancelledErrors fail each other's instanceof; two record guards
// disagree on arrays), so each has one home and everything else imports it.
const ONE_HOME: Record<string, string> = {
  CancelledError: 'src/workers/errors.ts',
  RemoteError: 'src/workers/errors.ts',
  isRecord: 'src/core/guards.ts',
  int32Offsets: 'src/core/kernels/rowOffsets.ts',
  aleaMix: 'src/core/kernels/alea.ts',
};

for (const [name, home] of Object.entries(ONE_HOME)) {
  test(`${name} is defined once, in ${home}`, () => {
    assert.deepEqual(definitions(name), [home]);
  });
}

test("alea's multiplier appears only in the one alea step (no inlined copies of the recurrence)", () => {
  assert.deepEqual(
    sources.filter((s) => s.text.includes('2091639')).map((s) => s.file),
    ['src/core/kernels/alea.ts'],
  );
});
