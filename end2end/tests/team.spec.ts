import { expect, test } from "@playwright/test";
import { ACCOUNTS, jsEnabled, ready, signInFromLoginPage } from "./helpers";
import { waitForMail } from "./mail";

// Northwind's owner invites a sales member, who joins from the e-mail; the owner changes
// their role, then removes them. Each run invites its own person, so nothing other tests
// rely on changes.
test("an owner invites a sales member, who joins; the owner changes the role, then removes them", async ({ page, browser }, testInfo) => {
  const stamp = `${testInfo.project.name}-${Date.now().toString(36)}`;
  const email = `grace-${stamp}@northwind.example`;
  const name = `Grace ${stamp}`;

  await signInFromLoginPage(page, testInfo, ACCOUNTS.owner);
  await expect(page).toHaveURL("/partner");
  await ready(page, testInfo);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Team" }).click();
  await expect(page).toHaveURL("/partner/team");
  await expect(page.getByRole("heading", { level: 1, name: "Team" })).toBeVisible();
  await ready(page, testInfo);

  // A mistyped address is named next to its field and kept.
  await page.getByLabel("E-mail").fill("grace-at-northwind");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.locator("#email-error")).toBeVisible();
  await expect(page.getByLabel("E-mail")).toHaveValue("grace-at-northwind");

  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption("sales");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Invitation sent." })).toBeVisible();
  const waiting = page.getByRole("table", { name: "Waiting invitations" });
  await expect(waiting.getByRole("row", { name: new RegExp(email) })).toContainText("Sales");

  const mail = await waitForMail(email, "invited you to Northwind");
  const link = mail.body.match(/https?:\/\/\S+\/invite\/[A-Za-z0-9_-]{43}/)?.[0];
  expect(link, mail.body).toBeTruthy();

  // The invitee, in a browser of their own.
  const invitee = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo) });
  const invitePage = await invitee.newPage();
  await invitePage.goto(new URL(link!).pathname);
  await ready(invitePage, testInfo);
  await expect(invitePage.getByRole("heading", { name: "Join Northwind" })).toBeVisible();
  await expect(invitePage.getByText("as sales")).toBeVisible();
  await invitePage.getByLabel("Your name").fill(name);
  await invitePage.getByLabel("Password", { exact: true }).fill("a long enough passphrase");
  await invitePage.getByLabel("Repeat password").fill("a long enough passphrase");
  await invitePage.getByRole("button", { name: "Set password and join" }).click();
  await expect(invitePage).toHaveURL("/partner");
  await invitee.close();

  // The owner sees the new member and gives them another role.
  await page.goto("/partner/team");
  await ready(page, testInfo);
  const members = page.getByRole("table", { name: "Team members" });
  const row = members.getByRole("row", { name: new RegExp(name) });
  await expect(row).toContainText("Sales");
  await row.getByLabel(`Role of ${name}`).selectOption("support");
  await row.getByRole("button", { name: "Change role" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Role changed." })).toBeVisible();
  await expect(members.getByRole("row", { name: new RegExp(name) })).toContainText("Support");

  // Removing needs the box ticked.
  const again = members.getByRole("row", { name: new RegExp(name) });
  await again.getByText(`Remove ${name}…`).click();
  await again.getByLabel(`Yes, remove ${name} from the team; their sessions end now.`).check();
  await again.getByRole("button", { name: "Remove", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Member removed." })).toBeVisible();
  await expect(members.getByRole("row", { name: new RegExp(name) })).toHaveCount(0);
});

test("a viewer sees the team but cannot change it", async ({ page }, testInfo) => {
  await signInFromLoginPage(page, testInfo, ACCOUNTS.viewer);
  await expect(page).toHaveURL("/partner");
  await page.goto("/partner/team");
  await ready(page, testInfo);
  await expect(page.getByText("Only the owner can invite people, change roles or remove members.")).toBeVisible();
  await expect(page.getByRole("table", { name: "Team members" }).getByRole("row", { name: /Victor Viewer/ })).toBeVisible();
  await expect(page.getByRole("button", { name: "Send invitation" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Change role" })).toHaveCount(0);
});
