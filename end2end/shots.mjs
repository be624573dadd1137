import { chromium } from "@playwright/test";
const base = "http://127.0.0.1:3101";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
async function shoot(email, paths) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(base + "/login");
  await page.locator("body[data-hydrated=true]").waitFor();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("demo-password-2026");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/(admin|partner)/);
  for (const [path, file] of paths) {
    await page.goto(base + path);
    await page.waitForTimeout(1500);
    await page.screenshot({ path: `/tmp/${file}.png`, fullPage: true });
  }
}
await shoot("owner@northwind.demo.test", [["/partner", "dash"], ["/partner/commissions", "pcomm"], ["/partner/commissions/2026-09", "stmt"]]);
await shoot("admin@demo.test", [["/admin", "admin"], ["/admin/commissions?month=2026-10", "acomm"], ["/admin/payouts", "payouts"]]);
await shoot("viewer@northwind.demo.test", [["/partner", "viewer"]]);
await browser.close();
