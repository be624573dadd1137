import { expect, Page, test } from "@playwright/test";
import { ACCOUNTS, jsEnabled, ready, signInFromLoginPage } from "./helpers";

// The WebAssembly is split by page (src/app/lazy.rs): the sign-in page needs only the main
// bundle; a page behind a lazy route loads its chunk too, on a first visit and on client-side
// navigation alike. These tests watch what the browser fetches from /pkg.

/** Records the /pkg files the page fetches from now on. */
function watchPkg(page: Page): string[] {
  const files: string[] = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith("/pkg/")) files.push(path.slice("/pkg/".length));
  });
  return files;
}

const isChunk = (file: string) => file.endsWith(".wasm") && !file.startsWith("partner-portal.");

test("the sign-in page loads the main bundle and no page chunk", async ({ page }, testInfo) => {
  test.skip(!jsEnabled(testInfo), "without JavaScript nothing is loaded");
  const files = watchPkg(page);
  await page.goto("/login");
  await ready(page, testInfo);
  expect(files.some((f) => /^partner-portal\.[^.]+\.wasm$/.test(f)), `main wasm in ${files}`).toBe(true);
  expect(files.filter(isChunk), "page chunks loaded by the sign-in page").toEqual([]);
});

test("a page behind a lazy route loads its chunk and works, first visit and navigation", async ({ page }, testInfo) => {
  test.skip(!jsEnabled(testInfo), "without JavaScript nothing is loaded");
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await signInFromLoginPage(page, testInfo, ACCOUNTS.owner);
  await expect(page).toHaveURL("/partner");
  await ready(page, testInfo);

  // A first visit: the dashboard's chunk is named in the page and fetched with the main bundle.
  const firstVisit = watchPkg(page);
  await page.reload();
  await ready(page, testInfo);
  const dashboardChunks = firstVisit.filter(isChunk);
  expect(dashboardChunks.length, `chunks of the dashboard in ${firstVisit}`).toBeGreaterThan(0);
  // The server named them in the head, so that they load beside the main bundle.
  const preloaded = await page
    .locator('head link[rel="preload"][as="fetch"]')
    .evaluateAll((links) => links.map((l) => new URL((l as HTMLLinkElement).href).pathname.slice("/pkg/".length)));
  expect(dashboardChunks.filter((f) => !preloaded.includes(f)), "chunks fetched but not named in the head").toEqual([]);

  // Client-side navigation to another page fetches that page's own chunk, then shows it live.
  const navigation = watchPkg(page);
  await page.getByRole("link", { name: "Clients", exact: true }).first().click();
  await expect(page).toHaveURL(/\/partner\/clients/);
  await expect(page.getByRole("heading", { level: 1, name: "Clients" })).toBeVisible();
  const listChunks = navigation.filter(isChunk);
  expect(listChunks.length, `chunks fetched on navigation: ${navigation}`).toBeGreaterThan(0);
  expect(listChunks.filter((f) => dashboardChunks.includes(f)), "no chunk fetched twice").toEqual([]);
  // The page is interactive: the search field filters as it would on a first visit.
  await page.getByRole("searchbox").first().fill("Fabrikam");
  await page.getByRole("searchbox").first().press("Enter");
  await expect(page).toHaveURL(/q=Fabrikam/);
  await expect(page.getByRole("link", { name: "Fabrikam" }).first()).toBeVisible();
  expect(errors, "no errors while loading chunks").toEqual([]);
});

test("built files are sent compressed and kept for a year", async ({ page, request }, testInfo) => {
  test.skip(!jsEnabled(testInfo), "checks what the browser fetched");
  const files = watchPkg(page);
  await page.goto("/login");
  await ready(page, testInfo);
  const wasm = files.find((f) => /^partner-portal\.[^.]+\.wasm$/.test(f));
  expect(wasm).toBeTruthy();
  const reply = await request.get(`/pkg/${wasm}`, { headers: { "Accept-Encoding": "gzip" } });
  expect(reply.status()).toBe(200);
  expect(reply.headers()["content-encoding"]).toBe("gzip");
  expect(reply.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  const missing = await request.get("/pkg/no-such-file.js");
  expect(missing.status()).toBe(404);
  expect(missing.headers()["cache-control"] ?? "").not.toContain("immutable");
});
