import { expect, Page, TestInfo } from "@playwright/test";
import { nextAdminCode } from "./totp";

export const PASSWORD = "demo-password-2026";

export const ACCOUNTS = {
  admin: "admin@demo.test",
  owner: "owner@northwind.demo.test",
  sales: "sales@northwind.demo.test",
  support: "support@northwind.demo.test",
  viewer: "viewer@northwind.demo.test",
  contoso: "owner@contoso.demo.test",
  client: "owner@fabrikam.demo.test",
};

export function jsEnabled(testInfo: TestInfo): boolean {
  return testInfo.project.name === "js";
}

/** Waits until the WebAssembly has taken over the page (with JavaScript on). The debug
 * bundle is large and the machine is shared with the server: allow it longer than a check. */
export async function ready(page: Page, testInfo: TestInfo) {
  if (!jsEnabled(testInfo)) {
    return;
  }
  try {
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true", { timeout: 25_000 });
  } catch (error) {
    // Say why: a panic during hydration, a chunk that did not load, or only a slow machine.
    const errors = (await page.pageErrors()).map((e) => `page error: ${e.message}`);
    const logged = (await page.consoleMessages())
      .filter((m) => m.type() === "error" || m.type() === "warning")
      .map((m) => `console ${m.type()}: ${m.text()}`);
    const failed = await page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .map((r) => r as PerformanceResourceTiming)
        .filter((r) => r.name.includes("/pkg/"))
        .map((r) => `${r.name} ${Math.round(r.duration)} ms, status ${r.responseStatus}`),
    );
    const report = [`${page.url()} did not hydrate`, ...errors, ...logged, "assets:", ...failed].join("\n");
    await testInfo.attach("hydration", { body: report, contentType: "text/plain" });
    throw new Error(`${report}\n${error}`);
  }
}

/** Fills in and submits the sign-in form on the current page; for the demo admin (who must
 * use two-factor sign-in), also the second step with the code their app would show. */
export async function signIn(page: Page, testInfo: TestInfo, email: string, password = PASSWORD) {
  await ready(page, testInfo);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  if (email === ACCOUNTS.admin) {
    await expect(page).toHaveURL("/login/two-factor");
    await ready(page, testInfo);
    await page.getByRole("textbox", { name: /^Code/ }).fill(await nextAdminCode());
    await page.getByRole("button", { name: "Sign in" }).click();
  }
}

export async function signInFromLoginPage(page: Page, testInfo: TestInfo, email: string) {
  await page.goto("/login");
  await signIn(page, testInfo, email);
}
