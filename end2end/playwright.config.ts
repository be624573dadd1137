import { defineConfig } from "@playwright/test";

// The server under test: the binary cargo-leptos built, on its own port and its own
// database (E2E_DATABASE_URL, made fresh and seeded by scripts/test).
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const databaseUrl = process.env.E2E_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/portal_e2e";

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [["list"], ["json", { outputFile: "results.json" }]],
  outputDir: "test-results",
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      // Browsers cannot be downloaded here: use Debian's Chromium.
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "js", use: { javaScriptEnabled: true } },
    { name: "no-js", use: { javaScriptEnabled: false } },
  ],
  webServer: {
    command: "target/debug/partner-portal",
    cwd: "..",
    url: `${baseURL}/readyz`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    env: {
      DATABASE_URL: databaseUrl,
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_SITE_ROOT: "target/site",
      PORTAL_PUBLIC_URL: baseURL,
      // Mail goes to files here; the tests read it (see tests/mail.ts).
      PORTAL_MAIL_DIR: "target/e2e-mail",
      // Webhook receivers started by the tests listen on the loopback address.
      PORTAL_WEBHOOK_ALLOWED_NETWORKS: "127.0.0.1/32",
      RUST_LOG: "warn",
    },
  },
});
