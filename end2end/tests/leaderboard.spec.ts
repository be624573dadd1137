import { expect, test } from "@playwright/test";
import { ACCOUNTS, ready, signInFromLoginPage } from "./helpers";

// The demo's closed months give every partner a place on the board and a health score.
test("a partner sees its rank and health, and its owner chooses whether its name shows", async ({ page }, testInfo) => {
  await signInFromLoginPage(page, testInfo, ACCOUNTS.owner);
  await expect(page).toHaveURL("/partner");
  await ready(page, testInfo);
  await expect(page.getByTestId("health-score")).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Leaderboard" }).click();
  await expect(page).toHaveURL("/partner/leaderboard");
  await ready(page, testInfo);
  await expect(page.getByTestId("own-rank")).toHaveText(/^#\d+ of \d+/);
  const board = page.getByTestId("leaderboard");
  await expect(board.getByRole("row", { name: /Northwind/ })).toBeVisible();

  const box = page.getByLabel("Show our name to other partners");
  const before = await box.isChecked();
  await box.setChecked(!before);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await page.goto("/partner/leaderboard");
  await ready(page, testInfo);
  await expect(page.getByLabel("Show our name to other partners")).toBeChecked({ checked: !before });
  // Leave it as it was, for the next run.
  await page.getByLabel("Show our name to other partners").setChecked(before);
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
});
