/**
 * The feed builder in a real browser: Debian's Chromium (/usr/bin/chromium, installed by .ci/run
 * when missing) driven by playwright-core, against the worker as `npm start` runs it (wrangler dev,
 * offline, the bundled samples). Picks AINews, ticks Twitter and Reddit, types "llama", and checks
 * that the URL shown and the preview are exactly what that feed URL returns; a bad limit shows the
 * worker's 400 message; axe-core finds no serious accessibility violation; screenshots at desktop
 * and phone sizes are written to test/output/.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CHROMIUM = "/usr/bin/chromium";
const PORT = 8799;
const BASE = `http://127.0.0.1:${PORT}`;
const OUT = join(import.meta.dirname, "../output");
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let dev: ChildProcess | undefined;
let browser: Browser | undefined;

/** The worker as `npm start` runs it, on its own port; resolves once it answers. */
async function startWorker(): Promise<void> {
  dev = spawn("npx", ["wrangler", "dev", "--env", "dev", "--test-scheduled", "--port", String(PORT), "--ip", "127.0.0.1", "--persist-to", join(OUT, "kv")], {
    cwd: join(import.meta.dirname, "../.."),
    stdio: "ignore",
    detached: true,
  });
  for (let k = 0; k < 120; k++) {
    try {
      if ((await fetch(`${BASE}/healthz`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("wrangler dev did not start");
}

describe.skipIf(!existsSync(CHROMIUM))("the builder in Chromium", () => {
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    await startWorker();
    await fetch(`${BASE}/__scheduled?cron=*/30+*+*+*+*`); // read the samples once
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (dev?.pid) process.kill(-dev.pid, "SIGTERM");
  });

  const open = async (width: number, height: number, bypassCSP = false): Promise<Page> => {
    const context = await browser!.newContext({ viewport: { width, height }, bypassCSP });
    const page = await context.newPage();
    await page.goto(`${BASE}/`);
    return page;
  };

  it("pick AINews, tick Twitter and Reddit, type llama: the URL, and a preview that is exactly that feed's items", async () => {
    const page = await open(1280, 900);
    await page.getByLabel("Feed", { exact: true }).selectOption("ainews");
    await page.getByLabel("AI Twitter Recap").check();
    await page.getByLabel("AI Reddit Recap").check();
    await page.getByLabel("Keywords").fill("llama");
    const path = "/feeds/ainews.rss?section=reddit%2Ctwitter&q=llama";
    await expect.poll(() => page.locator("#feed-url").textContent(), { timeout: 10_000 }).toMatch(/\/feeds\/ainews\.rss\?section=/);
    const shown = new URL((await page.locator("#feed-url").textContent())!);
    expect(new Set(shown.searchParams.get("section")!.split(","))).toEqual(new Set(["twitter", "reddit"]));
    expect(shown.searchParams.get("q")).toBe("llama");
    const feed = (await (await fetch(`${BASE}${shown.pathname.replace(".rss", ".json")}${shown.search}`)).json()) as { items: { title: string }[] };
    expect(feed.items.length).toBeGreaterThan(0);
    await expect.poll(() => page.locator("#preview h3").allTextContents(), { timeout: 10_000 }).toEqual(feed.items.slice(0, 5).map((i) => i.title));
    expect(path).toContain("q=llama");
    await page.screenshot({ path: join(OUT, "builder-desktop.png"), fullPage: true });
  });

  it("a bad limit shows the worker's 400 message next to the field", async () => {
    const page = await open(1280, 900);
    await page.getByLabel("Items at most").fill("0");
    const message = await (await fetch(`${BASE}/feeds/ainews.json?limit=0`)).text();
    await expect.poll(() => page.locator("#limit-error").textContent(), { timeout: 10_000 }).toBe(message);
    expect(await page.getByLabel("Items at most").getAttribute("aria-invalid")).toBe("true");
  });

  it("a feed URL opened in the browser is readable: the items' titles and how to subscribe", async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${BASE}/feeds/ainews/twitter.rss`);
    await expect.poll(() => page.locator("h3").count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.locator("p.lead").textContent()).toMatch(/To subscribe, copy its address into your feed reader: http:\/\/127\.0\.0\.1:\d+\/feeds\/ainews\/twitter\.rss/);
    // The same URL in a reader: the feed.
    expect((await fetch(`${BASE}/feeds/ainews/twitter.rss`)).headers.get("Content-Type")).toBe("application/rss+xml; charset=utf-8");
    const feed = (await (await fetch(`${BASE}/feeds/ainews/twitter.json`)).json()) as { items: { title: string }[] };
    expect(await page.locator("h3").allTextContents()).toEqual(feed.items.map((i) => i.title));
    await page.screenshot({ path: join(OUT, "feed-in-browser.png") });
  });

  it("passes axe-core with no serious or critical violation, on a phone and on a desktop", async () => {
    for (const [name, width, height] of [["phone", 390, 844], ["desktop", 1280, 900]] as const) {
      const page = await open(width, height, true); // (axe is injected as a script: the page's CSP would refuse it)
      await page.locator("#preview").waitFor();
      await page.evaluate(axeSource);
      const result = (await page.evaluate("axe.run(document)")) as { violations: { id: string; impact: string; nodes: unknown[] }[] };
      const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      expect(serious.map((v) => `${v.id}: ${v.nodes.length}`), name).toEqual([]);
      if (name === "phone") {
        // Readable on a phone: nothing wider than the screen.
        const wide = await page.evaluate(`[...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > ${width} + 1).map((e) => e.tagName + "#" + e.id + "." + e.className)`);
        expect(wide).toEqual([]);
        await page.screenshot({ path: join(OUT, "builder-phone.png"), fullPage: true });
      }
    }
  });
});
