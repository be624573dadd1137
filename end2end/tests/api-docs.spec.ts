import { expect, test } from "@playwright/test";
import { jsEnabled } from "./helpers";

// The API's documentation works with no internet: every request the page makes goes to the
// portal itself (anything else is aborted and fails the test), and it lists the operations
// from /v1/openapi.json.
test("the API documentation reads the OpenAPI document from the portal alone", async ({ page, baseURL }, testInfo) => {
  test.skip(!jsEnabled(testInfo), "Swagger UI is a JavaScript page");
  const elsewhere: string[] = [];
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(baseURL!) || url.startsWith("data:")) return route.continue();
    elsewhere.push(url);
    return route.abort();
  });
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });

  await page.goto("/docs/api/");
  await expect(page.getByRole("heading", { name: /Partner Portal API/ })).toBeVisible();
  const clients = page.locator("#operations-tag-clients");
  await expect(clients).toBeVisible();
  await expect(page.locator(".opblock-summary-path", { hasText: "/v1/clients/{id}/suspend" })).toBeVisible();
  await expect(page.locator(".opblock-summary-path", { hasText: "/v1/licenses/public-key" })).toBeVisible();

  // An operation opens with its parameters and its problem answers.
  await page.locator(".opblock-summary-path", { hasText: /^\/v1\/metrics$/ }).click();
  await expect(page.locator(".responses-table").first()).toContainText("429");

  expect(elsewhere).toEqual([]);
  expect(problems).toEqual([]);
});
