/**
 * A notebook as one self-contained HTML file: markdown, code, text outputs, and the rich views drawn by
 * the same renderer the notebook uses, inlined (no network: scripts, styles and data are all in the
 * file). Colours follow the reader's light or dark preference through the VS Code variables the view
 * components read. `il-notebooks run --report` and the editor's "Export as HTML Report" both write it,
 * so the same outputs give the same file. vscode-free.
 */
import { marked } from 'marked';
import { isJsonMime, normalizeOutputs, type NotebookContent, type NotebookOutputItem } from '../notebookFormat';
import { ERROR_MIME, readErrorOutput, STDERR_MIME, STDOUT_MIME } from '../runNotebook';

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** JSON inside a <script> element: `</script>` and friends cannot end it early. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

const LIGHT = `--vscode-font-family: system-ui, -apple-system, "Segoe UI", Ubuntu, sans-serif; --vscode-font-size: 13px;
  --vscode-editor-foreground: #3b3b3b; --vscode-editor-background: #ffffff; --vscode-foreground: #3b3b3b;
  --vscode-charts-blue: #1a85ff; --vscode-charts-red: #e51400; --vscode-charts-green: #388a34; --vscode-charts-orange: #d18616;
  --vscode-charts-purple: #652d90; --vscode-charts-lines: rgba(59, 59, 59, 0.5); --vscode-focusBorder: #005fb8;
  --vscode-descriptionForeground: #717171; --vscode-button-background: #005fb8; --vscode-button-foreground: #ffffff;
  --vscode-button-secondaryBackground: #e5e5e5; --vscode-button-secondaryForeground: #3b3b3b; --vscode-input-background: #ffffff;
  --vscode-input-foreground: #3b3b3b; --vscode-input-border: #cecece; --vscode-dropdown-background: #ffffff;
  --vscode-dropdown-foreground: #3b3b3b; --vscode-dropdown-border: #cecece; --vscode-editorWidget-border: #e5e5e5;
  --vscode-list-hoverBackground: #f2f2f2; --vscode-textBlockQuote-background: #f8f8f8;
  --vscode-editorHoverWidget-background: #f8f8f8; --vscode-editorHoverWidget-border: #c8c8c8; --code-background: #f6f6f6; --error: #c72e0f;`;
const DARK = `--vscode-editor-foreground: #cccccc; --vscode-editor-background: #1f1f1f; --vscode-foreground: #cccccc;
  --vscode-charts-blue: #3794ff; --vscode-charts-red: #f14c4c; --vscode-charts-green: #89d185; --vscode-charts-orange: #d18616;
  --vscode-charts-purple: #b180d7; --vscode-charts-lines: rgba(204, 204, 204, 0.5); --vscode-focusBorder: #0078d4;
  --vscode-descriptionForeground: #9d9d9d; --vscode-button-background: #0078d4; --vscode-button-secondaryBackground: #313131;
  --vscode-button-secondaryForeground: #cccccc; --vscode-input-background: #313131; --vscode-input-foreground: #cccccc;
  --vscode-input-border: #3c3c3c; --vscode-dropdown-background: #313131; --vscode-dropdown-foreground: #cccccc;
  --vscode-dropdown-border: #3c3c3c; --vscode-editorWidget-border: #454545; --vscode-list-hoverBackground: #2a2d2e;
  --vscode-textBlockQuote-background: #2b2b2b; --vscode-editorHoverWidget-background: #202020;
  --vscode-editorHoverWidget-border: #454545; --code-background: #2b2b2b; --error: #f14c4c;`;

const STYLE = `body { ${LIGHT} margin: 0 auto; max-width: 1000px; padding: 24px; font-family: var(--vscode-font-family);
  color: var(--vscode-editor-foreground); background: var(--vscode-editor-background); }
@media (prefers-color-scheme: dark) { body { ${DARK} } }
.cell { margin: 18px 0; }
pre { background: var(--code-background); padding: 10px 12px; border-radius: 4px; overflow-x: auto; font-size: 12.5px; }
pre.code { border-left: 3px solid var(--vscode-charts-blue); }
pre.error { color: var(--error); }
.label { font-size: 11px; color: var(--vscode-descriptionForeground); margin-bottom: 2px; }
.output { margin: 8px 0 8px 12px; }
.note { font-size: 12px; color: var(--vscode-charts-orange); margin: 4px 0; }
.cell.stale .output { opacity: 0.6; }
footer { margin-top: 40px; font-size: 11px; color: var(--vscode-descriptionForeground); }`;

function outputHtml(items: readonly NotebookOutputItem[], index: number, payloads: { id: string; mime: string; data: unknown }[]): string {
  const rich = items.find((i) => i.mime.startsWith('application/vnd.il-notebooks.'));
  if (rich) {
    const id = `view-${index}`;
    try {
      payloads.push({ id, mime: rich.mime, data: JSON.parse(rich.data) });
      return `<div class="output" id="${id}"></div>`;
    } catch {
      // An unreadable payload falls back to its text below.
    }
  }
  const error = items.find((i) => i.mime === ERROR_MIME);
  if (error) {
    return `<pre class="output error">${escapeHtml(readErrorOutput(error.data).stack)}</pre>`;
  }
  const markdown = items.find((i) => i.mime === 'text/markdown');
  if (markdown) return `<div class="output">${marked.parse(markdown.data, { async: false })}</div>`;
  const stream = items.find((i) => i.mime === STDOUT_MIME || i.mime === STDERR_MIME);
  if (stream) return `<pre class="output${stream.mime === STDERR_MIME ? ' error' : ''}">${escapeHtml(stream.data)}</pre>`;
  const text = items.find((i) => i.mime === 'text/plain') ?? items.find((i) => !isJsonMime(i.mime));
  return text ? `<pre class="output">${escapeHtml(text.data)}</pre>` : '';
}

/** The built notebook renderer, relative to dist/ (the CLI's bundle and the installed extension both have it there). */
export const RENDERER_BUNDLE = ['webview', 'notebookRenderer.js'] as const;

/**
 * `rendererScript` is the built notebook renderer (dist/webview/notebookRenderer.js), an ES module
 * exporting `activate`; it is inlined and given each payload, as VS Code would.
 */
export function notebookReport(notebook: NotebookContent, title: string, rendererScript: string, notes: ReadonlyMap<number, string> = new Map()): string {
  const payloads: { id: string; mime: string; data: unknown }[] = [];
  let counter = 0;
  const cells = notebook.cells.map((cell, i) => {
    if (cell.kind === 'markdown') return `<section class="cell markdown">${marked.parse(cell.source, { async: false })}</section>`;
    const outputs = normalizeOutputs(cell.outputs).map((o) => outputHtml(o.items, counter++, payloads)).join('\n');
    // A cell the run did not run shows outputs from an earlier run: the reader is told so above them.
    const note = notes.get(i);
    return `<section class="cell code${note ? ' stale' : ''}"><div class="label">cell ${i + 1} · ${escapeHtml(cell.language)}</div>${note ? `<div class="note">${escapeHtml(note)}</div>` : ''}<pre class="code">${escapeHtml(cell.source)}</pre>${outputs}</section>`;
  });
  // The renderer's module and the payloads are inlined as JSON; the bootstrap loads the module from a
  // blob (its export keeps its name whatever the minifier did) and hands it each payload.
  const bootstrap = `const payloads = JSON.parse(document.getElementById('il-payloads').textContent);
const source = JSON.parse(document.getElementById('il-renderer').textContent);
const { activate } = await import(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
const renderer = activate({ workspace: { isTrusted: true }, setState() {}, getState() { return undefined; }, getRenderer: async () => undefined });
for (const p of payloads) {
  const text = JSON.stringify(p.data);
  const element = document.getElementById(p.id);
  renderer.renderOutputItem({ id: p.id, mime: p.mime, metadata: {}, json: () => JSON.parse(text), text: () => text, data: () => new TextEncoder().encode(text), blob: () => new Blob([text]) }, element, new AbortController().signal);
}
window.__reportReady = true;`;
  const renderer = rendererScript.replace(/^\/\/# sourceMappingURL=.*$/m, '');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body class="vscode-light">
${cells.join('\n')}
<footer>Generated by IL Notebooks from ${escapeHtml(title)}.</footer>
<script type="application/json" id="il-payloads">${scriptJson(payloads)}</script>
<script type="application/json" id="il-renderer">${scriptJson(renderer)}</script>
<script type="module">${bootstrap}</script>
</body>
</html>
`;
}
