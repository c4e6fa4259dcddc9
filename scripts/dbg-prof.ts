import hre from "hardhat";
import fs from "fs";
const stats = new Map<string, { n: number; ms: number; max: number }>();
const p = hre.network.provider as unknown as { request(a: { method: string; params?: unknown[] }): Promise<unknown>; send(m: string, params?: unknown[]): Promise<unknown> };
const orig = p.request.bind(p);
p.send = async (m: string, params?: unknown[]) => p.request({ method: m, params });
p.request = async (args) => {
  const t = performance.now();
  let out: unknown;
  try { out = await orig(args); return out; } finally {
    const d = performance.now() - t;
    if (d > 1000) {
      const data = (args.params?.[0] as { data?: string })?.data ?? "";
      fs.appendFileSync("/tmp/slow.txt", `${args.method} ${d.toFixed(0)}ms rss=${(process.memoryUsage().rss/1e9).toFixed(2)} coll=0x${data.slice(34, 74)} debt=0x${data.slice(98, 138)} result=${String(out)}\n`);
      if (typeof out === "string") orig({ method: "eth_getTransactionReceipt", params: [out] }).then((r) => fs.appendFileSync("/tmp/slow.txt", `  gasUsed=${(r as { gasUsed: string }).gasUsed} status=${(r as { status: string }).status}\n`));
    }
    const k = args.method; const s = stats.get(k) ?? { n: 0, ms: 0, max: 0 }; s.n++; s.ms += d; s.max = Math.max(s.max, d); stats.set(k, s);
  }
};
const dump = () => fs.writeFileSync("/tmp/rpcstats.txt", [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 20).map(([k, v]) => `${k.padEnd(28)} n=${v.n} ms=${v.ms.toFixed(0)} max=${v.max.toFixed(0)} rss=${(process.memoryUsage().rss/1e9).toFixed(2)}G`).join("\n"));
setInterval(dump, 2000).unref();
hre.run("scenario", { file: process.env.SCN ?? "scenarios/oct-10-2025.yaml", brief: true }).then(dump);
