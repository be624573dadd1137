import { expect, test } from "@playwright/test";
import { ACCOUNTS, ready, signInFromLoginPage } from "./helpers";

// Northwind's owner makes an API key, sees its secret once, uses it against the API, and
// revokes it; the API refuses it from then on. Each run names its own key.
test("an owner makes an API key, sees it once, uses it and revokes it", async ({ page, request }, testInfo) => {
  const name = `Sync ${testInfo.project.name} ${Date.now().toString(36)}`;
  await signInFromLoginPage(page, testInfo, ACCOUNTS.owner);
  await expect(page).toHaveURL("/partner");
  await ready(page, testInfo);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API keys" }).click();
  await expect(page).toHaveURL("/partner/api-keys");
  await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
  await ready(page, testInfo);

  // No scope ticked: the message is by the scopes and the name typed is kept.
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Make key" }).click();
  await expect(page.locator("#scopes-error")).toContainText("at least one scope");
  await expect(page.getByLabel("Name")).toHaveValue(name);

  await page.getByLabel(/clients:read/).check();
  await page.getByLabel("Expires after").selectOption("30");
  await page.getByRole("button", { name: "Make key" }).click();
  const secretBox = page.getByTestId("new-key-secret");
  await expect(secretBox).toBeVisible();
  const secret = await secretBox.inputValue();
  expect(secret).toMatch(/^ppk_[0-9A-Za-z]{38}$/);
  const row = page.getByTestId("api-keys").getByRole("row", { name: new RegExp(name) });
  await expect(row).toContainText("clients:read");
  await expect(row).toContainText("Active");
  await expect(row).toContainText(secret.slice(0, 12));
  await expect(row).not.toContainText(secret);

  // The key works, from the Authorization header.
  const listed = await request.get("/v1/clients", { headers: { Authorization: `Bearer ${secret}` } });
  expect(listed.status()).toBe(200);
  expect((await listed.json()).data.length).toBeGreaterThan(0);

  // With its client id, the key trades for a bearer token (OAuth client credentials).
  const clientId = await page.getByTestId("new-key-id").innerText();
  const basic = Buffer.from(`${clientId}:${secret}`).toString("base64");
  const token = await request.post("/oauth/token", {
    headers: { Authorization: `Basic ${basic}` },
    form: { grant_type: "client_credentials" },
  });
  expect(token.status()).toBe(200);
  expect((await token.json()).token_type).toBe("Bearer");

  // Shown once: a fresh view of the page no longer has it.
  await page.goto("/partner/api-keys");
  await ready(page, testInfo);
  await expect(page.getByTestId("new-key-secret")).toHaveCount(0);
  await expect(page.getByText(secret)).toHaveCount(0);

  // Revoking needs the box ticked.
  const revokeRow = page.getByTestId("api-keys").getByRole("row", { name: new RegExp(name) });
  await revokeRow.getByText(`Revoke ${name}…`).click();
  await revokeRow.getByRole("button", { name: "Revoke" }).click();
  // The browser itself stops the post while the required box is unticked.
  await expect(revokeRow).toContainText("Active");
  expect((await request.get("/v1/clients", { headers: { Authorization: `Bearer ${secret}` } })).status()).toBe(200);
  await revokeRow.getByLabel(/Yes, revoke/).check();
  await revokeRow.getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByRole("status").filter({ hasText: "The key is revoked" })).toBeVisible();
  await expect(page.getByTestId("api-keys").getByRole("row", { name: new RegExp(name) })).toContainText("Revoked");

  const refused = await request.get("/v1/clients", { headers: { Authorization: `Bearer ${secret}` } });
  expect(refused.status()).toBe(401);
  expect(refused.headers()["content-type"]).toBe("application/problem+json");
});
