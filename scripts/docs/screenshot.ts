// Takes a screenshot of one page of the built site, to judge the design:
//   node --require tsx/cjs scripts/docs/screenshot.ts [page[#anchor]] [out.png] [--dark] [--print] [--full] [--width N]
//   page: a path inside site/ (default lessons/01-fork.html); out: default /tmp/docs-lesson.png
import { exitWithUsage } from '../course';
import { buildOrExplain, siteDir } from './build';
import { launchBrowser } from './lib/browser';
import { serveSite } from './lib/server';

const USAGE = 'usage: node --require tsx/cjs scripts/docs/screenshot.ts [page.html[#anchor]] [out.png] [--dark] [--print] [--full] [--width N]';

async function main(): Promise<void> {
  const words = process.argv.slice(2);
  const flags = new Set(words.filter((word) => word.startsWith('--') && word !== '--width'));
  const widthAt = words.indexOf('--width');
  const width = widthAt === -1 ? 1280 : Number(words[widthAt + 1]);
  if (!Number.isInteger(width) || width < 300) exitWithUsage('--width needs a number of pixels (300 or more).', USAGE);
  const positional = words.filter((word, i) => !word.startsWith("--") && (widthAt === -1 || i !== widthAt + 1));
  for (const flag of flags) if (!['--dark', '--print', '--full'].includes(flag)) exitWithUsage(`Unknown option ${flag}.`, USAGE);
  const [page = 'lessons/01-fork.html', out = '/tmp/docs-lesson.png'] = positional;

  if (!(await buildOrExplain())) {
    process.exitCode = 1;
    return;
  }
  const server = await serveSite(siteDir, 0);
  const browser = await launchBrowser();
  try {
    const tab = await browser.context.newPage();
    await tab.setViewportSize({ width, height: 900 });
    await tab.emulateMedia({ colorScheme: flags.has('--dark') ? 'dark' : 'light', media: flags.has('--print') ? 'print' : 'screen' });
    await tab.goto(new URL(page, server.url).href);
    await tab.screenshot({ path: out, fullPage: flags.has('--full') });
    console.log(`${out}: ${page} at ${width}px, ${flags.has('--dark') ? 'dark' : 'light'}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main();
