import { expect, test } from "@playwright/test";
import { ACCOUNTS, jsEnabled, ready, signInFromLoginPage } from "./helpers";

// The viewer's own account page, reached from the header by keyboard. Nothing here changes
// what other tests rely on: the name is saved as it was, and every password form is refused.
test("a member opens their account, saves their name and is told what is wrong with a password", async ({ page }, testInfo) => {
  await signInFromLoginPage(page, testInfo, ACCOUNTS.viewer);
  await expect(page).toHaveURL("/partner");
  await ready(page, testInfo);

  const link = page.getByRole("link", { name: /Victor Viewer/ });
  await link.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL("/account");
  await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
  await expect(page.getByTestId("account-email")).toHaveText(ACCOUNTS.viewer);
  await ready(page, testInfo);

  const name = page.getByLabel("Display name");
  await expect(name).toHaveValue("Victor Viewer");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await expect(page.getByLabel("Display name")).toHaveValue("Victor Viewer");

  // Two different new passwords: named next to the second field; nothing is kept.
  await page.getByLabel("Current password").fill("demo-password-2026");
  await page.getByLabel("New password", { exact: true }).fill("a longer passphrase 2026");
  await page.getByLabel("New password again").fill("another passphrase 2026");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.locator("#confirm-error")).toHaveText("The two new passwords are not the same.");
  await expect(page.getByLabel("New password again")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Current password")).toHaveValue("");
  await expect(page).toHaveURL(/\/account/);
  if (!jsEnabled(testInfo)) {
    // Without JavaScript the server sent the form back with its error.
    await expect(page.getByRole("alert")).toBeVisible();
  }
});
