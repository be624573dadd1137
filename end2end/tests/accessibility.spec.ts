import * as fs from "fs";
import * as path from "path";
import AxeBuilder from "@axe-core/playwright";
import { BrowserContext, expect, Page, test, TestInfo } from "@playwright/test";
import { ACCOUNTS, jsEnabled, ready, signInFromLoginPage } from "./helpers";

// Every page of the portal, checked with axe-core (WCAG 2.1 A and AA rules) in light and
// dark colour schemes, with JavaScript on and off (the two Playwright projects). A serious
// or critical violation fails the test with the rule, the page and the elements.

// Each test checks many pages twice (light and dark), an axe-core run each.
test.describe.configure({ timeout: 180_000 });

async function expectAccessible(page: Page, testInfo: TestInfo, what: string) {
  await ready(page, testInfo);
  // axe-core runs as a script in the page. Without JavaScript it cannot, so the page the
  // server rendered (scripts removed, exactly what a browser without JavaScript shows) is
  // served again to a scripting page of its own, with the same stylesheet and colour scheme.
  let target = page;
  let scratch: BrowserContext | undefined;
  if (!jsEnabled(testInfo)) {
    const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, "");
    const url = page.url();
    const scheme = await page.evaluate(() =>
      matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light",
    );
    scratch = await page.context().browser()!.newContext({ javaScriptEnabled: true, colorScheme: scheme });
    target = await scratch.newPage();
    await target.route(url, (route) => route.fulfill({ body: html, contentType: "text/html" }));
    await target.goto(url);
  }
  const results = await new AxeBuilder({ page: target })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    // ECharts draws into a canvas that carries aria-hidden; its data table is beside it.
    .exclude(".chart")
    .analyze();
  await scratch?.close();
  const blocking = results.violations.filter(
    (v) => v.impact === "serious" || v.impact === "critical",
  );
  const report = blocking
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(" ")).join("\n  ")}`)
    .join("\n");
  expect(blocking, `${what}: ${report}`).toEqual([]);
  // The check ran on a real page, not an error page.
  expect(results.passes.length, `${what}: axe found nothing to check`).toBeGreaterThan(5);
}

async function checkPages(page: Page, testInfo: TestInfo, paths: string[]) {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const p of paths) {
      const response = await page.goto(p);
      expect(response?.status(), p).toBeLessThan(400);
      await expectAccessible(page, testInfo, `${p} (${scheme})`);
    }
  }
}

/** The href of the first link in `scope` whose href matches `pattern`. */
async function firstLink(page: Page, from: string, pattern: RegExp): Promise<string> {
  await page.goto(from);
  const hrefs = await page.locator("a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  const href = hrefs.find((h) => pattern.test(h));
  expect(href, `a link like ${pattern} on ${from}`).toBeTruthy();
  return href!;
}

test("public pages pass axe-core", async ({ page }, testInfo) => {
  await checkPages(page, testInfo, ["/", "/apply", "/login", "/b/northwind/login", "/invite/not-a-real-token", "/no-such-page"].filter(
    // The 404 page answers 404; it is checked on its own below.
    (p) => p !== "/no-such-page",
  ));
  await page.goto("/no-such-page");
  await expectAccessible(page, testInfo, "not found");
});

test("admin pages pass axe-core", async ({ page }, testInfo) => {
  await signInFromLoginPage(page, testInfo, ACCOUNTS.admin);
  await expect(page).toHaveURL("/admin");
  const application = await firstLink(page, "/admin/applications", /^\/admin\/applications\/[0-9a-f-]{36}$/);
  const partner = await firstLink(page, "/admin/partners", /^\/admin\/partners\/[0-9a-f-]{36}$/);
  await checkPages(page, testInfo, [
    "/admin",
    "/admin/partners",
    "/admin/partners/new",
    partner,
    "/admin/audit",
    "/admin/applications",
    "/admin/applications/stats",
    application,
    "/admin/commissions",
    "/admin/payouts",
    "/admin/deals",
    "/admin/leads",
    "/admin/leaderboard",
  ]);
});

test("partner pages pass axe-core", async ({ page }, testInfo) => {
  await signInFromLoginPage(page, testInfo, ACCOUNTS.owner);
  await expect(page).toHaveURL("/partner");
  const client = await firstLink(page, "/partner/clients", /^\/partner\/clients\/[0-9a-f-]{36}$/);
  const statement = await firstLink(page, "/partner/commissions", /^\/partner\/commissions\/\d{4}-\d{2}$/);
  // A webhook endpoint to look at, made through the page's own server function and
  // deleted after.
  const made = await page.request.post("/api/webhooks/create", {
    form: {
      "input[url]": "https://hooks.example.com/axe",
      "input[description]": `axe ${testInfo.project.name}`,
      "input[events][0]": "client.created",
    },
  });
  expect(made.status()).toBe(200);
  const endpoint: string = await made.json();
  await checkPages(page, testInfo, [
    "/partner",
    "/partner/clients",
    "/partner/clients/new",
    client,
    "/partner/deals",
    "/partner/leads",
    "/partner/leaderboard",
    "/partner/commissions",
    statement,
    "/partner/branding",
    "/partner/team",
    "/partner/api-keys",
    "/partner/webhooks",
    `/partner/webhooks/${endpoint}`,
    "/partner/audit",
    "/account",
  ]);
  const deleted = await page.request.post("/api/webhooks/delete", {
    form: { "input[endpoint_id]": endpoint, "input[confirm]": "yes" },
  });
  expect(deleted.status()).toBe(200);
});

test("client portal pages pass axe-core", async ({ page }, testInfo) => {
  await signInFromLoginPage(page, testInfo, ACCOUNTS.client);
  await expect(page).toHaveURL("/app");
  await checkPages(page, testInfo, ["/app", "/app/users", "/app/support-access"]);
});

async function phoneScreenshot(page: Page, testInfo: TestInfo, name: string) {
  const dir = path.join(__dirname, "..", "test-results", "screenshots");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${testInfo.project.name}-375-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(`375-${name}`, { path: file, contentType: "image/png" });
  // Nothing is wider than the screen: no sideways scrolling of the page itself.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${name} fits 375 px`).toBeLessThanOrEqual(0);
}

test("the dashboard, the client list and the client portal work at 375 px", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await signInFromLoginPage(page, testInfo, ACCOUNTS.owner);
  await expect(page).toHaveURL("/partner");
  await ready(page, testInfo);
  await phoneScreenshot(page, testInfo, "dashboard");
  await page.goto("/partner/clients");
  await expect(page.getByRole("table")).toBeVisible();
  await phoneScreenshot(page, testInfo, "client-list");
  await page.context().clearCookies();
  await signInFromLoginPage(page, testInfo, ACCOUNTS.client);
  await expect(page).toHaveURL("/app");
  await ready(page, testInfo);
  await phoneScreenshot(page, testInfo, "client-portal");
});

test("the client portal's help card names the brand's support address", async ({ page }, testInfo) => {
  await signInFromLoginPage(page, testInfo, ACCOUNTS.client);
  await expect(page).toHaveURL("/app");
  const help = page.getByTestId("help-card");
  await expect(help).toBeVisible();
  // Fabrikam's reseller is Northwind, whose published brand gives its support address;
  // the reseller owner's own sign-in address is never shown to clients.
  await expect(help).not.toContainText(ACCOUNTS.owner);
  await expect(help).toContainText("@");
});

test("sign-in and a client edit work from the keyboard alone, with a visible focus", async ({ page }, testInfo) => {
  await page.goto("/login");
  await ready(page, testInfo);
  // The skip link leads to the page's main content; the e-mail field has the focus at once.
  await expect(page.getByRole("link", { name: "Skip to content" })).toHaveAttribute("href", "#main");
  await expect(page.getByLabel("Email")).toBeFocused();
  const outline = await page.getByLabel("Email").evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline, "the focused field shows where the focus is").not.toBe("none");
  await page.keyboard.type(ACCOUNTS.owner);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Password")).toBeFocused();
  await page.keyboard.type("demo-password-2026");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL("/partner");

  await page.goto("/partner/clients");
  await ready(page, testInfo);
  const first = page.locator("table tbody th a").first();
  await first.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await ready(page, testInfo);
  const name = page.getByLabel("Contact name *");
  await name.focus();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("Keyboard Contact");
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("Contact name *")).toHaveValue("Keyboard Contact");
  await page.reload();
  await expect(page.getByLabel("Contact name *")).toHaveValue("Keyboard Contact");
});
