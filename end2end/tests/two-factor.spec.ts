import { Browser, expect, Page, test, TestInfo } from "@playwright/test";
import { ACCOUNTS, jsEnabled, ready, signIn, signInFromLoginPage } from "./helpers";
import { waitForMail } from "./mail";
import { base32, totp } from "./totp";

/** A new member of Northwind (invited by its owner, joined from the e-mail), signed in. */
async function newMember(page: Page, browser: Browser, testInfo: TestInfo, email: string) {
  const owner = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo) });
  const ownerPage = await owner.newPage();
  await signInFromLoginPage(ownerPage, testInfo, ACCOUNTS.owner);
  await expect(ownerPage).toHaveURL("/partner");
  await ownerPage.goto("/partner/team");
  await ready(ownerPage, testInfo);
  await ownerPage.getByLabel("E-mail").fill(email);
  await ownerPage.getByLabel("Role", { exact: true }).selectOption("viewer");
  await ownerPage.getByRole("button", { name: "Send invitation" }).click();
  await expect(ownerPage.getByRole("status").filter({ hasText: "Invitation sent." })).toBeVisible();
  await owner.close();
  const mail = await waitForMail(email, "invited you to Northwind");
  const link = mail.body.match(/https?:\/\/\S+\/invite\/[A-Za-z0-9_-]{43}/)![0];
  await page.goto(new URL(link).pathname);
  await ready(page, testInfo);
  await page.getByLabel("Your name").fill("Tess Two-Factor");
  await page.getByLabel("Password", { exact: true }).fill("a long enough passphrase");
  await page.getByLabel("Repeat password").fill("a long enough passphrase");
  await page.getByRole("button", { name: "Set password and join" }).click();
  await expect(page).toHaveURL("/partner");
}

test("a member enrols in two-factor sign-in and signs in with a code", async ({ page, browser }, testInfo) => {
  const email = `tess-${testInfo.project.name}-${Date.now().toString(36)}@northwind.example`;
  await newMember(page, browser, testInfo, email);

  await page.goto("/account");
  await ready(page, testInfo);
  await expect(page.getByTestId("two-factor-state")).toContainText("Off");
  await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const secret = base32((await page.getByTestId("totp-secret").textContent())!);
  await page.getByLabel("Code from the app").fill(totp(secret, Date.now() / 1000));
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
  await expect(page.getByTestId("two-factor-state")).toContainText("On");

  // Signing in again: the password, then a code (the next step's: the current one is spent).
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL("/");
  await page.goto("/login");
  await signIn(page, testInfo, email, "a long enough passphrase");
  await expect(page).toHaveURL("/login/two-factor");
  await ready(page, testInfo);
  await page.getByRole("textbox", { name: /^Code/ }).fill("000000");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("#code-error")).toContainText("not right");
  await page.getByRole("textbox", { name: /^Code/ }).fill(totp(secret, Date.now() / 1000 + 30));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL("/partner");
  await expect(page.getByRole("link", { name: /Tess Two-Factor/ })).toBeVisible();
});
