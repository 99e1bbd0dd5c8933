// A Chromium-based browser (Chromium, Chrome or Edge, wherever the reader has
// one), driven by playwright-core, on a fresh temporary profile that is
// deleted afterwards. findBrowser() only looks: a machine without a browser
// still runs every other docs check.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where browsers usually are, on Linux, macOS and Windows, most likely first. */
function usualPaths(): string[] {
  const env = process.env;
  const windows = [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter((dir): dir is string => Boolean(dir));
  return [
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/snap/bin/chromium',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/opt/google/chrome/chrome',
    '/usr/bin/microsoft-edge',
    '/usr/bin/microsoft-edge-stable',
    '/opt/microsoft/msedge/msedge',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
    ...windows.flatMap((dir) => [
      path.join(dir, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      path.join(dir, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
      path.join(dir, 'Chromium', 'Application', 'chrome.exe'),
    ]),
  ];
}

/** The browser Playwright downloaded (`npx playwright install chromium`), if any. */
function playwrightsOwn(): string | undefined {
  try {
    return (require('playwright-core') as typeof import('playwright-core')).chromium.executablePath();
  } catch {
    return undefined;
  }
}

export type BrowserSearch = { path: string } | { missing: string };

/** CHROMIUM_PATH if set (it must exist), else the first browser found in the usual places. */
export function findBrowser(): BrowserSearch {
  const chosen = process.env.CHROMIUM_PATH;
  if (chosen) return fs.existsSync(chosen) ? { path: chosen } : { missing: `CHROMIUM_PATH is ${chosen}, which does not exist` };
  const found = [...usualPaths(), playwrightsOwn()].find((candidate) => candidate && fs.existsSync(candidate));
  return found ? { path: found } : { missing: 'no Chromium, Chrome or Edge in the usual places, and none from Playwright' };
}

/** How to get a browser, for the line that says the browser checks were skipped. */
export const HOW_TO_GET_A_BROWSER =
  'install Chromium, Chrome or Edge (Debian: apt-get install chromium; or npx playwright install chromium), ' +
  'or set CHROMIUM_PATH=/path/to/chrome';

export interface Browser {
  context: BrowserContext;
  /** the browser's executable */
  executable: string;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const search = findBrowser();
  if ('missing' in search) throw new Error(`${search.missing}: ${HOW_TO_GET_A_BROWSER}`);
  const { chromium } = await import('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'course-docs-chromium-'));
  const removeProfile = () => fs.rmSync(profile, { recursive: true, force: true });
  // A check that exits before close() (its watchdog stopped it) removes the profile too.
  process.once('exit', removeProfile);
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: search.path,
      headless: true,
      args: ARGS,
      viewport: { width: 1280, height: 900 },
    });
  } catch (error) {
    process.off('exit', removeProfile);
    removeProfile();
    throw error;
  }
  let closed = false;
  return {
    context,
    executable: search.path,
    async close() {
      if (closed) return;
      closed = true;
      // close() waits for the browser to exit; a hung browser must not hang us.
      let timer: NodeJS.Timeout | undefined;
      const giveUp = new Promise((resolve) => (timer = setTimeout(resolve, 10_000)));
      await Promise.race([context.close().catch(() => {}), giveUp]);
      clearTimeout(timer);
      process.off('exit', removeProfile);
      removeProfile();
    },
  };
}
