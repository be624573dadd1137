import * as fs from "fs";
import * as path from "path";
import { expect, Page, test, TestInfo } from "@playwright/test";
import { ACCOUNTS, jsEnabled, ready, signIn, signInFromLoginPage } from "./helpers";

/** Screenshots are kept as artifacts of the run, beside the other results. */
async function keepScreenshot(page: Page, testInfo: TestInfo, name: string) {
  const dir = path.join(__dirname, "..", "test-results", "screenshots");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${testInfo.project.name}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}

function rgb(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

/** The number of the version whose row shows `status`. */
async function versionWithStatus(page: Page, status: string): Promise<number> {
  const row = page.locator("tr[data-testid^=version-]", { hasText: status }).first();
  const id = await row.getAttribute("data-testid");
  return Number(id!.replace("version-", ""));
}

test("an owner rebrands Northwind, a client sees it at /b/northwind/login, and a rollback restores the look", async ({ page, browser }, testInfo) => {
  const color = jsEnabled(testInfo) ? "#7c3aed" : "#be123c";
  // The look a client of Northwind has before the change: the rollback must bring it back.
  const client = await browser.newContext({ javaScriptEnabled: jsEnabled(testInfo) });
  const clientPage = await client.newPage();
  await clientPage.goto("/b/northwind/login");
  const liveStyle = (await clientPage.locator("style[data-brand-style]").textContent()) ?? "";
  const before = /--color-primary:(#[0-9a-f]{6})/.exec(liveStyle)![1];

  await signInFromLoginPage(page, testInfo, ACCOUNTS.owner);
  await expect(page).toHaveURL("/partner");
  await page.goto("/partner/branding");
  await expect(page.getByRole("heading", { level: 1, name: "Branding" })).toBeVisible();
  const previouslyLive = await versionWithStatus(page, "Live");

  // Upload a logo (a plain multipart form, with or without JavaScript).
  const logoName = `logo-${testInfo.project.name}.png`;
  await page.getByLabel("Use as").selectOption("logo");
  await page.getByLabel("Image file").setInputFiles({
    name: logoName,
    mimeType: "image/png",
    buffer: fs.readFileSync(path.join(__dirname, "..", "..", "src", "demo", "assets", "litware-logo.png")),
  });
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.getByText("Uploaded. Pick it below and save.")).toBeVisible();
  await ready(page, testInfo);

  // A file that is not an image is refused next to the field.
  await page.getByLabel("Image file").setInputFiles({
    name: "logo.png",
    mimeType: "image/png",
    buffer: Buffer.from("<!doctype html><script>alert(1)</script>"),
  });
  await page.getByRole("button", { name: "Upload" }).click();
  await expect(page.locator("#upload-error")).toContainText("not a PNG, JPEG, WebP or ICO");
  await ready(page, testInfo);

  await page.getByLabel("Logo", { exact: true }).selectOption({ label: `${logoName} (160×40)` });
  await page.getByLabel("Primary", { exact: true }).fill(color);
  const preview = page.getByTestId("brand-preview");
  if (jsEnabled(testInfo)) {
    // The preview follows the form as the owner types.
    await expect(preview.getByTestId("preview-button")).toHaveCSS("background-color", rgb(color));
    // A light color fails WCAG AA for white text: a warning appears, and goes again.
    await page.getByLabel("Secondary", { exact: true }).fill("#fde68a");
    await expect(page.getByTestId("contrast-warning")).toContainText("4.5:1");
    await page.getByLabel("Secondary", { exact: true }).fill("#115e59");
    await expect(page.getByTestId("contrast-warning")).toHaveCount(0);
  } else {
    // Without JavaScript the Preview button renders the same preview on the server.
    await page.getByRole("button", { name: "Preview" }).click();
    await expect(page.getByText("Previewing your changes: they are not saved yet.")).toBeVisible();
    await expect(preview.getByTestId("preview-button")).toHaveCSS("background-color", rgb(color));
    await expect(page.getByLabel("Primary", { exact: true })).toHaveValue(color);
  }
  await expect(preview.locator("img.brand-logo")).toHaveAttribute("src", /\/brand-assets\//);
  await keepScreenshot(page, testInfo, "branding-editor");

  await page.getByRole("button", { name: "Save draft" }).click();
  const saved = page.getByText(/Saved as version \d+, a draft/).first();
  await expect(saved).toBeVisible();
  await ready(page, testInfo);
  // The version list keeps showing the last data until it has reloaded: wait for the new row.
  const draft = Number(/version (\d+)/.exec((await saved.textContent()) ?? "")![1]);
  await expect(page.getByTestId(`version-${draft}`)).toContainText("Draft");
  await page.getByTestId("publish-newest").click();
  await expect(page.getByText(`Version ${draft} is live.`)).toBeVisible();
  await expect(page.getByTestId(`version-${draft}`)).toContainText("Live");

  // A client user of Northwind signs in on the branded page and sees the brand.
  await clientPage.goto("/b/northwind/login");
  await expect(clientPage.getByRole("heading", { level: 1 })).toHaveText("Sign in to Northwind Cloud");
  await expect(clientPage.locator(".auth-card img.login-logo")).toHaveAttribute("src", /\/brand-assets\//);
  await signIn(clientPage, testInfo, ACCOUNTS.client);
  await expect(clientPage).toHaveURL("/app");
  await expect(clientPage).toHaveTitle(/Northwind Cloud/);
  await expect(clientPage.getByTestId("brand-mark")).toContainText("Northwind Cloud");
  await expect(clientPage.getByRole("button", { name: "Save contact" })).toHaveCSS("background-color", rgb(color));
  await expect(clientPage.getByTestId("brand-footer")).toContainText("support@northwind.demo.test");
  await keepScreenshot(clientPage, testInfo, "branded-portal");

  // Roll back: the version live before is restored as a draft and published.
  await page.goto("/partner/branding");
  await ready(page, testInfo);
  await page.getByRole("button", { name: `Restore version ${previouslyLive} as a draft` }).click();
  await expect(page.getByText(/Restored as version \d+, a draft\./)).toBeVisible();
  await ready(page, testInfo);
  await page.getByTestId("publish-newest").click();
  await expect(page.locator("tr[data-testid^=version-]").first()).toContainText("Live");

  await clientPage.reload();
  await expect(clientPage.getByRole("button", { name: "Save contact" })).toHaveCSS("background-color", rgb(before));
  await client.close();
});

test("Litware's custom CSS applies inside the portal and never to the impersonation banner", async ({ page }, testInfo) => {
  await signInFromLoginPage(page, testInfo, "owner@litware.demo.test");
  await expect(page).toHaveURL("/partner");
  await page.goto("/partner/branding");
  // The editor lists what the sanitizer removed from the demo stylesheet.
  await expect(page.getByTestId("css-removed")).toContainText("Line 1: @import removed");
  await expect(page.getByTestId("css-removed")).toContainText("url() may only name your uploaded assets");

  await page.goto("/partner/clients?q=lakeshore");
  await page.getByRole("link", { name: "Lakeshore Retail" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Lakeshore Retail" })).toBeVisible();
  await ready(page, testInfo);
  await page.getByLabel("Reason (shown to the client)").fill(`Branding check ${testInfo.project.name}`);
  await page.getByRole("button", { name: "Log in as client" }).click();
  await expect(page).toHaveURL("/app");

  // Inside the branded root: the custom CSS's header bar.
  await expect(page.locator(".site-header")).toHaveCSS("background-color", rgb("#312e81"));
  // Outside it: the banner keeps its own look, although the CSS tried to hide it.
  const banner = page.getByTestId("impersonation-banner");
  await expect(banner).toBeVisible();
  await expect(banner).toHaveCSS("background-color", rgb("#7c2d12"));
  await expect(banner).toContainText("is acting as");
  await keepScreenshot(page, testInfo, "litware-impersonation");

  await ready(page, testInfo);
  await banner.getByRole("button", { name: "End" }).click();
  await expect(page.getByTestId("impersonation-banner")).toHaveCount(0);
});

test("a Bronze partner's owner is told what unlocks white-label", async ({ page }, testInfo) => {
  await signInFromLoginPage(page, testInfo, ACCOUNTS.contoso);
  await expect(page).toHaveURL("/partner");
  await page.goto("/partner/branding");
  await expect(page.getByTestId("branding-locked")).toContainText("Gold and Platinum");
  await expect(page.getByRole("button", { name: "Save draft" })).toHaveCount(0);
});
