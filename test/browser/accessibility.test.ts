import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAPTOP, launch, openTab, PHONE, SHOTS, seededRuntime, signIn, type TestRuntime } from './harness';

/**
 * Every page of the dashboard at a phone and a laptop width: it renders without a console error
 * or an error note, fits the width, names every control and keeps text readable; and the whole
 * dashboard works from the keyboard alone.
 */
const NOW = Date.now() - (Date.now() % 60_000);

/** Roles Chromium gives to controls a user operates, all of which need an accessible name. */
const CONTROL_ROLES = new Set([
  'button',
  'checkbox',
  'combobox',
  'date',
  'dateTime',
  'inputTime',
  'listbox',
  'radio',
  'searchbox',
  'slider',
  'spinbutton',
  'switch',
  'textbox',
]);

describe('dashboard accessibility', () => {
  let rt: TestRuntime;
  let browser: Browser;
  let pages: Array<[name: string, hash: string]>;

  beforeAll(async () => {
    rt = await seededRuntime(NOW);
    const incidents = (await rt.api('GET', '/api/v1/incidents?limit=100')).body.incidents;
    const stampede = incidents.find((i: { title: string }) => i.title === 'Cache stampede');
    await rt.api('PUT', `/api/v1/incidents/${stampede.id}/review`, {
      summary: 'Catalog pages timed out.',
      actionItems: [
        { id: 'a1', title: 'Add jitter to cache TTLs', owner: 'dana', due: '2030-01-01', status: 'open' },
      ],
    });
    const report = await rt.api('POST', '/api/v1/reports', { type: 'executive', days: 7 });
    pages = [
      ['overview', '#/overview'],
      ['executive', '#/executive'],
      ['metrics', '#/metrics?q=checkout_latency_seconds&range=1h'],
      ['logs', '#/logs'],
      ['alerts', '#/alerts'],
      ['incidents', '#/incidents'],
      ['incident', `#/incidents/${stampede.id}`],
      ['oncall', '#/oncall'],
      ['reports', '#/reports'],
      ['report', `#/reports/${report.body.id}`],
    ];
    browser = await launch();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await rt?.cleanup();
  });

  it.each([
    ['phone', 'light', PHONE],
    ['laptop', 'light', LAPTOP],
    ['laptop', 'dark', LAPTOP],
  ] as const)(
    'renders every page cleanly at %s width in %s mode',
    async (label, scheme, viewport) => {
      const { page, errors, close } = await openTab(browser, viewport, scheme);
      const problems: string[] = [];
      const check = async (name: string) => {
        await page.getByRole('heading', { level: 1 }).first().waitFor();
        for (const e of errors.splice(0)) problems.push(`${name}: console error ${e}`);
        for (const e of await page.locator('.error').allTextContents())
          problems.push(`${name}: shows error ${e}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
        if (overflow > 1) problems.push(`${name}: ${overflow}px wider than the ${label} screen`);
        const names = await unnamedControls(page);
        for (const c of names.unnamed) problems.push(`${name}: control without an accessible name: ${c}`);
        for (const c of await lowContrast(page)) problems.push(`${name}: low contrast ${c}`);
        await page.screenshot({
          path: `${SHOTS}/${name}-${viewport.width}${scheme === 'dark' ? '-dark' : ''}.png`,
          fullPage: true,
        });
      };

      await page.goto(rt.url, { waitUntil: 'networkidle' });
      await check('signin');
      await signIn(page, rt);
      for (const [name, hash] of pages) {
        // A full load per page, so each starts from nothing and its requests all settle.
        await page.goto('about:blank');
        await page.goto(`${rt.url}/${hash}`, { waitUntil: 'networkidle' });
        await check(name);
      }
      await close();
      expect(problems).toEqual([]);
    },
    240_000,
  );

  it('is usable with the keyboard alone: skip link, main navigation, focus ring, forms', async () => {
    const { page, errors, close } = await openTab(browser, LAPTOP);
    await signIn(page, rt);
    await page.reload({ waitUntil: 'networkidle' });

    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ text: 'Skip to content', outlined: true, onScreen: true });
    await page.keyboard.press('Enter');
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'H1', text: 'Overview' });

    // From the top of the page, Tab walks the brand, then every navigation link in order.
    await page.reload({ waitUntil: 'networkidle' });
    const walked: string[] = [];
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      expect(f.outlined, `focus ring on ${f.text}`).toBe(true);
      walked.push(f.text);
    }
    expect(walked).toEqual([
      'Skip to content',
      'Vigil',
      'Overview',
      'Executive',
      'Metrics',
      'Logs',
      'Alerts',
      'Incidents',
      'On-call',
      'Reports',
    ]);
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/reports$/);
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'H1', text: 'Reports' });

    // Generate a report with the keyboard: Tab into the form, pick a type, submit with Enter.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'SELECT', label: 'Type' });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'INPUT', label: 'Days' });
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ text: 'Generate now', outlined: true });
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/reports\/rep_/);
    await page.getByTestId('report-frame').waitFor();
    expect(errors).toEqual([]);
    await close();
  });

  it('notices a control without an accessible name and faint text', async () => {
    const { page, close } = await openTab(browser, LAPTOP);
    await signIn(page, rt);
    const before = await unnamedControls(page);
    expect(before.controls).toBeGreaterThan(0);
    expect(before.unnamed).toEqual([]);
    await page.evaluate(() => document.querySelector('main')?.append(document.createElement('input')));
    expect((await unnamedControls(page)).unnamed).toHaveLength(1);
    expect(await lowContrast(page)).toEqual([]);
    await page.evaluate(() => {
      const faint = document.createElement('p');
      faint.textContent = 'faint text';
      faint.style.color = '#cccccc';
      document.querySelector('main')?.append(faint);
    });
    expect(await lowContrast(page)).toEqual([expect.stringContaining('"faint text"')]);
    await close();
  });

  it('shows API errors to the user', async () => {
    const { page, close } = await openTab(browser, LAPTOP);
    await page.goto(rt.url);
    await page.getByLabel('API key').fill('vgl_not_a_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/^401/);

    await signIn(page, rt);
    await page.goto(`${rt.url}/#/metrics?q=${encodeURIComponent('rate(checkout_latency_seconds')}`);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/^400: .+/);
    await close();
  });
});

/** Controls in Chromium's accessibility tree, and a description of each one without a name. */
async function unnamedControls(page: Page): Promise<{ controls: number; unnamed: string[] }> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    const controls = nodes.filter((n) => !n.ignored && CONTROL_ROLES.has(String(n.role?.value)));
    const unnamed = await Promise.all(
      controls
        .filter((n) => !String(n.name?.value ?? '').trim())
        .map(async (n) => {
          const { node } = await cdp.send('DOM.describeNode', { backendNodeId: n.backendDOMNodeId });
          return `${n.role?.value} <${node.localName} ${(node.attributes ?? []).join(' ')}>`;
        }),
    );
    return { controls: controls.length, unnamed };
  } finally {
    await cdp.detach();
  }
}

/** The focused element: its tag, text or label, whether a focus ring shows and whether it is on screen. */
function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    const labels = (el as HTMLInputElement).labels;
    return {
      tag: el.tagName,
      text: el.textContent?.trim() ?? '',
      label: labels?.[0]?.textContent?.trim() ?? '',
      outlined: s.outlineStyle !== 'none' && Number.parseFloat(s.outlineWidth) >= 2,
      onScreen: r.bottom > 0 && r.top < innerHeight && r.width > 0,
    };
  });
}

/**
 * Text whose colour contrasts with its background less than WCAG AA asks (4.5:1, 3:1 for large
 * text); the background is the nearest opaque one behind the text.
 */
function lowContrast(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type Rgb = [number, number, number, number];
    const parse = (c: string): Rgb | null => {
      const m = c.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1]
        .split(/[\s,/]+/)
        .filter(Boolean)
        .map(Number);
      return [r, g, b, a];
    };
    const background = (el: Element | null): Rgb => {
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c[3] > 0.5) return c;
      }
      return [255, 255, 255, 1];
    };
    const luminance = ([r, g, b]: Rgb) => {
      const f = (v: number) => {
        const x = v / 255;
        return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const out: string[] = [];
    const seen = new Set<Element>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const text = walker.currentNode.textContent?.trim();
      const el = walker.currentNode.parentElement;
      if (!text || !el || seen.has(el)) continue;
      seen.add(el);
      if (el.closest('[disabled], .sr-only, option, script, style, noscript')) continue;
      const s = getComputedStyle(el);
      const rect = el.getBoundingClientRect();
      if (s.visibility === 'hidden' || !rect.width || !rect.height) continue;
      const bg = background(el);
      const fg = parse(s.color) ?? [0, 0, 0, 1];
      const blended: Rgb = [0, 1, 2].map((i) => fg[i] * fg[3] + bg[i] * (1 - fg[3])) as unknown as Rgb;
      const [hi, lo] = [luminance(blended), luminance(bg)].sort((a, b) => b - a);
      const ratio = (hi + 0.05) / (lo + 0.05);
      const size = Number.parseFloat(s.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(s.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5))
        out.push(
          `${ratio.toFixed(2)}:1 "${text.slice(0, 40)}" (${s.color} on rgb(${bg.slice(0, 3).join(', ')}))`,
        );
    }
    return out;
  });
}
