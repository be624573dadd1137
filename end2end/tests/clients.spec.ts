import * as fs from "fs";
import { expect, test, TestInfo } from "@playwright/test";
import { ACCOUNTS, ready, signInFromLoginPage } from "./helpers";

function unique(testInfo: TestInfo, what: string) {
  return `${what} ${testInfo.project.name} ${Date.now().toString(36)}`;
}

test("a reseller creates a client, changes its plan, suspends and reactivates it, and exports CSV", async ({ page }, testInfo) => {
  const company = unique(testInfo, "Tailwind");
  await signInFromLoginPage(page, testInfo, ACCOUNTS.owner);
  await expect(page).toHaveURL("/partner");
  await page.goto("/partner/clients");
  await expect(page.getByTestId("headroom")).toContainText("client places used");
  await page.getByRole("link", { name: "New client" }).click();
  await expect(page.getByRole("heading", { name: "New client" })).toBeVisible();
  await ready(page, testInfo);
  await page.getByLabel("Company *").fill(company);
  await page.getByLabel("Contact name *").fill("Terry Adams");
  await page.getByLabel("Contact e-mail *").fill(`terry.${Date.now().toString(36)}@tailwind.example`);
  await page.getByLabel("Plan *").selectOption("starter");
  await page.getByRole("button", { name: "Create client" }).click();
  await expect(page.getByRole("heading", { level: 1, name: company })).toBeVisible();
  await expect(page.getByTestId("client-plan")).toHaveText("Starter");
  await ready(page, testInfo);

  await page.getByLabel("Plan *").selectOption("enterprise");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("client-plan")).toHaveText("Enterprise");
  await expect(page.getByTestId("history")).toContainText("Plan starter → enterprise");

  await ready(page, testInfo);
  await page.getByRole("button", { name: "Suspend" }).click();
  await expect(page.getByTestId("client-status")).toHaveText("Suspended");
  await ready(page, testInfo);
  await page.getByRole("button", { name: "Reactivate" }).click();
  await expect(page.getByTestId("client-status")).toHaveText("Active");
  await expect(page.getByTestId("history")).toContainText("Status Suspended → Active");

  await page.goto(`/partner/clients?q=${encodeURIComponent(company)}`);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const file = await (await download).path();
  const csv = fs.readFileSync(file!, "utf8");
  expect(csv.split("\n")[0]).toContain("company,contact_name");
  expect(csv).toContain(company);
  expect(csv).toContain("Enterprise");
});

test("support logs in as a client, is refused a blocked page, ends, and the client sees the access", async ({ page, browser }, testInfo) => {
  const reason = unique(testInfo, "Ticket");
  await signInFromLoginPage(page, testInfo, ACCOUNTS.support);
  await expect(page).toHaveURL("/partner");
  await page.goto("/partner/clients?q=fabrikam");
  await page.getByRole("link", { name: "Fabrikam" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Fabrikam" })).toBeVisible();
  const clientPage = page.url();
  await ready(page, testInfo);
  await page.getByLabel("Reason (shown to the client)").fill(reason);
  await page.getByRole("button", { name: "Log in as client" }).click();

  await expect(page).toHaveURL("/app");
  const banner = page.getByTestId("impersonation-banner");
  await expect(banner).toContainText("Sofia Support");
  await expect(banner).toContainText("is acting as");
  await expect(banner).toContainText("Fabrikam");

  // An allowed action: the account's contact phone.
  await ready(page, testInfo);
  await page.getByLabel("Contact phone").fill("+1 555 010 0199");
  await page.getByRole("button", { name: "Save contact" }).click();
  await expect(page).toHaveURL(/\/app\??$/);
  await expect(page.getByLabel("Contact phone")).toHaveValue("+1 555 010 0199");

  // A blocked one: the client owner's support-access page.
  const blocked = await page.goto("/app/support-access");
  expect(blocked?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  await expect(banner).toBeVisible();

  await ready(page, testInfo);
  await banner.getByRole("button", { name: "End" }).click();
  await expect(page).toHaveURL(clientPage);
  await expect(page.getByRole("heading", { level: 1, name: "Fabrikam" })).toBeVisible();
  await expect(page.getByTestId("impersonation-banner")).toHaveCount(0);

  const owner = await browser.newContext({ javaScriptEnabled: testInfo.project.name === "js" });
  const ownerPage = await owner.newPage();
  await signInFromLoginPage(ownerPage, testInfo, ACCOUNTS.client);
  await expect(ownerPage).toHaveURL("/app");
  await ownerPage.goto("/app/support-access");
  const accesses = ownerPage.getByTestId("accesses");
  await expect(accesses).toContainText("Sofia Support");
  await expect(accesses).toContainText(reason);
  await expect(accesses).toContainText("client.contact_updated");
  await owner.close();
});
