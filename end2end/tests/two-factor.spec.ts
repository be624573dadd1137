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
  await join(page, testInfo, email, "invited you to Northwind", "Tess Two-Factor");
  await expect(page).toHaveURL("/partner");
}

/** Follows the invitation e-mailed to `email` and joins with a name and a password. */
async function join(page: Page, testInfo: TestInfo, email: string, subject: string, name: string) {
  const mail = await waitForMail(email, subject);
  const link = mail.body.match(/https?:\/\/\S+\/invite\/[A-Za-z0-9_-]{43}/)![0];
  await page.goto(new URL(link).pathname);
  await ready(page, testInfo);
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Password", { exact: true }).fill("a long enough passphrase");
  await page.getByLabel("Repeat password").fill("a long enough passphrase");
  await page.getByRole("button", { name: "Set password and join" }).click();
}

/** Sets up two-factor sign-in on /account (the page is open there); answers the key. */
async function enrol(page: Page): Promise<Buffer> {
  await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const secret = base32((await page.getByTestId("totp-secret").textContent())!);
  await page.getByLabel("Code from the app").fill(totp(secret, Date.now() / 1000));
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
  await expect(page.getByTestId("two-factor-state")).toContainText("On");
  return secret;
}

test("a member enrols in two-factor sign-in and signs in with a code", async ({ page, browser }, testInfo) => {
  const email = `tess-${testInfo.project.name}-${Date.now().toString(36)}@northwind.example`;
  await newMember(page, browser, testInfo, email);

  await page.goto("/account");
  await ready(page, testInfo);
  await expect(page.getByTestId("two-factor-state")).toContainText("Off");
  const secret = await enrol(page);

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

// A new partner's owner (the admin creates the partner) turns two-factor sign-in on, then
// requires it of the team. A member who joins afterwards lands on setting it up, is refused
// the partner area until it is on, and gets in once it is.
test("an owner requires two-factor sign-in of the team, and a new member sets it up first", async ({ page, browser }, testInfo) => {
  const stamp = `${testInfo.project.name}-${Date.now().toString(36)}`;
  const partner = `Fjord ${stamp}`;
  const ownerEmail = `olga-${stamp}@fjord.example`;
  const memberEmail = `mika-${stamp}@fjord.example`;

  const admin = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo) });
  const adminPage = await admin.newPage();
  await signInFromLoginPage(adminPage, testInfo, ACCOUNTS.admin);
  await expect(adminPage).toHaveURL("/admin");
  await adminPage.goto("/admin/partners/new");
  await ready(adminPage, testInfo);
  await adminPage.getByLabel("Company").fill(partner);
  await adminPage.getByLabel("Owner's e-mail").fill(ownerEmail);
  await adminPage.getByLabel("Reason").fill("Pilot partner");
  await adminPage.getByRole("button", { name: "Create partner and invite owner" }).click();
  await expect(adminPage.getByRole("heading", { level: 1, name: partner })).toBeVisible();
  await admin.close();

  // The owner joins, sets up two-factor sign-in and requires it of the team.
  await join(page, testInfo, ownerEmail, "is now a partner", "Olga Owner");
  await expect(page).toHaveURL("/partner");
  await page.goto("/account");
  await ready(page, testInfo);
  await enrol(page);
  await page.goto("/partner/team");
  await ready(page, testInfo);
  await expect(page.getByTestId("team-two-factor")).toContainText("Optional");
  await page.getByLabel("Members without it must set it up").check();
  await page.getByRole("button", { name: "Require two-factor sign-in" }).click();
  await expect(page.getByTestId("team-two-factor")).toContainText("Required");
  await ready(page, testInfo);
  await page.getByLabel("E-mail").fill(memberEmail);
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Invitation sent." })).toBeVisible();

  // The member joins and starts at setting it up; nothing else opens until it is on.
  const member = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo) });
  const memberPage = await member.newPage();
  await join(memberPage, testInfo, memberEmail, `invited you to ${partner}`, "Mika Member");
  await expect(memberPage).toHaveURL("/account#two-factor");
  await expect(memberPage.getByTestId("two-factor-required")).toBeVisible();
  await memberPage.goto("/partner");
  await expect(memberPage.getByRole("heading", { level: 1, name: "Set up two-factor sign-in to continue" })).toBeVisible();
  await memberPage.getByRole("link", { name: "Set up two-factor sign-in" }).click();
  await expect(memberPage).toHaveURL("/account#two-factor");
  await ready(memberPage, testInfo);
  await enrol(memberPage);
  await memberPage.goto("/partner");
  await expect(memberPage.getByRole("heading", { level: 1, name: partner })).toBeVisible();
  await member.close();
});
