// Takes a screenshot of one page of the built site, to judge the design:
//   node --require tsx/cjs scripts/docs/screenshot.ts [page[#anchor]] [out.png] [--dark] [--print] [--full] [--width N]
//   page: a path inside site/ (default lessons/01-fork.html); out: default /tmp/docs-lesson.png
import { exitWithUsage } from '../course';
import { parseCommandLine } from '../tools/arguments';
import { buildOrExplain, siteDir } from './build';
import { launchBrowser } from './lib/browser';
import { serveSite } from './lib/server';

const USAGE = 'usage: node --require tsx/cjs scripts/docs/screenshot.ts [page.html[#anchor]] [out.png] [--dark] [--print] [--full] [--width N]';

async function main(): Promise<void> {
  const WIDTH_NEEDS = 'a number of pixels (300 or more)';
  const options = { dark: { type: 'boolean' }, print: { type: 'boolean' }, full: { type: 'boolean' }, width: { type: 'string', needs: WIDTH_NEEDS } } as const;
  const { values, positionals } = parseCommandLine(process.argv.slice(2), options, 2, USAGE);
  const width = values.width === undefined ? 1280 : Number(values.width);
  if (!Number.isInteger(width) || width < 300) exitWithUsage(`--width needs ${WIDTH_NEEDS}, got ${values.width}.`, USAGE);
  const [page = 'lessons/01-fork.html', out = '/tmp/docs-lesson.png'] = positionals;

  if (!(await buildOrExplain())) {
    process.exitCode = 1;
    return;
  }
  const server = await serveSite(siteDir, 0);
  const browser = await launchBrowser();
  try {
    const tab = await browser.context.newPage();
    await tab.setViewportSize({ width, height: 900 });
    await tab.emulateMedia({ colorScheme: values.dark ? 'dark' : 'light', media: values.print ? 'print' : 'screen' });
    await tab.goto(new URL(page, server.url).href);
    await tab.screenshot({ path: out, fullPage: values.full === true });
    console.log(`${out}: ${page} at ${width}px, ${values.dark ? 'dark' : 'light'}`);
  } finally {
    await browser.close();
    await server.close();
  }
}

main();
