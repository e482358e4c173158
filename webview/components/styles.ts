/**
 * CSS for every view component. Colours only through VS Code's variables (literal colours appear only
 * as var() fallbacks) so the outputs follow the theme without a redraw.
 */

export const STYLE_ID = 'il-notebooks-view-styles';

export const CSS = `
.iln-view {
  font-family: var(--vscode-font-family, system-ui, sans-serif);
  font-size: var(--vscode-font-size, 13px);
  color: var(--vscode-editor-foreground, #cccccc);
  line-height: 1.4;
  max-width: 100%;
  box-sizing: border-box;
}
.iln-view *, .iln-view *::before, .iln-view *::after { box-sizing: inherit; }
.iln-title { font-weight: 600; font-size: 1.05em; margin: 0 0 4px 0; }
.iln-caption, .iln-note, .iln-muted { color: var(--vscode-descriptionForeground, #9d9d9d); }
.iln-caption { margin: 0 0 6px 0; }
.iln-note { font-size: 0.92em; margin: 2px 0; }
.iln-toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px; margin: 4px 0 6px 0; }
.iln-toolbar label { display: inline-flex; align-items: center; gap: 4px; }
.iln-spacer { flex: 1 1 auto; }
.iln-view button {
  font: inherit;
  color: var(--vscode-button-foreground, #ffffff);
  background: var(--vscode-button-background, #0078d4);
  border: 1px solid var(--vscode-button-border, transparent);
  border-radius: 2px;
  padding: 2px 10px;
  cursor: pointer;
}
.iln-view button:hover:not(:disabled) { background: var(--vscode-button-hoverBackground, #026ec1); }
.iln-view button:disabled { opacity: 0.5; cursor: default; }
.iln-view button.iln-secondary {
  color: var(--vscode-button-secondaryForeground, #cccccc);
  background: var(--vscode-button-secondaryBackground, #313131);
}
.iln-view button.iln-secondary:hover:not(:disabled) { background: var(--vscode-button-secondaryHoverBackground, #3c3c3c); }
.iln-view button:focus-visible, .iln-view input:focus-visible, .iln-view select:focus-visible, .iln-view th:focus-visible {
  outline: 1px solid var(--vscode-focusBorder, #0078d4);
  outline-offset: 1px;
}
.iln-view input[type="text"], .iln-view input[type="search"], .iln-view select {
  font: inherit;
  color: var(--vscode-input-foreground, #cccccc);
  background: var(--vscode-input-background, #313131);
  border: 1px solid var(--vscode-input-border, var(--vscode-dropdown-border, #3c3c3c));
  border-radius: 2px;
  padding: 2px 6px;
}
.iln-view select {
  color: var(--vscode-dropdown-foreground, #cccccc);
  background: var(--vscode-dropdown-background, #313131);
}
.iln-view input[type="checkbox"] { accent-color: var(--vscode-checkbox-background, var(--vscode-focusBorder, #0078d4)); }
.iln-canvas-wrap { position: relative; width: 100%; }
.iln-canvas-wrap canvas { display: block; }
.iln-chart-wrap { position: relative; width: 100%; height: 340px; }
.iln-tooltip {
  position: absolute;
  pointer-events: none;
  z-index: 2;
  white-space: pre;
  font-size: 0.92em;
  padding: 4px 8px;
  color: var(--vscode-editorHoverWidget-foreground, var(--vscode-editor-foreground, #cccccc));
  background: var(--vscode-editorHoverWidget-background, #202020);
  border: 1px solid var(--vscode-editorHoverWidget-border, #454545);
  border-radius: 3px;
}
.iln-tooltip[hidden] { display: none; }
.iln-table-scroll { overflow: auto; max-width: 100%; max-height: 480px; margin: 4px 0 8px 0; }
.iln-dataset .iln-table-scroll { max-height: none; }
.iln-table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
.iln-table th, .iln-table td {
  padding: 2px 8px;
  border-bottom: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border, #454545));
  text-align: right;
  white-space: nowrap;
}
.iln-table th { position: sticky; top: 0; font-weight: 600; background: var(--vscode-editor-background, #1f1f1f); }
.iln-table th.iln-sortable { cursor: pointer; user-select: none; }
.iln-table th.iln-sortable:hover { color: var(--vscode-textLink-foreground, #4daafc); }
.iln-table th[aria-sort="ascending"]::after { content: " ▲"; font-size: 0.75em; }
.iln-table th[aria-sort="descending"]::after { content: " ▼"; font-size: 0.75em; }
.iln-table .iln-left { text-align: left; }
.iln-table .iln-group { border-left: 1px solid var(--vscode-editorWidget-border, var(--vscode-panel-border, #454545)); }
.iln-table tbody tr:hover { background: var(--vscode-list-hoverBackground, #2a2d2e); }
.iln-table .iln-unobserved { color: var(--vscode-disabledForeground, #8c8c8c); }
.iln-step { margin: 10px 0 4px 0; }
.iln-step-title { font-weight: 600; margin: 0; }
.iln-mass {
  display: inline-block;
  margin: 2px 0 6px 0;
  padding: 2px 8px;
  border-left: 3px solid var(--vscode-charts-orange, #d18616);
  background: var(--vscode-textBlockQuote-background, #2b2b2b);
}
.iln-notes { margin: 6px 0 0 0; padding-left: 18px; color: var(--vscode-descriptionForeground, #9d9d9d); }
.iln-pager { display: flex; align-items: center; gap: 8px; margin: 4px 0; }
.iln-error {
  padding: 6px 10px;
  color: var(--vscode-errorForeground, #f85149);
  background: var(--vscode-inputValidation-errorBackground, #5a1d1d);
  border: 1px solid var(--vscode-inputValidation-errorBorder, #be1100);
  border-radius: 2px;
}
.iln-error pre { margin: 4px 0 0 0; white-space: pre-wrap; color: var(--vscode-editor-foreground, #cccccc); }
.iln-untrusted {
  padding: 2px 8px;
  margin-bottom: 4px;
  border-left: 3px solid var(--vscode-inputValidation-warningBorder, #b89500);
  color: var(--vscode-descriptionForeground, #9d9d9d);
}
`;

let sheet: CSSStyleSheet | undefined;

/**
 * Adds the stylesheet once per document or shadow root (outputs may live in either). A constructed
 * stylesheet where the browser has them: a panel's Content-Security-Policy allows no inline <style>.
 */
export function ensureStyles(root: Document | ShadowRoot): void {
  if (typeof CSSStyleSheet !== 'undefined' && 'replaceSync' in CSSStyleSheet.prototype && Array.isArray(root.adoptedStyleSheets)) {
    sheet ??= (() => {
      const s = new CSSStyleSheet();
      s.replaceSync(CSS);
      return s;
    })();
    if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    return;
  }
  if (root.querySelector(`style#${STYLE_ID}`)) return;
  const style = document.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CSS;
  (root instanceof Document ? root.head ?? root.body : root).append(style);
}
