import { expect, test } from "@playwright/test";
import { ACCOUNTS, jsEnabled, ready, signInFromLoginPage } from "./helpers";

test("the partner dashboard shows its cards, tier progress, charts and their tables", async ({ page }, testInfo) => {
  await signInFromLoginPage(page, testInfo, ACCOUNTS.owner);
  await expect(page).toHaveURL("/partner");
  for (const card of ["active-clients", "mrr", "arr", "accrued", "ytd", "next-payout"]) {
    await expect(page.getByTestId(card)).toHaveText(/\S/);
  }
  await expect(page.getByTestId("mrr")).toHaveText(/^\$[\d,]+\.\d\d$/);
  await expect(page.getByTestId("tier-progress")).toContainText("Platinum");
  for (const chart of ["mrr", "plans", "commission"]) {
    const section = page.getByTestId(`chart-${chart}`);
    // The table is there for everyone; with JavaScript the chart is drawn as well.
    await expect(section.locator("tbody tr").first()).toBeAttached();
    if (jsEnabled(testInfo)) {
      await expect(section.locator("[data-chart]")).toHaveAttribute("data-drawn", "true");
      await expect(section.locator("svg").first()).toBeVisible();
    }
  }
  await expect(page.getByTestId("chart-mrr").locator("tbody tr")).toHaveCount(12);
  await expect(page.getByTestId("activity").locator("li").first()).toBeVisible();
});

test("a viewer sees the dashboard without money figures", async ({ page }, testInfo) => {
  await signInFromLoginPage(page, testInfo, ACCOUNTS.viewer);
  await expect(page).toHaveURL("/partner");
  await expect(page.getByTestId("active-clients")).toBeVisible();
  await expect(page.getByTestId("chart-plans")).toBeVisible();
  await expect(page.getByTestId("mrr")).toHaveCount(0);
  await expect(page.getByTestId("chart-commission")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Commissions" })).toHaveCount(0);
  const response = await page.goto("/partner/commissions");
  expect(response?.status()).toBe(403);
});

test("an admin closes last month and pays a payout; the partner sees both", async ({ page, browser }, testInfo) => {
  await signInFromLoginPage(page, testInfo, ACCOUNTS.admin);
  await expect(page).toHaveURL("/admin");
  await page.getByRole("link", { name: "Commissions" }).click();
  await expect(page).toHaveURL("/admin/commissions");
  const month = await page.getByLabel("Month", { exact: true }).locator("option:checked").textContent();
  const label = month!.replace(/ \((open|closed)\)$/, "").trim();
  await ready(page, testInfo);
  const close = page.getByRole("button", { name: `Close ${label}` });
  // The first run closes the month; a second run (the other project) finds it closed.
  if (await close.isVisible()) {
    await expect(page.getByTestId("preview-status")).toContainText("Nothing is written");
    await expect(page.getByRole("rowheader", { name: "Northwind" })).toBeVisible();
    await page.getByLabel(/I have checked this preview/).check();
    await close.click();
  }
  await expect(page.getByTestId("preview-status")).toContainText("Closed on");
  await expect(page.getByRole("table", { name: "Closed months" }).getByRole("link", { name: label })).toBeVisible();

  await page.goto("/admin/payouts");
  await ready(page, testInfo);
  const reference = `E2E-${testInfo.project.name}-${Date.now().toString(36)}`;
  const row = page
    .getByTestId("open-payouts")
    .locator("tr", { hasText: "Northwind" })
    .filter({ has: page.getByRole("button", { name: "Mark paid" }) })
    .first();
  await row.getByLabel("Method").selectOption("wire");
  await row.getByLabel("Payment reference").fill(reference);
  await row.getByRole("button", { name: "Mark paid" }).click();
  await expect(page.getByRole("table", { name: "Paid payouts" })).toContainText(reference);

  const partner = await browser.newPage({ javaScriptEnabled: jsEnabled(testInfo) });
  await signInFromLoginPage(partner, testInfo, ACCOUNTS.owner);
  await expect(partner).toHaveURL("/partner");
  await partner.getByRole("link", { name: "Commissions" }).click();
  await expect(partner.getByTestId("statements").getByRole("link", { name: label })).toBeVisible();
  await expect(partner.getByTestId("payouts")).toContainText(reference);
  await partner.getByTestId("statements").getByRole("link", { name: label }).click();
  await expect(partner.getByRole("heading", { level: 1, name: `Statement for ${label}` })).toBeVisible();
  await expect(partner.getByTestId("statement-lines").locator("tbody tr").first()).toContainText("/");
  await partner.close();
});
