/**
 * End-to-end harness: the packaged extension inside a real VS Code (code-server, set up in .tools/ by
 * scripts/setup-code-server.sh), driven by Playwright in Debian's Chromium. Every session gets a fresh
 * user-data folder and a copy of the examples as its workspace, so runs never touch the repository.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { chromium, type Browser, type ConsoleMessage, type FrameLocator, type Locator, type Page } from 'playwright-core';

export const root = join(__dirname, '../..');
const tools = join(root, '.tools');
const entry = join(tools, 'node_modules/code-server/out/node/entry.js');
export const vsix = join(root, 'dist-vsix/il-notebooks.vsix');
export const resultsDir = join(root, 'test-results');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs} ms`);
}

export interface SessionOptions {
  /** Keep the workspace-trust prompt (the untrusted scenario). */
  readonly trustPrompt?: boolean;
  /** Extra files for the workspace: path relative to the workspace → content. */
  readonly files?: Record<string, string>;
  /** Extra user settings (e.g. a colour theme). */
  readonly settings?: Record<string, unknown>;
  /** Extra environment for code-server (and so for the extension host). */
  readonly env?: Record<string, string>;
}

export class Session {
  readonly consoleErrors: string[] = [];
  private constructor(
    readonly page: Page,
    readonly workspace: string,
    private readonly browser: Browser,
    private readonly server: ChildProcess,
  ) {}

  static async start(name: string, options: SessionOptions = {}): Promise<Session> {
    const base = mkdtempSync(join(tmpdir(), `il-e2e-${name}-`));
    const userData = join(base, 'user-data');
    const extensions = join(base, 'extensions');
    const workspace = join(base, 'workspace');
    mkdirSync(join(userData, 'User'), { recursive: true });
    writeFileSync(
      join(userData, 'User/settings.json'),
      JSON.stringify({ 'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'security.workspace.trust.startupPrompt': 'always', 'telemetry.telemetryLevel': 'off', 'extensions.ignoreRecommendations': true, 'files.hotExit': 'off', ...options.settings }),
    );
    cpSync(join(root, 'examples'), workspace, { recursive: true });
    for (const [path, content] of Object.entries(options.files ?? {})) writeFileSync(join(workspace, path), content);
    const install = spawnSync(process.execPath, [entry, '--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix], { encoding: 'utf8' });
    if (install.status !== 0) throw new Error(`installing the .vsix failed:\n${install.stdout}\n${install.stderr}`);
    const port = await freePort();
    const args = [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--user-data-dir', userData, '--extensions-dir', extensions];
    if (!options.trustPrompt) args.push('--disable-workspace-trust');
    const server = spawn(process.execPath, [...args, workspace], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
    let log = '';
    server.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    server.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    try {
      await waitForHttp(`http://127.0.0.1:${port}/healthz`, 60_000);
    } catch (error) {
      server.kill();
      throw new Error(`${(error as Error).message}\n${log}`, { cause: error });
    }
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const session = new Session(page, workspace, browser, server);
    page.on('console', (m: ConsoleMessage) => {
      if (/Refused to/.test(m.text())) session.consoleErrors.push(m.text());
    });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60_000 });
    return session;
  }

  /**
   * Opens a workspace file by clicking its row in the Explorer and waits for `ready` (the editor it
   * should open in). Until the extension registry has loaded, VS Code opens any file as text; such an
   * early text editor is closed and the click repeated.
   */
  async openFromExplorer(name: string, ready: string): Promise<void> {
    const row = this.page.locator(`.explorer-folders-view .monaco-list-row[aria-label^="${name}"]`).first();
    await row.waitFor({ timeout: 30_000 });
    const target = this.page.locator(ready).filter({ visible: true }).first();
    for (let attempt = 0; attempt < 4; attempt++) {
      await row.click();
      try {
        await target.waitFor({ timeout: 20_000 });
        return;
      } catch {
        // Opened as text before the extension registry was ready: close it and try again.
        await this.page.keyboard.press('Control+W');
        await this.page.waitForTimeout(2_000);
      }
    }
    throw new Error(`${name} did not open in ${ready}`);
  }

  /** The frame that holds a notebook's outputs. */
  notebookOutputs(): FrameLocator {
    return this.page.frameLocator('.notebook-editor iframe.webview.ready').first().frameLocator('#active-frame');
  }

  /** The content frame of the active webview (custom editor, panel or notebook outputs). */
  webview(selector = 'iframe.webview.ready'): FrameLocator {
    return this.page.frameLocator(selector).last().frameLocator('#active-frame');
  }

  /** The webview frame whose body shows `text` (panels, custom editors and outputs each have one). */
  async webviewShowing(text: RegExp, timeoutMs = 60_000): Promise<FrameLocator> {
    const selector = 'iframe.webview.ready';
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const count = await this.page.locator(selector).count();
      for (let i = 0; i < count; i++) {
        const frame = this.page.frameLocator(selector).nth(i).frameLocator('#active-frame');
        const body = await frame.locator('body').innerText({ timeout: 1_000 }).catch(() => '');
        if (text.test(body)) return frame;
      }
      await this.page.waitForTimeout(500);
    }
    throw new Error(`no webview shows ${text}`);
  }

  /**
   * Switches the colour theme as a user does (Preferences: Color Theme), live: no reload, so open
   * editors, panels and notebook outputs stay where they are and are redrawn with the new theme's
   * variables. Resolves once the workbench and every webview wear it.
   */
  async setColorTheme(theme: 'Dark Modern' | 'Light Modern' | 'Dark High Contrast'): Promise<void> {
    const kinds = { 'Dark Modern': ['vs-dark', 'vscode-dark'], 'Light Modern': ['vs', 'vscode-light'], 'Dark High Contrast': ['hc-black', 'vscode-high-contrast'] } as const;
    const [workbenchClass, webviewClass] = kinds[theme];
    const input = this.page.locator('.quick-input-widget input');
    await this.page.keyboard.press('F1');
    await input.fill('>Preferences: Color Theme');
    await this.page.locator('.quick-input-list .monaco-list-row[aria-label^="Preferences: Color Theme,"]').first().click();
    await input.fill(theme);
    await this.page.locator(`.quick-input-list .monaco-list-row[aria-label^="${theme},"]`).first().click();
    await this.page.waitForFunction((cls) => document.querySelector('.monaco-workbench')?.classList.contains(cls) === true, workbenchClass, { timeout: 15_000 });
    const frames = this.page.locator('iframe.webview.ready');
    for (let i = 0; i < (await frames.count()); i++) {
      const body = this.page.frameLocator('iframe.webview.ready').nth(i).frameLocator('#active-frame').locator(`body.${webviewClass}`);
      // A hidden webview (a background tab) is told of the theme when it is shown again.
      if (await frames.nth(i).isVisible()) await body.waitFor({ state: 'attached', timeout: 15_000 });
    }
  }

  /**
   * Focuses cell `index` (from 0) of the open notebook in command mode, as the arrow keys do, which
   * scrolls it into view. The notebook draws only the cells (and outputs) in view, so this is how a
   * test reaches a cell further down; the mouse wheel overshoots when the list's heights change.
   */
  async focusCell(index: number): Promise<void> {
    const where = await this.page.evaluate(() => {
      const active = document.activeElement;
      if (!active?.closest('.notebook-editor .monaco-list')) return 'outside';
      return active.closest('.monaco-editor') ? 'cell editor' : 'list';
    });
    if (where === 'outside') {
      // Into a cell editor well inside the window (a rendered Markdown cell has none; one under the
      // toolbar would not take the click), then out of it into command mode.
      const editors = this.page.locator('.notebook-editor .monaco-list-row .monaco-editor').filter({ visible: true });
      const height = this.page.viewportSize()!.height;
      let clicked = false;
      for (let i = 0; i < (await editors.count()) && !clicked; i++) {
        const box = await editors.nth(i).boundingBox();
        if (box && box.y > 110 && box.y + 20 < height - 40) {
          await this.page.mouse.click(box.x + Math.min(200, box.width / 2), box.y + 10);
          clicked = true;
        }
      }
      if (!clicked) throw new Error('no cell editor in view to focus the notebook by');
    }
    if (where !== 'list') await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Control+Home');
    // Attached, not visible: a rendered Markdown cell's row is empty (its text is in the outputs' frame).
    await this.page.locator('.notebook-editor .monaco-list-row.focused[data-index="0"]').waitFor({ state: 'attached', timeout: 10_000 });
    for (let i = 0; i < index; i++) {
      await this.page.keyboard.press('ArrowDown');
      await this.page.locator(`.notebook-editor .monaco-list-row.focused[data-index="${i + 1}"]`).waitFor({ state: 'attached', timeout: 10_000 });
    }
  }

  /**
   * Brings `target` (in the outputs' frame, under cell `cell`) near the top of the window: the cell is
   * focused first, so its outputs are drawn, then the notebook is wheeled by the target's own offset.
   */
  async revealOutput(cell: number, target: Locator): Promise<void> {
    await this.focusCell(cell);
    await target.first().waitFor({ state: 'attached', timeout: 60_000 });
    // Over the cells' left margin: over an output, the outputs' frame would take the wheel and pass on a fraction of it.
    const notebook = await this.page.locator('.notebook-editor .monaco-list').filter({ visible: true }).first().boundingBox();
    await this.page.mouse.move(notebook!.x + 10, notebook!.y + notebook!.height / 2);
    const height = this.page.viewportSize()!.height;
    const seen: string[] = [];
    for (let i = 0; i < 20; i++) {
      const box = await target.first().boundingBox({ timeout: 5_000 });
      seen.push(box ? `${Math.round(box.y)}` : 'none');
      // Near the top, or as high as it goes (the end of the notebook) with its top in view.
      if (box && box.y >= 100 && box.y <= 400) return;
      if (box && i > 0 && seen[i] === seen[i - 1] && box.y > 0 && box.y < height - 100) return;
      await this.page.mouse.wheel(0, box ? box.y - 200 : 0);
      await this.page.waitForTimeout(300);
    }
    const under = await this.page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.className, [notebook!.x + 10, notebook!.y + notebook!.height / 2]);
    throw new Error(`the output of cell ${cell + 1} did not come into view (its top at y = ${seen.join(', ')}; the wheel was over "${under}")`);
  }

  async screenshot(name: string): Promise<void> {
    mkdirSync(resultsDir, { recursive: true });
    await this.page.screenshot({ path: join(resultsDir, `${name}.png`) });
  }

  async close(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    this.server.kill();
  }
}

/**
 * A file's text once a save has reached the disk. The tab's dirty mark can clear before the whole file
 * is written (a 77 KB notebook was once read 4 KB short, and whole a moment later), so the file is read
 * until it equals `expected` or, without one, until two reads 300 ms apart agree. After `timeoutMs` the
 * last read is returned, so the caller's assertion shows what is on disk: a wrong save still fails.
 */
export async function savedText(path: string, expected?: string, timeoutMs = 15_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let text = readFileSync(path, 'utf8');
  for (;;) {
    if (expected !== undefined && text === expected) return text;
    await new Promise((r) => setTimeout(r, 300));
    const again = readFileSync(path, 'utf8');
    if (expected === undefined && again === text) return text;
    text = again;
    if (Date.now() > end) return text;
  }
}

/** Counts canvas pixels that differ from the canvas's own corner colour (a blank canvas has none). */
export const COUNT_DRAWN_PIXELS = (canvas: HTMLCanvasElement): number => {
  const ctx = canvas.getContext('2d');
  if (!ctx || canvas.width === 0 || canvas.height === 0) return 0;
  const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
  const [r0, g0, b0, a0] = [data[0], data[1], data[2], data[3]];
  let drawn = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i] !== r0 || data[i + 1] !== g0 || data[i + 2] !== b0 || data[i + 3] !== a0) drawn++;
  return drawn;
};

/** Waits until at least `count` cells of the open notebook show `state` (VS Code's own cell status icons). */
export async function waitForCellStates(s: Session, state: 'success' | 'error', count: number, timeoutMs = 120_000): Promise<void> {
  await s.page.waitForFunction(
    ([cls, n]) => document.querySelectorAll(`.notebook-editor .codicon-notebook-state-${cls}`).length >= (n as number),
    [state, count] as const,
    { timeout: timeoutMs },
  );
}

/**
 * Opens a self-contained HTML report from disk in Chromium with the network cut, in the light and the
 * dark colour scheme: no page errors or requests, at least `plots` canvases drawn (pixels counted).
 * Screenshots go to test-results/<name>-light.png and -dark.png.
 */
export async function assertReportDrawsOffline(file: string, name: string, plots = 2): Promise<void> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    mkdirSync(resultsDir, { recursive: true });
    for (const scheme of ['light', 'dark'] as const) {
      const context = await browser.newContext({ colorScheme: scheme, offline: true, viewport: { width: 1100, height: 900 } });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('requestfailed', (r) => errors.push(`request ${r.url()}`));
      await page.goto(`file://${file}`);
      await page.waitForFunction(() => (window as unknown as { __reportReady?: boolean }).__reportReady === true, null, { timeout: 30_000 });
      await page.waitForTimeout(500);
      const drawn = await page.locator('canvas').evaluateAll((nodes, count) => nodes.map((n) => new Function('c', `return (${count})(c)`)(n) as number), COUNT_DRAWN_PIXELS.toString());
      assert.ok(drawn.filter((n) => n > 2_000).length >= plots, `plots drawn (${scheme}): ${drawn.join(', ')}`);
      assert.deepEqual(errors, []);
      await page.locator('canvas').first().scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(resultsDir, `${name}-${scheme}.png`) });
      await context.close();
    }
  } finally {
    await browser.close();
  }
}
