// Time to an interactive page on a slow network, in Debian's Chromium: the sign-in page and a
// partner's dashboard (and a few more pages), each loaded with an empty cache under Chrome's
// network emulation (1.6 Mbit/s down, 750 kbit/s up, 150 ms round trips: Lighthouse's "slow
// 4G"). "Interactive" is the moment the WebAssembly has hydrated the page (the app marks
// <body data-hydrated>). Also lists what each page downloaded from /pkg, in bytes as sent
// (compressed). Run by scripts/browserbench against a release build; prints one table.
//
//   node benches/browser/throttled.mjs http://127.0.0.1:3200 [runs]
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(new URL("../../end2end/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const base = process.argv[2] ?? "http://127.0.0.1:3200";
const runs = Number(process.argv[3] ?? 3);
const network = {
  offline: false,
  latency: 150,
  downloadThroughput: (1.6 * 1000 * 1000) / 8,
  uploadThroughput: (750 * 1000) / 8,
};

// Posts a form and returns the session cookie it set and the body.
async function post(path, fields, cookie) {
  const headers = { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" };
  if (cookie) headers.Cookie = cookie;
  const reply = await fetch(`${base}${path}`, {
    method: "POST",
    headers,
    body: new URLSearchParams(fields),
    redirect: "manual",
  });
  const set = (reply.headers.getSetCookie?.() ?? [])
    .map((c) => c.split(";")[0])
    .find((c) => c.startsWith("portal_session="));
  return { cookie: set, body: await reply.text(), status: reply.status };
}

// Signs in without throttling and returns the session cookie; an admin also answers the
// second step with the demo authenticator's code (scripts/demo-code).
async function sessionCookie(email) {
  let reply = await post("/api/login", { "input[email]": email, "input[password]": "demo-password-2026" });
  if (reply.body.includes("/login/two-factor")) {
    const code = execFileSync(new URL("../../scripts/demo-code", import.meta.url).pathname).toString().trim();
    reply = await post("/api/login/two-factor", { "input[code]": code }, reply.cookie);
  }
  if (!reply.cookie) throw new Error(`sign-in of ${email} failed: ${reply.status}`);
  const [name, value] = reply.cookie.split("=");
  return { name, value, url: base };
}

async function load(browser, path, cookie) {
  const context = await browser.newContext();
  if (cookie) await context.addCookies([cookie]);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", network);
  const sizes = new Map();
  cdp.on("Network.loadingFinished", (e) => sizes.set(e.requestId, e.encodedDataLength));
  const urls = new Map();
  cdp.on("Network.responseReceived", (e) => urls.set(e.requestId, e.response.url));
  const response = await page.goto(base + path, { waitUntil: "commit" });
  if (!response || response.status() >= 400) throw new Error(`${path}: HTTP ${response?.status()}`);
  await page.waitForFunction(() => document.body?.dataset.hydrated === "true", null, {
    polling: "raf",
    timeout: 60_000,
  });
  const interactive = await page.evaluate(() => performance.now());
  const pkg = [];
  for (const [id, url] of urls) {
    const u = new URL(url);
    if (u.pathname.startsWith("/pkg/")) pkg.push({ file: u.pathname.slice(5), bytes: sizes.get(id) ?? 0 });
  }
  await context.close();
  return { interactive, pkg };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (n) => `${(n / 1000).toFixed(0)} KB`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
});
const owner = await sessionCookie("owner@northwind.demo.test");
const admin = await sessionCookie("admin@demo.test");
const pages = [
  ["sign-in", "/login", null],
  ["landing", "/", null],
  ["partner dashboard", "/partner", owner],
  ["partner clients", "/partner/clients", owner],
  ["admin overview", "/admin", admin],
];
console.log(`${runs} cold loads each at 1.6 Mbit/s and 150 ms round trips (median)`);
console.log(`${"page".padEnd(20)} ${"interactive".padStart(11)} ${"/pkg sent".padStart(10)}  files`);
let worst = 0;
for (const [name, path, cookie] of pages) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await load(browser, path, cookie));
  const ms = median(results.map((r) => r.interactive));
  const last = results[results.length - 1];
  const bytes = last.pkg.reduce((sum, f) => sum + f.bytes, 0);
  if (name === "sign-in" || name === "partner dashboard") worst = Math.max(worst, ms);
  console.log(
    `${name.padEnd(20)} ${`${(ms / 1000).toFixed(2)} s`.padStart(11)} ${kb(bytes).padStart(10)}  ` +
      last.pkg.map((f) => `${f.file.replace(/\.[A-Za-z0-9_-]{22}\./, ".")} ${kb(f.bytes)}`).join(", "),
  );
}
await browser.close();
console.log(`RESULT slowest of sign-in and dashboard: ${(worst / 1000).toFixed(2)} s (target under 3 s)`);
