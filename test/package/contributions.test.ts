// What package.json promises about the exports and the walkthrough, held to the code and the files: a
// typo in a command, a media path or a context key would leave a dead button or a step never checked off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../..');
interface Step {
  id: string;
  title: string;
  description: string;
  media: { svg?: string; altText?: string };
  completionEvents?: string[];
}
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: {
    commands: { command: string }[];
    menus: Record<string, { command?: string; when?: string }[]>;
    walkthroughs: { id: string; steps: Step[] }[];
  };
};
const commands = new Set(manifest.contributes.commands.map((c) => c.command));
/** Commands that exist only where the extension registers them (the source, not a bundle). */
const registered = ['src/extension/extension.ts', 'src/extension/walkthrough.ts', 'src/notebook/exportCommands.ts', 'src/notebook/notebookCommands.ts', 'src/shared/panelProtocol.ts']
  .map((f) => readFileSync(join(root, f), 'utf8'))
  .join('\n');

test('the export commands are contributed, registered, in the notebook toolbar and the palette for IL notebooks only', () => {
  for (const command of ['ilNotebooks.exportHtmlReport', 'ilNotebooks.exportJsonResults']) {
    assert.ok(commands.has(command), command);
    assert.ok(registered.includes(`'${command}'`), `${command} is registered`);
    for (const menu of ['notebook/toolbar', 'commandPalette']) {
      const entry = manifest.contributes.menus[menu].find((m) => m.command === command);
      assert.equal(entry?.when, 'notebookType == il-notebook', `${command} in ${menu}`);
    }
  }
});

test('the walkthrough: 4–5 steps, each button a registered command, each completion event one that can happen, each picture a themed SVG that ships', () => {
  const [walkthrough] = manifest.contributes.walkthroughs;
  assert.equal(walkthrough.id, 'gettingStarted');
  assert.ok(walkthrough.steps.length >= 4 && walkthrough.steps.length <= 5);
  // The context keys the host sets (host files import vscode, so they are read, not imported).
  const contexts = new Set(
    ['src/notebook/controller.ts', 'src/editor/mdpEditorProvider.ts'].flatMap((f) => {
      const source = readFileSync(join(root, f), 'utf8');
      return source.includes("executeCommand('setContext'") ? [...source.matchAll(/_CONTEXT = '([\w.]+)'/g)].map((m) => m[1]) : [];
    }),
  );
  assert.deepEqual([...contexts].sort(), ['ilNotebooks.cellRan', 'ilNotebooks.mdpEditorOpened']);
  const shipped = readFileSync(join(root, '.vscodeignore'), 'utf8');
  assert.match(shipped, /^!media\/\*\*$/m, 'media/ is in the .vsix');
  for (const step of walkthrough.steps) {
    const buttons = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]);
    assert.equal(buttons.length, 1, `${step.id} has a button`);
    assert.ok(commands.has(buttons[0]) && registered.includes(`'${buttons[0]}'`), `${step.id}: ${buttons[0]} is contributed and registered`);
    assert.ok(step.completionEvents && step.completionEvents.length > 0, `${step.id} says when it is done`);
    for (const event of step.completionEvents) {
      const [kind, name] = event.split(':');
      if (kind === 'onCommand') assert.ok(commands.has(name), `${step.id}: ${event}`);
      else if (kind === 'onContext') assert.ok(contexts.has(name), `${step.id}: ${event} is a key the extension sets`);
      else assert.fail(`${step.id}: unexpected completion event ${event}`);
    }
    assert.ok(step.media.svg && step.media.altText, `${step.id} has an SVG with alt text`);
    const svg = readFileSync(join(root, step.media.svg), 'utf8');
    // Colours only from the theme's variables, so light, dark and high contrast all read.
    assert.doesNotMatch(svg, /#[0-9a-f]{3,8}\b|rgb\(|(?:fill|stroke)="(?!none|var\()/i, `${step.media.svg} uses theme colours only`);
    assert.ok(existsSync(join(root, step.media.svg)));
  }
  assert.ok(walkthrough.steps.some((s) => s.completionEvents?.includes('onCommand:ilNotebooks.plotGapVsHorizon')), 'the gap-vs-H step completes on its panel');
});
