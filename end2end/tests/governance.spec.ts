import { expect, test } from "@playwright/test";
import { ACCOUNTS, jsEnabled, ready, signIn, signInFromLoginPage } from "./helpers";

// An admin freezes Contoso: its owner can sign in and read, and is told on every page that
// nothing can be changed. The admin then suspends it (the owner is signed out and cannot
// sign in) and reactivates it. Contoso ends active, as the other tests expect it.
test("an admin freezes Contoso and its owner sees the read-only message, then suspends and reactivates it", async ({ page, browser }, testInfo) => {
  // Two people, three changes of standing and a dozen page loads: about 30 s on this
  // machine with the debug build, so allow it three times the default.
  test.slow();
  await signInFromLoginPage(page, testInfo, ACCOUNTS.admin);
  await expect(page).toHaveURL("/admin");
  await page.goto("/admin/partners");
  await ready(page, testInfo);
  await page.getByRole("link", { name: "Contoso", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Contoso" })).toBeVisible();
  await ready(page, testInfo);
  const standing = page.getByRole("region", { name: "Standing" });

  // Without a reason nothing changes, and the field says why.
  await standing.getByLabel("Change to").selectOption("freeze");
  await standing.getByRole("button", { name: "Change standing" }).click();
  await expect(page.locator("#status-reason-error")).toBeVisible();
  await expect(page.getByTestId("partner-status")).toHaveText("Active");

  await page.getByRole("region", { name: "Standing" }).getByLabel("Change to").selectOption("freeze");
  await page.getByRole("region", { name: "Standing" }).getByLabel("Reason").fill("Unpaid invoice INV-2041");
  await page.getByRole("region", { name: "Standing" }).getByRole("button", { name: "Change standing" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Standing changed." })).toBeVisible();
  await expect(page.getByTestId("partner-status")).toHaveText("Frozen");
  await expect(page.getByTestId("timeline")).toContainText("Unpaid invoice INV-2041");

  // The owner signs in, reads, and is told that nothing can be changed.
  const owner = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo) });
  const ownerPage = await owner.newPage();
  await signInFromLoginPage(ownerPage, testInfo, ACCOUNTS.contoso);
  await expect(ownerPage).toHaveURL("/partner");
  await expect(ownerPage.getByTestId("frozen-notice")).toContainText("frozen by the program team");
  // The team reads as it is, without the owner's forms (the server refuses them as well).
  await ownerPage.goto("/partner/team");
  await ready(ownerPage, testInfo);
  await expect(ownerPage.getByRole("table", { name: "Team members" })).toBeVisible();
  await expect(ownerPage.getByTestId("frozen-notice")).toContainText("nothing can be changed until it is reactivated");
  await expect(ownerPage.getByRole("button", { name: "Send invitation" })).toHaveCount(0);

  // Suspended: the owner's open session ends and sign-in is refused.
  await page.goto(page.url().split("?")[0]);
  await ready(page, testInfo);
  await page.getByRole("region", { name: "Standing" }).getByLabel("Change to").selectOption("suspend");
  await page.getByRole("region", { name: "Standing" }).getByLabel("Reason").fill("Fraud review");
  await page.getByRole("region", { name: "Standing" }).getByRole("button", { name: "Change standing" }).click();
  await expect(page.getByTestId("partner-status")).toHaveText("Suspended");
  await ownerPage.goto("/partner");
  await expect(ownerPage).toHaveURL(/\/login/);
  await signIn(ownerPage, testInfo, ACCOUNTS.contoso);
  await expect(ownerPage.getByText("suspended", { exact: false }).first()).toBeVisible();

  // Reactivated: the owner signs in again, and the banner is gone.
  await page.goto(page.url().split("?")[0]);
  await ready(page, testInfo);
  await page.getByRole("region", { name: "Standing" }).getByLabel("Change to").selectOption("reactivate");
  await page.getByRole("region", { name: "Standing" }).getByLabel("Reason").fill("Review closed");
  await page.getByRole("region", { name: "Standing" }).getByRole("button", { name: "Change standing" }).click();
  await expect(page.getByTestId("partner-status")).toHaveText("Active");
  const timeline = page.getByTestId("timeline");
  await expect(timeline.getByRole("listitem").first()).toContainText("Review closed");
  await signInFromLoginPage(ownerPage, testInfo, ACCOUNTS.contoso);
  await expect(ownerPage).toHaveURL("/partner");
  await expect(ownerPage.getByTestId("frozen-notice")).toHaveCount(0);
  await owner.close();
});

// Northwind's owner invites someone (so the log has a row of its own to find), narrows the
// audit log to that action and downloads exactly that view.
test("an owner filters the audit log and downloads the CSV", async ({ page }, testInfo) => {
  const email = `audit-${testInfo.project.name}-${Date.now().toString(36)}@northwind.example`;
  await signInFromLoginPage(page, testInfo, ACCOUNTS.owner);
  await expect(page).toHaveURL("/partner");
  await page.goto("/partner/team");
  await ready(page, testInfo);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Invitation sent." })).toBeVisible();
  await ready(page, testInfo);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page).toHaveURL("/partner/audit");
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  await ready(page, testInfo);

  // A range that ends before it starts is named next to its field.
  await page.getByLabel("From (UTC)").fill("2026-11-30");
  await page.getByLabel("To (UTC)").fill("2026-11-01");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page.locator("#to-error")).toContainText("on or after the start date");

  await page.getByLabel("From (UTC)").fill("");
  await page.getByLabel("To (UTC)").fill("");
  await page.getByLabel("Action").selectOption({ label: "Invited a team member" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/action=invitation\.created/);
  const rows = page.getByTestId("audit-log").locator("tbody tr");
  await expect(rows.first()).toContainText("invited a team member");
  const shown = await rows.count();
  expect(shown).toBeGreaterThan(0);
  for (const action of await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-action")))) {
    expect(action).toBe("invitation.created");
  }

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
  const text = await (await file.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks).toString("utf8"));
  const lines = text.trim().split("\n");
  expect(lines[0]).toContain("occurred_at,action,description");
  expect(lines.length - 1).toBe(shown);
  for (const line of lines.slice(1)) {
    expect(line.split(",")[1]).toBe("invitation.created");
  }
});

// An admin creates a partner without an application (a mistyped owner address is named at
// its field, nothing typed is lost), lands on its page, and gives it territories and
// industries.
test("an admin creates a partner directly and sets where it sells", async ({ page }, testInfo) => {
  const stamp = `${testInfo.project.name}-${Date.now().toString(36)}`;
  const name = `Tailwind ${stamp}`;
  await signInFromLoginPage(page, testInfo, ACCOUNTS.admin);
  await expect(page).toHaveURL("/admin");
  await page.goto("/admin/partners");
  await ready(page, testInfo);
  await page.getByRole("link", { name: "New partner" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New partner" })).toBeVisible();
  await ready(page, testInfo);

  await page.getByLabel("Company").fill(name);
  await page.getByLabel("Tier").selectOption("silver");
  await page.getByLabel("Owner's e-mail").fill("dana-at-tailwind");
  await page.getByLabel("Reason").fill("Signed at the partner summit");
  await page.getByRole("button", { name: "Create partner and invite owner" }).click();
  await expect(page.locator("#owner_email-error")).toBeVisible();
  await expect(page.getByLabel("Company")).toHaveValue(name);
  await expect(page.getByLabel("Tier")).toHaveValue("silver");

  await page.getByLabel("Owner's e-mail").fill(`dana-${stamp}@tailwind.example`);
  await page.getByRole("button", { name: "Create partner and invite owner" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Partner created." })).toBeVisible();
  await expect(page.getByTestId("timeline")).toContainText("Signed at the partner summit");
  await ready(page, testInfo);

  const profile = page.getByRole("region", { name: "Territories and industries" });
  await profile.getByLabel("Countries served").fill("us, ca");
  await profile.getByLabel("Retail").check();
  await profile.getByLabel("Reason").fill("Opened the Canadian office");
  await profile.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Profile saved." })).toBeVisible();
  await expect(page.getByTestId("territories")).toHaveText("CA, US");
  await expect(page.getByTestId("industries")).toHaveText("Retail");
});
