import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { inlineScript } from '../../src/editor/inlineScript';

test('an inlined bundle cannot close its <script> early and computes what the bundle computed', () => {
  const bundle = [
    'const tag = "</script><b>x</b>";',
    "const re = /<\\/SCRIPT>/i;",
    'const tpl = `a</Script>b`;',
    'result = [tag, re.source, tpl, re.test("</script>")];',
    '//# sourceMappingURL=panel.js.map',
    '',
  ].join('\n');
  const inlined = inlineScript(bundle);
  assert.doesNotMatch(inlined, /<\/script/i);
  assert.doesNotMatch(inlined, /sourceMappingURL/);
  const run = (code: string) => {
    const sandbox: { result?: unknown } = {};
    runInNewContext(code, sandbox);
    return JSON.stringify(sandbox.result);
  };
  assert.equal(run(inlined), run(bundle));
  assert.match(run(bundle), /a<\/Script>b/);
});
