import { Browser, expect, Page, test, TestInfo } from "@playwright/test";
import { ACCOUNTS, jsEnabled, ready, signInFromLoginPage } from "./helpers";

// Leads: an admin imports a CSV file (one with a bad row is refused whole, with the row
// named; the fixed file is taken and its leads placed, a progress bar following); the
// rules offer both leads to Northwind (the only active partner in US retail); a Northwind
// sales member accepts one (it becomes a deal registration) and declines the other, which
// the admin then sees with the reason. Each run names its leads.

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

test("an admin imports leads from a CSV file; a partner accepts one and declines another", async ({ page, browser }, testInfo) => {
  test.slow();
  const run = `${testInfo.project.name}-${Date.now().toString(36)}`;
  const taken = `Taken ${run}`;
  const passed = `Passed ${run}`;
  const close = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);

  // A Northwind sales member signs in: the rules offer leads only to active partners.
  await signInFromLoginPage(page, testInfo, ACCOUNTS.sales);
  await expect(page).toHaveURL("/partner");

  const admin = await signedIn(browser, testInfo, ACCOUNTS.admin);
  await admin.goto("/admin/leads");
  await ready(admin, testInfo);
  const header = "company_name,domain,contact_name,contact_email,country,industry,seats,notes\n";
  const rows = (country: string) =>
    `${taken},taken-${run}.example,Tia Taken,tia@taken-${run}.example,US,retail,30,Asked for a demo\n` +
    `${passed},passed-${run}.example,Pat Passed,pat@passed-${run}.example,${country},Retail,12,\n`;
  const upload = async (content: string) => {
    await admin.locator("#lead-file").setInputFiles({
      name: `leads-${run}.csv`,
      mimeType: "text/csv",
      buffer: Buffer.from(header + content),
    });
    await admin.getByRole("button", { name: "Import" }).click();
  };

  // A bad row: nothing is imported, and the report names the line and the column.
  await upload(rows("ZZ"));
  const report = admin.getByTestId("import-report");
  await expect(report).toContainText("was not imported: 1 of its 2 rows need fixing");
  await expect(report.getByRole("row", { name: /3 country/ })).toBeVisible();

  // Fixed, it is taken whole; its leads are placed with partners.
  await upload(rows("us"));
  await expect(report.locator("progress")).toBeVisible();
  if (jsEnabled(testInfo)) {
    await expect(report).toContainText("all 2 leads imported and placed", { timeout: 15_000 });
  } else {
    await expect(async () => {
      await admin.reload();
      await expect(report).toContainText("all 2 leads imported and placed", { timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
  }

  // Northwind has both on offer, with their details.
  await page.goto("/partner/leads");
  await ready(page, testInfo);
  const offers = page.getByTestId("lead-offers");
  const takenRow = offers.getByRole("row", { name: new RegExp(taken) });
  await expect(takenRow).toContainText("Open: answer by");
  await expect(takenRow).toContainText(`tia@taken-${run}.example`);

  // It accepts one: a deal registration, under review.
  await takenRow.getByText(`Accept ${taken}…`).click();
  await takenRow.getByLabel("Expected plan").selectOption("professional");
  await takenRow.getByLabel("Estimated monthly value (USD)").fill("nine hundred");
  await takenRow.getByLabel("Expected close date").fill(close);
  await takenRow.getByRole("button", { name: "Accept and register" }).click();
  if (jsEnabled(testInfo)) {
    // A bad value is named beside its field, and nothing changes.
    await expect(takenRow).toContainText("Enter");
    await takenRow.getByLabel("Estimated monthly value (USD)").fill("900.00");
    await takenRow.getByRole("button", { name: "Accept and register" }).click();
  } else {
    // Without JavaScript the page comes back with the message; the form is sent again.
    await ready(page, testInfo);
    const again = offers.getByRole("row", { name: new RegExp(taken) });
    await again.getByText(`Accept ${taken}…`).click();
    await again.getByLabel("Expected plan").selectOption("professional");
    await again.getByLabel("Estimated monthly value (USD)").fill("900.00");
    await again.getByLabel("Expected close date").fill(close);
    await again.getByRole("button", { name: "Accept and register" }).click();
  }
  await expect(page.getByRole("status").filter({ hasText: "Accepted" })).toBeVisible();
  await expect(offers.getByRole("row", { name: new RegExp(taken) })).toContainText("Accepted");
  await page.goto("/partner/deals");
  await expect(page.getByTestId("deals").getByRole("row", { name: new RegExp(taken) })).toContainText("Under review");

  // It declines the other, with a reason.
  await page.goto("/partner/leads");
  await ready(page, testInfo);
  const passedRow = offers.getByRole("row", { name: new RegExp(passed) });
  await passedRow.getByText(`Decline ${passed}…`).click();
  await passedRow.getByLabel("Why you decline it").fill("We do not cover this account");
  await passedRow.getByRole("button", { name: "Decline" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Declined" })).toBeVisible();
  await expect(offers.getByRole("row", { name: new RegExp(passed) })).toContainText("Declined");

  // Nobody else qualifies: the admin sees it waiting for a hand-over, with who passed and why.
  await admin.goto("/admin/leads?status=unmatched");
  await ready(admin, testInfo);
  const waiting = admin.getByTestId("leads").getByRole("row", { name: new RegExp(passed) });
  await expect(waiting).toContainText("No partner qualified");
  await expect(waiting).toContainText("Northwind passed: We do not cover this account");
  await admin.context().close();
});
