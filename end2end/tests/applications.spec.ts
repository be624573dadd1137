import { expect, Page, test, TestInfo } from "@playwright/test";
import { ACCOUNTS, jsEnabled, ready, signInFromLoginPage } from "./helpers";
import { waitForMail } from "./mail";

function unique(testInfo: TestInfo, what: string) {
  return `${what}-${testInfo.project.name}-${Date.now().toString(36)}`;
}

async function fillApplication(page: Page, company: string, email: string) {
  await page.getByLabel("Company name").fill(company);
  await page.getByLabel("Partnership type").selectOption("reseller");
  await page.getByLabel("Company size (people)").selectOption("11-50");
  await page.getByLabel("Industry").fill("Software");
  await page.getByLabel("Contact name").fill("Ada Lovelace");
  await page.getByLabel("Contact e-mail").fill(email);
  await page.getByLabel("Why do you want to partner with us?").fill("We resell SaaS to 200 clients and want to add yours.");
}

async function apply(page: Page, testInfo: TestInfo, company: string, email: string) {
  await page.goto("/apply");
  await ready(page, testInfo);
  await fillApplication(page, company, email);
  await page.getByRole("button", { name: "Submit application" }).click();
  await expect(page).toHaveURL(/\/apply\/thanks\?ref=APP-[0-9A-Z]{8}$/);
  await expect(page.getByTestId("reference")).toHaveText(/^APP-/);
}

async function openApplication(page: Page, testInfo: TestInfo, company: string) {
  await signInFromLoginPage(page, testInfo, ACCOUNTS.admin);
  await expect(page).toHaveURL("/admin");
  await page.goto("/admin/applications");
  await ready(page, testInfo);
  await page.getByLabel("Search company or e-mail").fill(company);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/q=/);
  // The filtered list has replaced the first page (where the new application may also be).
  await expect(page.getByRole("link", { name: "All 1", exact: true })).toBeVisible();
  await page.getByRole("link", { name: company }).click();
  await expect(page).toHaveURL(/\/admin\/applications\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1, name: company })).toBeVisible();
  await ready(page, testInfo);
}

test("bad input is explained next to each field and nothing typed is lost", async ({ page }, testInfo) => {
  await page.goto("/apply");
  await ready(page, testInfo);
  await page.getByLabel("Company name").fill("Half Done Ltd");
  await page.getByLabel("Contact e-mail").fill("not-an-email");
  await page.getByRole("button", { name: "Submit application" }).click();
  await expect(page.getByRole("alert")).toContainText("Please correct the highlighted fields.");
  await expect(page.getByLabel("Company name")).toHaveValue("Half Done Ltd");
  await expect(page.getByLabel("Contact e-mail")).toHaveValue("not-an-email");
  await expect(page.locator("#contact_email-error")).toContainText("name@company.com");
  await expect(page.locator("#industry-error")).toContainText("Enter your industry");
  await expect(page.locator("#partnership_type-error")).toContainText("Choose a partnership type");
});

test("an applicant applies, an admin notes and approves, and the invitation makes a partner owner", async ({ page, browser }, testInfo) => {
  const company = unique(testInfo, "Approved Co");
  const email = `${unique(testInfo, "owner").toLowerCase()}@applicant.test`;
  await apply(page, testInfo, company, email);
  await waitForMail(email, "We received your partner application");

  await openApplication(page, testInfo, company);
  await page.getByLabel("Add a note").fill("Called the applicant; strong fit.");
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByText("Called the applicant; strong fit.")).toBeVisible();
  await expect(page.locator(".timeline-meta").first()).toContainText("Avery Admin");
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByTestId("status")).toHaveText("Approved");

  const welcome = await waitForMail(email, "Welcome to the partner program");
  const link = welcome.body.match(/https?:\/\/\S+\/invite\/[A-Za-z0-9_-]{43}/)?.[0];
  expect(link, welcome.body).toBeTruthy();

  // The invitee has a browser of their own.
  const invitee = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo) });
  const invitePage = await invitee.newPage();
  await invitePage.goto(new URL(link!).pathname);
  await ready(invitePage, testInfo);
  await expect(invitePage.getByRole("heading", { name: `Join ${company}` })).toBeVisible();
  await invitePage.getByLabel("Your name").fill("Ada Lovelace");
  await invitePage.getByLabel("Password", { exact: true }).fill("a long enough passphrase");
  await invitePage.getByLabel("Repeat password").fill("a long enough passphrase");
  await invitePage.getByRole("button", { name: "Set password and join" }).click();
  await expect(invitePage).toHaveURL("/partner");
  await expect(invitePage.getByRole("heading", { level: 1, name: company })).toBeVisible();
  await invitee.close();
});

test("a rejected applicant's e-mail carries the reason", async ({ page }, testInfo) => {
  const company = unique(testInfo, "Rejected Co");
  const email = `${unique(testInfo, "rejected").toLowerCase()}@applicant.test`;
  await apply(page, testInfo, company, email);
  await openApplication(page, testInfo, company);
  await page.getByRole("button", { name: "Start review" }).click();
  await expect(page.getByTestId("status")).toHaveText("In review");
  await page.getByLabel("Reason for rejecting (sent to the applicant)").fill("We only accept EU resellers this year.");
  await page.getByRole("button", { name: "Reject" }).click();
  await expect(page.getByTestId("status")).toHaveText("Rejected");
  const mail = await waitForMail(email, "Your partner application (");
  expect(mail.body).toContain("We only accept EU resellers this year.");
});

test("the statistics page shows its numbers as charts and tables", async ({ page }, testInfo) => {
  await signInFromLoginPage(page, testInfo, ACCOUNTS.admin);
  await expect(page).toHaveURL("/admin");
  await page.goto("/admin/applications/stats");
  await expect(page.getByRole("heading", { name: "Applications per month" })).toBeVisible();
  await expect(page.getByTestId("approval-rate")).toHaveText(/%$/);
  await expect(page.getByRole("table", { name: "By partnership type" })).toContainText("reseller");
  if (jsEnabled(testInfo)) {
    await expect(page.locator(".chart[data-drawn='true']")).toHaveCount(4);
    await expect(page.locator(".chart svg").first()).toBeVisible();
  }
});
