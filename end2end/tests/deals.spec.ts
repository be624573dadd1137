import { Browser, expect, Page, test, TestInfo } from "@playwright/test";
import { ACCOUNTS, jsEnabled, ready, signInFromLoginPage } from "./helpers";

// Deal registration: Contoso registers a prospect and an admin approves it from the queue;
// a Northwind sales member then sees that prospect reported as protected (as they type with
// JavaScript, on "Check availability" without) and registers another; the admin approves
// that one, and the sales member converts it into a client. Each run names its prospects.

async function signedIn(browser: Browser, testInfo: TestInfo, email: string): Promise<Page> {
  const context = await browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    javaScriptEnabled: jsEnabled(testInfo),
  });
  const page = await context.newPage();
  await signInFromLoginPage(page, testInfo, email);
  await expect(page).not.toHaveURL(/\/login/);
  return page;
}

test("a protected prospect is reported without its holder; a new deal is registered, approved and converted", async ({ page, browser }, testInfo) => {
  const run = `${testInfo.project.name}-${Date.now().toString(36)}`;
  const held = `held-${run}.example`;
  const close = new Date(Date.now() + 45 * 86_400_000).toISOString().slice(0, 10);

  // Contoso registers the prospect through its server function.
  const contoso = await signedIn(browser, testInfo, ACCOUNTS.contoso);
  const made = await contoso.request.post("/api/deals/register", {
    form: {
      "input[company_name]": `Held ${run}`,
      "input[domain]": held,
      "input[contact_name]": "Hal Holder",
      "input[contact_email]": `hal@${held}`,
      "input[country]": "US",
      "input[plan]": "starter",
      "input[seats]": "10",
      "input[monthly_value]": "300.00",
      "input[expected_close]": close,
      "input[notes]": "",
    },
  });
  expect(made.status()).toBe(200);
  await contoso.context().close();

  // An admin approves it from the queue.
  const admin = await signedIn(browser, testInfo, ACCOUNTS.admin);
  await admin.goto("/admin/deals");
  await ready(admin, testInfo);
  const card = admin.getByTestId("queued-deal").filter({ hasText: `Held ${run}` });
  await expect(card).toContainText("Contoso");
  await card.getByRole("button", { name: /^Approve/ }).click();
  await expect(admin.getByRole("status").filter({ hasText: "told by e-mail" })).toBeVisible();
  await expect(admin.getByTestId("queued-deal").filter({ hasText: `Held ${run}` })).toHaveCount(0);

  // A Northwind sales member types the protected prospect's address.
  await signInFromLoginPage(page, testInfo, ACCOUNTS.sales);
  await expect(page).toHaveURL("/partner");
  await page.goto("/partner/deals");
  await ready(page, testInfo);
  await page.locator("#company_name").fill("Someone Else");
  await page.locator("#domain").fill(`https://www.${held}/pricing`);
  if (!jsEnabled(testInfo)) {
    await page.getByRole("button", { name: "Check availability" }).click();
    await expect(page.locator("#domain")).toHaveValue(`https://www.${held}/pricing`);
  }
  const availability = page.getByTestId("deal-availability");
  await expect(availability).toContainText("Already protected until");
  await expect(availability).not.toContainText("Contoso");

  // Another prospect is free, and is registered.
  const fresh = `Fresh ${run}`;
  await page.locator("#company_name").fill(fresh);
  await page.locator("#domain").fill(`fresh-${run}.example`);
  if (jsEnabled(testInfo)) {
    await expect(availability).toContainText("Available");
  }
  await page.locator("#contact_name").fill("Fran Buyer");
  await page.locator("#contact_email").fill(`fran@fresh-${run}.example`);
  await page.locator("#country").fill("GB");
  await page.locator("#plan").selectOption("professional");
  await page.locator("#seats").fill("25");
  await page.locator("#monthly_value").fill("750.00");
  await page.locator("#expected_close").fill(close);
  await page.getByRole("button", { name: "Register deal" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Registered" })).toBeVisible();
  const row = page.getByTestId("deals").getByRole("row", { name: new RegExp(fresh) });
  await expect(row).toContainText("Under review");
  await expect(row).toContainText("$750.00");

  // The admin approves it.
  await admin.goto("/admin/deals");
  await ready(admin, testInfo);
  const freshCard = admin.getByTestId("queued-deal").filter({ hasText: fresh });
  await expect(freshCard).toContainText("Northwind");
  await freshCard.getByRole("button", { name: /^Approve/ }).click();
  await expect(admin.getByTestId("queued-deal").filter({ hasText: fresh })).toHaveCount(0);
  await admin.context().close();

  // Won: the sales member converts it into a client, behind a ticked box.
  await page.goto("/partner/deals");
  await ready(page, testInfo);
  const protectedRow = page.getByTestId("deals").getByRole("row", { name: new RegExp(fresh) });
  await expect(protectedRow).toContainText("Protected until");
  await protectedRow.getByText(`Won: convert ${fresh} into a client…`).click();
  await protectedRow.getByLabel(/bought: make it a client/).check();
  await protectedRow.getByRole("button", { name: "Convert" }).click();
  await expect(page).toHaveURL(/\/partner\/clients\/[0-9a-f-]{36}/);
  await expect(page.getByRole("heading", { level: 1, name: fresh })).toBeVisible();
  await expect(page.getByTestId("won-from-deal")).toBeVisible();
  await page.goto("/partner/deals");
  await expect(page.getByTestId("deals").getByRole("row", { name: new RegExp(fresh) })).toContainText("Won");
});
