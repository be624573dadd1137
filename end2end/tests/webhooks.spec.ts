import * as crypto from "crypto";
import * as http from "http";
import { AddressInfo } from "net";
import { expect, Page, test, TestInfo } from "@playwright/test";
import { ACCOUNTS, jsEnabled, ready, signInFromLoginPage } from "./helpers";

type Delivery = { headers: http.IncomingHttpHeaders; body: string };

/** A webhook receiver on a free local port: answers 200 and keeps what it was sent. */
async function startReceiver(): Promise<{ url: string; seen: Delivery[]; close: () => void }> {
  const seen: Delivery[] = [];
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      seen.push({ headers: request.headers, body });
      response.writeHead(200, { "content-type": "text/plain" });
      response.end("<i>received</i>");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/hook`, seen, close: () => server.close() };
}

/** Whether `delivery` is signed with `secret` as the Standard Webhooks specification says. */
function signedWith(secret: string, delivery: Delivery): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const signed = `${delivery.headers["webhook-id"]}.${delivery.headers["webhook-timestamp"]}.${delivery.body}`;
  const expected = crypto.createHmac("sha256", key).update(signed).digest("base64");
  return String(delivery.headers["webhook-signature"])
    .split(" ")
    .some((s) => s === `v1,${expected}`);
}

/** Reads the log until `row` says `text` (with JavaScript the page looks again by itself). */
async function untilLogged(page: Page, testInfo: TestInfo, event: string, text: string) {
  const row = page.getByTestId("webhook-deliveries").locator(`tr[data-event="${event}"]`).first();
  await expect(async () => {
    if (!jsEnabled(testInfo)) {
      await page.reload();
    }
    await expect(row).toContainText(text, { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  return row;
}

// Northwind's owner adds an endpoint pointed at a receiver this test starts, sends a test
// event, changes a client's plan, and finds both deliveries in the log, delivered and
// signed; rotating the secret shows the new one once. The endpoint is deleted at the end.
test("an owner adds a webhook endpoint, sees test and plan-change deliveries, and rotates its secret", async ({ page }, testInfo) => {
  const receiver = await startReceiver();
  try {
    const tag = `${testInfo.project.name} ${Date.now().toString(36)}`;
    await signInFromLoginPage(page, testInfo, ACCOUNTS.owner);
    await expect(page).toHaveURL("/partner");
    await ready(page, testInfo);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" }).click();
    await expect(page).toHaveURL("/partner/webhooks");
    await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
    await ready(page, testInfo);

    // No event ticked: the message is by the events, and the URL typed is kept.
    await page.getByLabel("URL *").fill(receiver.url);
    await page.getByLabel("Description").fill(`CRM ${tag}`);
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page.locator("#events-error")).toContainText("at least one event");
    await expect(page.getByLabel("URL *")).toHaveValue(receiver.url);

    await page.getByLabel(/subscription\.changed/).check();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page).toHaveURL(/\/partner\/webhooks\/[0-9a-f-]{36}\?done=created$/);
    const endpointPath = new URL(page.url()).pathname;
    const secretBox = page.getByTestId("webhook-secret");
    await expect(secretBox).toBeVisible();
    const secret = await secretBox.inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    await ready(page, testInfo);

    await page.getByRole("button", { name: "Send test event" }).click();
    await expect(page.getByRole("status").filter({ hasText: "test event is on its way" })).toBeVisible();
    const test = await untilLogged(page, testInfo, "webhook.test", "Delivered");
    await expect(test).toContainText("HTTP 200");
    // The receiver's answer is shown as text.
    await expect(test.locator("pre.response")).toHaveText("<i>received</i>");

    // A plan change, made on a new client's page.
    const company = `Hooked ${tag}`;
    await page.goto("/partner/clients/new");
    await ready(page, testInfo);
    await page.getByLabel("Company *").fill(company);
    await page.getByLabel("Contact name *").fill("Wanda Hook");
    await page.getByLabel("Contact e-mail *").fill(`wanda.${Date.now().toString(36)}@hooked.example`);
    await page.getByLabel("Plan *").selectOption("starter");
    await page.getByRole("button", { name: "Create client" }).click();
    await expect(page.getByRole("heading", { level: 1, name: company })).toBeVisible();
    await ready(page, testInfo);
    await page.getByLabel("Plan *").selectOption("professional");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByTestId("client-plan")).toHaveText("Professional");

    await page.goto(endpointPath);
    await ready(page, testInfo);
    const changed = await untilLogged(page, testInfo, "subscription.changed", "Delivered");
    await expect(changed).toContainText("HTTP 200");
    await expect(page.getByTestId("webhook-deliveries").locator(`tr[data-event="webhook.test"]`)).toContainText("Delivered");
    // Shown once: the page no longer has the secret.
    await expect(page.getByTestId("webhook-secret")).toHaveCount(0);

    // What the receiver got: both events, each signed with the secret.
    const bodies = receiver.seen.map((d) => JSON.parse(d.body));
    expect(bodies.map((b) => b.type)).toEqual(["webhook.test", "subscription.changed"]);
    expect(bodies[1].data.object.company_name).toBe(company);
    expect(receiver.seen.every((d) => signedWith(secret, d))).toBe(true);

    // The log's filter by event.
    await page.getByLabel("Event", { exact: true }).selectOption("webhook.test");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/type=webhook\.test/);
    await expect(page.getByTestId("webhook-deliveries").locator("tbody tr")).toHaveCount(1);

    // Rotating: behind a ticked box; the new secret shows once.
    await page.goto(endpointPath);
    await ready(page, testInfo);
    await page.getByText("Rotate the signing secret…").click();
    await page.getByLabel(/Yes, make a new secret/).check();
    await page.getByRole("button", { name: "Rotate secret" }).click();
    const rotatedBox = page.getByTestId("webhook-secret");
    await expect(rotatedBox).toBeVisible();
    const rotated = await rotatedBox.inputValue();
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await expect(page.getByText("The old secret also signs")).toBeVisible();
    await page.goto(endpointPath);
    await ready(page, testInfo);
    await expect(page.getByTestId("webhook-secret")).toHaveCount(0);
    await expect(page.getByText(rotated)).toHaveCount(0);

    // Deleting: behind a ticked box too.
    await page.getByText("Delete this endpoint…").click();
    await page.getByLabel(/Yes, delete it/).check();
    await page.getByRole("button", { name: "Delete endpoint" }).click();
    await expect(page).toHaveURL("/partner/webhooks?done=deleted");
    await expect(page.getByRole("status").filter({ hasText: "The endpoint is deleted" })).toBeVisible();
    await expect(page.getByText(`CRM ${tag}`)).toHaveCount(0);
  } finally {
    receiver.close();
  }
});
