import { expect, test } from "@playwright/test";
import { ACCOUNTS, ready, signIn, signInFromLoginPage } from "./helpers";

test("the landing page shows the program and its tiers", async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));

  await page.goto("/");
  await ready(page, testInfo);
  await expect(page.getByRole("heading", { name: "Grow with our partner program" })).toBeVisible();
  const tiers = page.getByRole("table");
  for (const tier of ["Bronze", "Silver", "Gold", "Platinum"]) {
    await expect(tiers.getByRole("rowheader", { name: tier })).toBeVisible();
  }
  await expect(page.getByRole("link", { name: "Apply to become a partner" })).toHaveAttribute("href", "/apply");
  expect(errors, "no console errors while loading and hydrating").toEqual([]);
});

const landings = [
  { who: "an admin", email: ACCOUNTS.admin, path: "/admin", heading: "Program overview" },
  { who: "a partner owner", email: ACCOUNTS.owner, path: "/partner", heading: "Northwind" },
  { who: "a sales member", email: ACCOUNTS.sales, path: "/partner", heading: "Northwind" },
  { who: "a client user", email: ACCOUNTS.client, path: "/app", heading: "Fabrikam" },
];

for (const { who, email, path, heading } of landings) {
  test(`${who} signs in and lands in their area`, async ({ page, context }, testInfo) => {
    await signInFromLoginPage(page, testInfo, email);
    await expect(page).toHaveURL(path);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === "portal_session");
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe("Lax");
  });
}

test("a wrong password is refused with one message and the e-mail kept", async ({ page }, testInfo) => {
  await page.goto("/login");
  await signIn(page, testInfo, ACCOUNTS.viewer, "not-the-password");
  await expect(page.getByRole("alert")).toHaveText("Email or password is incorrect.");
  await expect(page.getByLabel("Email")).toHaveValue(ACCOUNTS.viewer);
  await expect(page).toHaveURL(/\/login/);
});

test("an anonymous visitor is sent to sign in and then back", async ({ page }, testInfo) => {
  await page.goto("/admin");
  await expect(page).toHaveURL("/login?next=%2Fadmin");
  await signIn(page, testInfo, ACCOUNTS.admin);
  await expect(page).toHaveURL("/admin");
  await expect(page.getByTestId("top-mrr").getByRole("rowheader", { name: "Northwind" })).toBeVisible();
});

test("the wrong area shows a clear 403 page", async ({ page }, testInfo) => {
  await signInFromLoginPage(page, testInfo, ACCOUNTS.client);
  await expect(page).toHaveURL("/app");
  const response = await page.goto("/admin");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  const partnerArea = await page.goto("/partner");
  expect(partnerArea?.status()).toBe(403);
});

test("signing out ends the session and a new sign-in gets a new cookie", async ({ page, context }, testInfo) => {
  await signInFromLoginPage(page, testInfo, ACCOUNTS.owner);
  await expect(page).toHaveURL("/partner");
  const first = (await context.cookies()).find((c) => c.name === "portal_session")?.value;
  expect(first).toBeTruthy();

  await ready(page, testInfo);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL("/");
  await expect(page.getByRole("link", { name: "Sign in" }).first()).toBeVisible();
  expect((await context.cookies()).find((c) => c.name === "portal_session")).toBeUndefined();

  await page.goto("/partner");
  await expect(page).toHaveURL("/login?next=%2Fpartner");
  await signIn(page, testInfo, ACCOUNTS.owner);
  await expect(page).toHaveURL("/partner");
  const second = (await context.cookies()).find((c) => c.name === "portal_session")?.value;
  expect(second).toBeTruthy();
  expect(second).not.toBe(first);
});

test("a partner member opens a client of their own partner", async ({ page }, testInfo) => {
  await signInFromLoginPage(page, testInfo, ACCOUNTS.viewer);
  await expect(page).toHaveURL("/partner");
  // 26 in the demo data; other tests may add clients to Northwind.
  const active = Number(await page.getByTestId("active-clients").textContent());
  expect(active).toBeGreaterThanOrEqual(26);
  await page.getByRole("link", { name: "Clients" }).click();
  await expect(page).toHaveURL("/partner/clients");
  await page.getByRole("link", { name: "Fabrikam", exact: true }).click();
  await expect(page).toHaveURL(/\/partner\/clients\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1, name: "Fabrikam" })).toBeVisible();
  await expect(page.getByTestId("client-plan")).toHaveText("Professional");
});
