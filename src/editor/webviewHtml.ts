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
import * as vscode from 'vscode';
import { platform } from '../workers/platform';
import { inlineScript } from './inlineScript';

export interface WebviewHtmlOptions {
  readonly inline?: boolean;
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, bundle: string, title: string, options: WebviewHtmlOptions = {}): string {
  // Web Crypto: the same in a Node extension host and a browser's.
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  // The web build has a bundle's text only once it has been fetched; until then the page links it.
  const inline = options.inline === true && platform().bundleText(['media', `${bundle}.css`]) !== undefined && platform().bundleText(['dist', 'webview', `${bundle}.js`]) !== undefined;
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}${inline ? ` 'nonce-${nonce}'` : ''}`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  let style: string;
  let script: string;
  if (inline) {
    style = `<style nonce="${nonce}">${platform().bundleText(['media', `${bundle}.css`])!.replace(/<\/style/gi, '<\\/style')}</style>`;
    script = `<script type="module" nonce="${nonce}">${inlineScript(platform().bundleText(['dist', 'webview', `${bundle}.js`])!)}</script>`;
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
