/**
 * The HTML shell every webview of the extension uses: a strict Content-Security-Policy with a fresh
 * nonce, scripts and styles only from the extension's own bundles, no remote resources.
 *
 * `inline` puts the bundle's script and style into the page itself (still under the nonce) instead of
 * linking them. A webview that VS Code restores at start-up sometimes never receives its linked files:
 * in VS Code for the web they come through the webview's service worker, whose start races the restore
 * (microsoft/vscode#89038, #326544), and a page reloaded then can fail the same way. An inline page
 * needs nothing fetched, so restored panels use it.
 */
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { inlineScript } from './inlineScript';

export interface WebviewHtmlOptions {
  readonly inline?: boolean;
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, bundle: string, title: string, options: WebviewHtmlOptions = {}): string {
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}${options.inline ? ` 'nonce-${nonce}'` : ''}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  let style: string;
  let script: string;
  if (options.inline) {
    style = `<style nonce="${nonce}">${bundleText(extensionUri, 'media', `${bundle}.css`).replace(/<\/style/gi, '<\\/style')}</style>`;
    script = `<script type="module" nonce="${nonce}">${inlineScript(bundleText(extensionUri, 'dist', 'webview', `${bundle}.js`))}</script>`;
  } else {
    style = `<link rel="stylesheet" href="${webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', `${bundle}.css`))}">`;
    script = `<script type="module" nonce="${nonce}" src="${webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${bundle}.js`))}"></script>`;
  }
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${style}
<title>${title}</title>
</head>
<body>
<main id="app" aria-live="polite"></main>
${script}
</body>
</html>`;
}

const bundles = new Map<string, string>();

/** A bundle's text, read once per session (the files do not change while the extension runs). */
function bundleText(extensionUri: vscode.Uri, ...path: string[]): string {
  const file = join(extensionUri.fsPath, ...path);
  let text = bundles.get(file);
  if (text === undefined) {
    text = readFileSync(file, 'utf8');
    bundles.set(file, text);
  }
  return text;
}
